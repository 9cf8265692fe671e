"""Every HTML route of the moving domain; registers the landing page of MOVING codes."""

from __future__ import annotations

from consent.access_codes.landing import register
from consent.access_codes.models import Purpose
from consent.moving import case_routes, programme_routes, report_routes, tenant_routes

# A redeemed code of purpose MOVING (object_id = tenancy id) opens the sign-up form.
register(Purpose.MOVING, "moving_signup")

routes = [
    *tenant_routes.routes,
    *report_routes.routes,
    *programme_routes.routes,
    *case_routes.routes,
]
