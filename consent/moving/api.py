"""JSON API: sign-ups for brokers and admin; care needs only for the assigned broker."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from consent.accounts.models import Role, StaffUser
from consent.api.auth import ApiError, require_token
from consent.db import new_session
from consent.housing.models import Tenancy
from consent.moving import service
from consent.moving.models import MovingSignup
from consent.moving.openapi import OPENAPI_PATHS, OPENAPI_SCHEMAS
from consent.moving.rules import Status, may_see_care_needs
from consent.timeutil import to_local
from consent.web import engine

__all__ = ["OPENAPI_PATHS", "OPENAPI_SCHEMAS", "routes"]


def _tenancy_codes(session: Session, rows: list[MovingSignup]) -> dict[int, str]:
    ids = {row.tenancy_id for row in rows if row.tenancy_id}
    if not ids:
        return {}
    tenancies = session.exec(select(Tenancy).where(col(Tenancy.id).in_(ids))).all()
    return {tenancy.id or 0: tenancy.code for tenancy in tenancies}


def signup_json(
    session: Session, user: StaffUser, signup: MovingSignup, codes: dict[int, str]
) -> dict[str, Any]:
    """One sign-up; `care_needs` only when `user` is its assigned broker."""
    body: dict[str, Any] = {
        "id": signup.id,
        "status": signup.status,
        "stop_reason": signup.stop_reason,
        "channel": signup.channel,
        "signed_up_at": signup.created_at.isoformat(),
        "signed_up_on": to_local(signup.created_at).date().isoformat(),
        "tenancy_code": codes.get(signup.tenancy_id) if signup.tenancy_id else None,
        "broker_id": signup.broker_id,
        "programme_kind": signup.programme_kind,
        "contact": {
            "name": signup.contact_name, "email": signup.email, "phone": signup.phone,
            "by": signup.contact_by, "when": signup.contact_when,
            "languages": [c for c in signup.languages.split(",") if c],
            "languages_other": signup.languages_other,
        },
        "address": {"street": signup.street_address, "postcode": signup.postcode, "town": signup.town},
        "age_band": signup.age_band,
        "household": {"kind": signup.household, "persons": signup.persons},
        "current_home": {
            "type": signup.home_type, "floor": signup.floor, "rooms": signup.rooms,
            "access": signup.access, "rent_cents": signup.current_rent_cents,
        },
        "wishes": {
            "rooms": signup.wish_rooms, "step_free": signup.wish_step_free,
            "near_shops": signup.wish_near_shops, "near_care": signup.wish_near_care,
            "clustered": signup.wish_clustered, "area": signup.wish_area,
        },
        "budget_cents": signup.budget_cents,
        "next_action_on": signup.next_action_on.isoformat() if signup.next_action_on else None,
        "moved_on": signup.moved_on.isoformat() if signup.moved_on else None,
    }  # fmt: skip
    if may_see_care_needs(user.id, user.role, signup.broker_id):
        needs = service.care_needs_for(session, user, signup)
        body["care_needs"] = needs.needs if needs else None
    return body


async def signups(request: Request) -> Response:
    user = require_token(request, Role.BROKER)
    status = request.query_params.get("status", "")
    if status and status not in {s.value for s in Status}:
        raise ApiError(400, "Unknown status", {"allowed": [s.value for s in Status]})
    mine = request.query_params.get("mine", "false")
    if mine not in ("true", "false"):
        raise ApiError(400, "mine must be true or false")
    with new_session(engine(request)) as session:
        rows = service.list_signups(
            session, user.corporation_id, status=status,
            broker_id=user.id if mine == "true" else None,
        )  # fmt: skip
        codes = _tenancy_codes(session, rows)
        items = [signup_json(session, user, row, codes) for row in rows]
    return JSONResponse({"signups": items})


async def signup(request: Request) -> Response:
    user = require_token(request, Role.BROKER)
    with new_session(engine(request)) as session:
        try:
            row = service.get_signup(session, user.corporation_id, request.path_params["signup_id"])
        except service.NotFound:
            raise HTTPException(status_code=404) from None
        return JSONResponse(signup_json(session, user, row, _tenancy_codes(session, [row])))


routes = [
    Route("/moving/signups", signups, methods=["GET"], name="api_moving_signups"),
    Route("/moving/signups/{signup_id:int}", signup, methods=["GET"], name="api_moving_signup"),
]
