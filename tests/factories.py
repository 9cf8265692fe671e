"""Test data built through the real services (import, accounts, codes)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import select

from consent.access_codes.models import Purpose
from consent.access_codes.service import issue
from consent.accounts.models import StaffUser
from consent.accounts.service import create_corporation, create_staff
from consent.db import new_session, session_scope
from consent.housing.csv_rows import COLUMNS
from consent.housing.importer import import_text
from consent.housing.models import Complex, Corporation, Tenancy
from consent.settings import Settings

PASSWORD = "correct horse battery staple"
LANGS = ("nl", "en", "tr", "ar", "pl", "uk")


def register_csv(complex_code: str = "C-1", homes: int = 12, *, prefix: str = "", vacant: int = 0,
                 sold: int = 0, co_tenants: bool = True, name: str = "De Linde") -> str:
    """A register CSV: `homes` rented homes, then vacant and sold units."""
    lines = [",".join(COLUMNS)]
    total = homes + vacant + sold
    for i in range(1, total + 1):
        unit = f"{prefix}E-{complex_code}-{i:04d}"
        kind, tenancy, start, names, lang = "sociale_huur", "", "", "", ""
        if i <= homes:
            tenancy, start = f"{prefix}HO-{complex_code}-{i:04d}", "2015-01-01"
            names = f"Tenant {i}" + (f"|Partner {i}" if co_tenants and i % 3 == 0 else "")
            lang = LANGS[i % len(LANGS)]
        elif i > homes + vacant:
            kind = "koop"
        lines.append(",".join([
            complex_code, name, unit, "Lindelaan", str(i), "", "", "3521 KL", "Utrecht", kind,
            tenancy, start, names, lang, f"t{i}@example.nl" if tenancy else "",
            f"06-1000{i:04d}" if tenancy else "", "600.00",
        ]))  # fmt: skip
    return "\n".join(lines) + "\n"


@dataclass
class World:
    corporation: Corporation
    complex: Complex


def corporation_with_complex(engine: Engine, slug: str = "acme", homes: int = 12, **csv: object) -> World:
    with session_scope(engine) as session:
        create_corporation(session, slug, slug.title(), actor="test")
    result = import_text(engine, register_csv(homes=homes, prefix=f"{slug}-", **csv), slug, "test")  # type: ignore[arg-type]
    assert not result.errors, result.errors
    with new_session(engine) as session:
        corporation = session.exec(select(Corporation).where(Corporation.slug == slug)).one()
        complex_ = session.exec(select(Complex).where(Complex.corporation_id == corporation.id)).first()
        assert complex_ is not None
        return World(corporation, complex_)


def staff(engine: Engine, slug: str, role: str, email: str | None = None, complex_code: str | None = None) -> StaffUser:
    with session_scope(engine) as session:
        return create_staff(
            session,
            email=email or f"{role}@{slug}.example",
            role=role,
            corporation_slug=slug,
            password=PASSWORD,
            actor="test",
            complex_code=complex_code,
        )


def sign_in(client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    response = client.submit("/inloggen", {"email": email, "password": password})
    assert response.status_code == 303, response.text
    client._csrf = None  # signing in starts a new session with a new CSRF token
    return response


def tenancies(engine: Engine, corporation_id: int) -> list[Tenancy]:
    with new_session(engine) as session:
        return list(session.exec(
            select(Tenancy).where(Tenancy.corporation_id == corporation_id).order_by(Tenancy.code)
        ).all())  # fmt: skip


def tenant_code(engine: Engine, settings: Settings, tenancy: Tenancy, purpose: Purpose = Purpose.PROPOSAL,
                object_id: int | None = None) -> str:
    with session_scope(engine) as session:
        return issue(session, settings, corporation_id=tenancy.corporation_id, tenancy_id=tenancy.id or 0,
                     purpose=purpose, object_id=object_id, actor="test")  # fmt: skip


def api_token(engine: Engine, settings: Settings, email: str) -> dict[str, str]:
    """Authorization headers with a new bearer token for a staff account."""
    from consent.accounts.service import create_api_token

    with session_scope(engine) as session:
        token = create_api_token(session, settings, email, actor="test")
    return {"Authorization": f"Bearer {token}"}
