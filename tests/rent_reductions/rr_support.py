"""Helpers for the rent-reduction tests (this folder only)."""

from __future__ import annotations

import datetime as dt
import json
import re

from bs4 import BeautifulSoup
from sqlalchemy.engine import Engine
from sqlmodel import select

from consent.access_codes.models import Purpose
from consent.accounts.models import StaffUser
from consent.db import new_session, session_scope
from consent.housing.models import Tenancy
from consent.rent_reductions import casework, evidence, registry, service
from consent.rent_reductions.models import ReductionRequest
from consent.settings import Settings
from tests.factories import World, corporation_with_complex, tenancies, tenant_code

IN_2024 = dt.date(2024, 6, 3)
S24 = "huurverlaging-2024"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def refresh_csrf(client) -> None:  # type: ignore[no-untyped-def]
    """After sign-in the session (and its CSRF token) is new: read it from a page."""
    match = CSRF.search(client.get("/").text)
    assert match
    client._csrf = match.group(1)


def enable(engine: Engine, corporation_id: int, scheme_id: str = S24, on: bool = True) -> None:
    with session_scope(engine) as session:
        registry.set_enabled(session, corporation_id, scheme_id, on, "test")


def world_with_scheme(engine: Engine, slug: str = "acme", homes: int = 4) -> World:
    world = corporation_with_complex(engine, slug, homes=homes)
    enable(engine, world.corporation.id or 0)
    return world


def rr_code(engine: Engine, settings: Settings, tenancy: Tenancy) -> str:
    return tenant_code(engine, settings, tenancy, Purpose.RENT_REDUCTION, tenancy.id)


def enter(client, code: str):  # type: ignore[no-untyped-def]
    response = client.submit("/code", {"code": code})
    assert response.status_code == 303, response.text
    return response


def household_form(**changes: str) -> dict[str, str]:
    data = {
        "adult1_name": "Tenant 1",
        "adult1_birth": "15-05-1980",
        "rent": "600,00",
    }
    data.update(changes)
    return data


ANSWERS = {
    "adults": [{"name": "Tenant 1", "birth_date": "1980-05-15", "income_cents": 1000000}],
    "children": [{"birth_date": "2010-02-02"}],
    "rent_cents": 60000,
    "earlier": [],
    "income_dropped_on": "2024-01-15",
}


def sent_request(
    engine: Engine,
    settings: Settings,
    tenancy: Tenancy,
    answers: dict[str, object] | None = None,
    files: list[tuple[str, bytes]] | None = None,
) -> ReductionRequest:
    """A request sent through the service (the scheme must be open: use ``in_2024``)."""
    with session_scope(engine) as session:
        fresh = session.get(Tenancy, tenancy.id)
        assert fresh is not None
        req = service.start_draft(session, fresh, S24)
        req.answers = json.dumps(answers or ANSWERS)
        for name, content in files or []:
            evidence.add_evidence(session, settings, req, "income_month_1", name, content)
        service.submit(session, settings, req, fresh)
        return req


def other_tenancy(engine: Engine, corporation_id: int, index: int = 1) -> Tenancy:
    return tenancies(engine, corporation_id)[index]


def load(engine: Engine, request_id: int) -> ReductionRequest:
    with new_session(engine) as session:
        req = session.get(ReductionRequest, request_id)
        assert req is not None
        return req


def staff_user(engine: Engine, email: str) -> StaffUser:
    with new_session(engine) as session:
        return session.exec(select(StaffUser).where(StaffUser.email == email)).one()


def decide(engine: Engine, settings: Settings, request_id: int, user: StaffUser, approve: bool = True,
           reason: str = "") -> ReductionRequest:  # fmt: skip
    with session_scope(engine) as session:
        req = session.get(ReductionRequest, request_id)
        assert req is not None
        casework.decide(session, settings, req, approve, reason, user)
        return req
