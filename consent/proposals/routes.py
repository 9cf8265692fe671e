"""The proposal domain's HTML routes; a redeemed proposal code lands on the tenant page."""

from __future__ import annotations

from consent.access_codes.landing import register
from consent.access_codes.models import Purpose
from consent.proposals import routes_manage, routes_staff, routes_tenant

register(Purpose.PROPOSAL, "tenant_proposal")

routes = [*routes_staff.routes, *routes_manage.routes, *routes_tenant.routes]
