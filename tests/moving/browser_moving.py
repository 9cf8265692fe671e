"""Browser visits (axe, reflow, CSP) for the moving pages that need data, and that data."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.datastructures import FormData

from consent.access_codes.models import Purpose
from consent.accounts.models import StaffUser
from consent.db import session_scope
from consent.moving import programmes, service
from consent.moving.forms import parse_signup
from consent.moving.models import Programme
from consent.settings import Settings
from tests.browser.seed import Seed
from tests.browser.visits import Page, Visit, submit
from tests.factories import tenancies, tenant_code
from tests.moving.moving_helpers import NEEDS, signup_form

BROKER = "staff:broker"


def seed(engine: Engine, settings: Settings, data: Seed) -> None:
    homes = tenancies(engine, data.corporation_id)
    fresh, signed = homes[1], homes[2]
    data.codes["moving"] = tenant_code(engine, settings, fresh, Purpose.MOVING, fresh.id)
    data.codes["moving_done"] = tenant_code(engine, settings, signed, Purpose.MOVING, signed.id)
    form = FormData({**signup_form(), "care_needs": NEEDS, "care_consent": "1"})
    signup_data, errors = parse_signup(form, open_signup=False)
    assert signup_data is not None, errors
    with session_scope(engine) as session:
        programmes.seed_sample_programmes(session, data.corporation_id, actor="seed")
        broker = session.exec(
            select(StaffUser).where(StaffUser.email == data.staff["broker"])
        ).one()
        signup = service.create_signup(
            session, corporation_id=data.corporation_id, data=signup_data, tenancy_id=signed.id,
            actor="seed",
        )  # fmt: skip
        service.assign(session, broker, signup, broker.id)
        service.add_note(session, broker, signup, "Eerste gesprek gepland")
        programme = session.exec(
            select(Programme).where(Programme.corporation_id == data.corporation_id)
        ).first()
        assert programme is not None
    data.extra["moving"] = {
        "fresh": fresh.id, "signed": signed.id, "signup": signup.id, "programme": programme.id,
    }  # fmt: skip


def _ids(key: str, param: str):  # type: ignore[no-untyped-def]
    return lambda seed: {param: seed.extra["moving"][key]}


def _stop_without_reason(page: Page, seed: Seed) -> None:
    page.select_option("#status", "stopped")
    with page.expect_navigation():
        page.click("form[action$='/status'] button[type=submit]")


VISITS = [
    Visit("moving-signup", "moving_signup", who="tenant:moving", params=_ids("fresh", "object_id"),
          expect="main form #care_consent", tenant_page=True),
    Visit("moving-signup-errors", "moving_signup", who="tenant:moving",
          params=_ids("fresh", "object_id"),
          act=lambda page, seed: submit(page, {"#rooms": "veel", "#care_needs": "Rolstoel"}),
          expect=".error-summary a[href='#care_consent']", tenant_page=True),
    Visit("moving-signup-done", "moving_signup", who="tenant:moving_done",
          params=_ids("signed", "object_id"), expect="main .notice-success", tenant_page=True),
    Visit("moving-signup-open-errors", "moving_signup_open", params=lambda seed: {"slug": "acme"},
          act=lambda page, seed: submit(page, {"#postcode": "12"}),
          expect=".error-summary a[href='#postcode']", tenant_page=True),
    Visit("moving-caseload-rows", "moving_caseload", who=BROKER, expect="main table caption"),
    Visit("moving-case-broker", "moving_case", who=BROKER, params=_ids("signup", "signup_id"),
          expect="main form[action$='/zorg-wissen']"),
    Visit("moving-case-admin-errors", "moving_case", who="staff:admin",
          params=_ids("signup", "signup_id"), act=_stop_without_reason,
          expect=".error-summary a[href='#stop_reason']"),
    Visit("moving-report-chart", "moving_report", who=BROKER, expect="main svg[role=img] title"),
    Visit("moving-programme-edit", "moving_programme_edit", who="staff:admin",
          params=_ids("programme", "programme_id"), expect="main form #moving_allowance"),
    Visit("moving-programmes-admin", "moving_programmes", who="staff:admin",
          expect="main table caption"),
]  # fmt: skip
