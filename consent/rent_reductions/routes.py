"""All rent-reduction pages; a redeemed rent-reduction code lands on the tenancy's start page.

Codes for this purpose are issued with ``object_id`` = the tenancy id (see ``issue_code``).
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from consent.access_codes.landing import register
from consent.access_codes.models import Purpose
from consent.rent_reductions import (
    routes_check,
    routes_request,
    routes_schemes,
    routes_staff,
    routes_tenant,
)

register(Purpose.RENT_REDUCTION, "rent_reduction_start")

routes: list[BaseRoute] = [
    *routes_check.routes,
    *routes_request.routes,
    *routes_tenant.routes,
    *routes_schemes.routes,
    *routes_staff.routes,
]
