"""Helpers for the moving tests (this folder only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bs4 import BeautifulSoup
from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.datastructures import FormData

from consent.accounts.models import StaffUser
from consent.accounts.service import create_api_token
from consent.db import new_session, session_scope
from consent.housing.models import Tenancy
from consent.moving import service
from consent.moving.forms import parse_signup
from consent.moving.models import MovingSignup, SignupCareNeeds
from consent.settings import Settings
from tests.factories import World, corporation_with_complex, staff, tenancies
from tests.factories import sign_in as factories_sign_in

NEEDS = "Ik gebruik een rollator en heb hulp bij het douchen nodig"


def signup_form(**overrides: str) -> dict[str, str]:
    """A complete, valid sign-up form as a browser sends it (code flow)."""
    data = {
        "contact_name": "Tenant 1", "programme_kind": "step_free", "age_band": "65_74",
        "household": "couple", "persons": "2", "home_type": "apartment", "floor": "3",
        "rooms": "4", "access": "stairs", "current_rent": "612,50", "wish_rooms": "2",
        "wish_step_free": "1", "wish_near_shops": "1", "wish_area": "Utrecht Oost",
        "budget": "700", "contact_by": "phone", "contact_when": "morning",
        "phone": "06-12345678", "email": "t1@example.nl", "lang_nl": "1", "lang_tr": "1",
    }  # fmt: skip
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def open_form(**overrides: str) -> dict[str, str]:
    """A valid sign-up without a code: name and address typed in."""
    return signup_form(
        **{"contact_name": "Anna de Vries", "street_address": "Kerkstraat 12",
           "postcode": "3511ab", "town": "Utrecht", **overrides}
    )  # fmt: skip


def page(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def errors_of(response: Any) -> list[str]:
    """The field ids the error summary links to."""
    summary = page(response).select(".error-summary a")
    return [a["href"].lstrip("#") for a in summary]


@dataclass
class Office:
    world: World
    broker: StaffUser
    other_broker: StaffUser
    admin: StaffUser
    case_worker: StaffUser
    tenancies: list[Tenancy]


def office(engine: Engine, slug: str = "acme") -> Office:
    world = corporation_with_complex(engine, slug, homes=6)
    return Office(
        world=world,
        broker=staff(engine, slug, "broker"),
        other_broker=staff(engine, slug, "broker", email=f"broker2@{slug}.example"),
        admin=staff(engine, slug, "admin"),
        case_worker=staff(engine, slug, "case_worker"),
        tenancies=tenancies(engine, world.corporation.id or 0),
    )


def make_signup(
    engine: Engine, corporation_id: int, *, tenancy_id: int | None = None, needs: str = "",
    consent: bool = False, broker_id: int | None = None, status: str = "new",
    created_at: datetime | None = None, moved_on: date | None = None, **form: str,
) -> MovingSignup:  # fmt: skip
    """A sign-up stored through the service (as the forms would), then put in a state."""
    fields = open_form(**form) if tenancy_id is None else signup_form(**form)
    if needs:
        fields["care_needs"] = needs
    if consent:
        fields["care_consent"] = "1"
    data, errors = parse_signup(FormData(fields), open_signup=tenancy_id is None)
    if data is None:  # the helper may store what the form refuses (no consent)
        assert set(errors) == {"care_consent"}, errors
        fields.pop("care_needs")
        data, _errors = parse_signup(FormData(fields), open_signup=tenancy_id is None)
        assert data is not None
        data.care_needs, data.care_consent = needs, False
    with session_scope(engine) as session:
        signup = service.create_signup(
            session, corporation_id=corporation_id, data=data, tenancy_id=tenancy_id, actor="test"
        )
        signup.broker_id, signup.status, signup.moved_on = broker_id, status, moved_on
        if created_at is not None:
            signup.created_at = created_at
        session.add(signup)
    return signup


def stored_needs(engine: Engine) -> list[str]:
    with new_session(engine) as session:
        return [row.needs for row in session.exec(select(SignupCareNeeds)).all()]


def signup_row(engine: Engine, signup_id: int) -> MovingSignup:
    with new_session(engine) as session:
        row = session.get(MovingSignup, signup_id)
        assert row is not None
        return row


def token_for(engine: Engine, settings: Settings, user: StaffUser) -> dict[str, str]:
    with session_scope(engine) as session:
        token = create_api_token(session, settings, user.email, actor="test")
    return {"Authorization": f"Bearer {token}"}


def sign_in(client: Any, email: str) -> Any:
    """Sign in; signing in starts a new session, so the cached CSRF token is dropped."""
    response = factories_sign_in(client, email)
    client._csrf = None
    return response
