"""Where a redeemed code takes the tenant: each domain names the page for its purpose."""

from __future__ import annotations

from consent.access_codes.models import Purpose

# purpose -> route name taking `object_id`; filled in by the domains that own the purpose.
LANDING: dict[str, str] = {}


def register(purpose: Purpose, route_name: str) -> None:
    LANDING[purpose.value] = route_name
