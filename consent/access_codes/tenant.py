"""What a tenant's browser session may open: the codes it redeemed, re-checked every time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement
from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException
from starlette.requests import Request

from consent.access_codes.landing import LANDING
from consent.access_codes.models import AccessCode, Purpose
from consent.housing.models import Tenancy, Tenant, Unit
from consent.timeutil import utcnow

MAX_CODES = 8


class TenantSession:
    def __init__(self, request: Request) -> None:
        self.request = request

    @property
    def code_ids(self) -> list[int]:
        return [int(i) for i in self.request.session.get("codes", [])]

    def grant(self, code: AccessCode) -> None:
        ids = [i for i in self.code_ids if i != code.id]
        self.request.session["codes"] = [*ids, code.id][-MAX_CODES:]


def tenant_sessions(request: Request) -> TenantSession:
    return TenantSession(request)


def still_valid(
    ids: list[int] | list[BindParameter[Any]], now: datetime | BindParameter[Any]
) -> list[ColumnElement[bool]]:
    """The conditions for a query joining AccessCode to its Tenancy: one of ``ids``, not
    revoked, not expired, tenancy not ended."""
    return [
        col(AccessCode.id).in_(ids),
        col(AccessCode.revoked_at).is_(None),
        col(AccessCode.expires_at) > now,
        col(Tenancy.end_date).is_(None),
    ]


def valid_codes(request: Request, session: Session) -> list[AccessCode]:
    """The session's codes that still work: not revoked, not expired, tenancy not ended."""
    ids = tenant_sessions(request).code_ids
    if not ids:
        return []
    rows = session.exec(
        select(AccessCode)
        .join(Tenancy, col(Tenancy.id) == col(AccessCode.tenancy_id))
        .where(*still_valid(ids, utcnow()))
        .order_by(col(AccessCode.id))
    ).all()
    return list(rows)


def require_code(
    request: Request, session: Session, purpose: Purpose, object_id: int | None
) -> AccessCode:
    """The redeemed, still valid code for exactly this purpose and object, or 403."""
    for code in valid_codes(request, session):
        if code.purpose == purpose.value and code.object_id == object_id:
            return code
    raise HTTPException(status_code=403, detail="code")


def household(session: Session, tenancy_id: int) -> tuple[Tenancy, Unit, list[Tenant]]:
    tenancy = session.get(Tenancy, tenancy_id)
    if tenancy is None:
        raise HTTPException(status_code=404)
    unit = session.get(Unit, tenancy.unit_id)
    assert unit is not None
    tenants = session.exec(
        select(Tenant).where(Tenant.tenancy_id == tenancy_id).order_by(col(Tenant.position))
    ).all()
    return tenancy, unit, list(tenants)


def tenant_home_context(request: Request, session: Session) -> dict[str, Any] | None:
    codes = valid_codes(request, session)
    if not codes:
        return None
    items = []
    for code in codes:
        tenancy, unit, tenants = household(session, code.tenancy_id)
        route = LANDING.get(code.purpose)
        link = (
            str(request.url_for(route, object_id=code.object_id))
            if route and code.object_id is not None
            else None
        )
        items.append({"code": code, "unit": unit, "tenants": tenants, "link": link})
    return {"items": items}
