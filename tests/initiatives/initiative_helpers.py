"""Helpers for the initiative tests (this folder only)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import select

from consent.access_codes.models import Purpose
from consent.db import new_session, session_scope
from consent.housing.models import Complex, Corporation, Tenancy, Unit
from consent.initiatives import service
from consent.initiatives.models import Initiative
from consent.measures import Measure
from consent.outbox.models import OutboxMessage
from consent.settings import Settings
from tests.factories import World, sign_in, tenancies, tenant_code

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64


def set_corporation(engine: Engine, corporation_id: int, **fields: object) -> None:
    with session_scope(engine) as session:
        corporation = session.get(Corporation, corporation_id)
        assert corporation is not None
        for key, value in fields.items():
            setattr(corporation, key, value)
        session.add(corporation)


def second_complex(
    engine: Engine, corporation_id: int, homes: int = 3
) -> tuple[Complex, list[Tenancy]]:
    """Another complex of the same corporation, with `homes` current tenancies."""
    with session_scope(engine) as session:
        complex_ = Complex(corporation_id=corporation_id, code="C-2", name="De Eik")
        session.add(complex_)
        session.flush()
        made = []
        for i in range(1, homes + 1):
            unit = Unit(corporation_id=corporation_id, complex_id=complex_.id or 0, code=f"E2-{i}",
                        street="Eikstraat", number=i, postcode="3522 AB", town="Utrecht",
                        kind="sociale_huur")  # fmt: skip
            session.add(unit)
            session.flush()
            tenancy = Tenancy(corporation_id=corporation_id, unit_id=unit.id or 0, code=f"HO2-{i}",
                              start_date=date(2015, 1, 1), email=f"eik{i}@example.nl")  # fmt: skip
            session.add(tenancy)
            session.flush()
            made.append(tenancy)
        return complex_, made


def code_for(engine: Engine, settings: Settings, tenancy: Tenancy, complex_id: int) -> str:
    return tenant_code(engine, settings, tenancy, Purpose.INITIATIVE, complex_id)


def enter(client, code: str):  # type: ignore[no-untyped-def]
    response = client.submit("/code", {"code": code})
    assert response.status_code == 303, response.text
    return response


def tenant_browser(client, engine: Engine, settings: Settings, tenancy: Tenancy, complex_id: int):  # type: ignore[no-untyped-def]
    enter(client, code_for(engine, settings, tenancy, complex_id))
    return client


def make_initiative(engine: Engine, settings: Settings, world: World, tenancy: Tenancy | None = None,
                    *, title: str = "Zonnepanelen op het dak", measures: list[Measure] | None = None,
                    staff_id: int | None = None, for_home: bool = False) -> Initiative:  # fmt: skip
    if tenancy is None and staff_id is None:
        tenancy = tenancies(engine, world.corporation.id or 0)[0]
    with session_scope(engine) as session:
        return service.create(
            session, settings, corporation_id=world.corporation.id or 0,
            complex_id=world.complex.id or 0, title=title,
            measures=measures or [Measure.SOLAR_PANELS], measure_text="Op het platte dak.",
            reason="De energierekening is hoog.", offer_cents=None, actor="test",
            tenancy_id=tenancy.id if tenancy else None, staff_id=staff_id, for_home=for_home,
        )  # fmt: skip


def reload(engine: Engine, initiative_id: int) -> Initiative:
    with new_session(engine) as session:
        found = session.get(Initiative, initiative_id)
        assert found is not None
        return found


def outbox(engine: Engine, template: str | None = None) -> list[OutboxMessage]:
    with new_session(engine) as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)  # type: ignore[arg-type]
        if template:
            query = query.where(OutboxMessage.template == template)
        return list(session.exec(query).all())


def staff_sign_in(client, email: str):  # type: ignore[no-untyped-def]
    """Sign in; signing in starts a new session, so the cached CSRF token is dropped."""
    response = sign_in(client, email)
    client._csrf = None
    return response
