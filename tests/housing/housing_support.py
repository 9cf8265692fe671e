"""Helpers for the housing tests: a CSV written column by column, and the stored register."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from consent.accounts.service import create_corporation
from consent.db import new_session, session_scope
from consent.housing.csv_rows import COLUMNS
from consent.housing.models import Complex, Corporation, Tenancy, Tenant, Unit

BASE = {
    "clusterCode": "C-1", "clusterNaam": "De Linde", "straatnaam": "Lindelaan",
    "postcode": "3521 KL", "woonplaats": "Utrecht", "soort": "sociale_huur",
    "kaleHuur": "600.00",
}  # fmt: skip


def unit(n: int, **fields: str) -> dict[str, str]:
    """A rented unit `n` (tenancy HO-n), changed by `fields`."""
    row = {**BASE, "eenheidCode": f"E-{n}", "huisnummer": str(n), "huurovereenkomstCode": f"HO-{n}",
           "ingangsdatum": "2015-01-01", "huurders": f"Huurder {n}", "taal": "nl",
           "email": f"h{n}@example.nl", "telefoon": f"06-1000{n:04d}"}  # fmt: skip
    row.update(fields)
    return row


def vacant(n: int, **fields: str) -> dict[str, str]:
    empty = {"huurovereenkomstCode": "", "ingangsdatum": "", "huurders": "", "taal": "",
             "email": "", "telefoon": ""}  # fmt: skip
    return unit(n, **{**empty, **fields})


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if any(ch in value for ch in ',"\n') else value

    lines = [",".join(columns)]
    lines += [",".join(cell(row.get(column, "")) for column in columns) for row in rows]
    return "\n".join(lines) + "\n"


def make_corporation(engine: Engine, slug: str = "acme") -> int:
    with session_scope(engine) as session:
        return create_corporation(session, slug, slug.title(), actor="test").id or 0


def snapshot(engine: Engine, corporation_id: int) -> dict[str, Any]:
    """Everything stored for a corporation, as comparable plain values."""
    with new_session(engine) as session:
        complexes = sorted((c.code, c.name) for c in session.exec(
            select(Complex).where(Complex.corporation_id == corporation_id)))  # fmt: skip
        units = sorted(
            (u.code, u.complex_id, u.street, u.number, u.letter, u.addition, u.postcode, u.town,
             u.kind, u.bare_rent_cents, u.id)
            for u in session.exec(select(Unit).where(Unit.corporation_id == corporation_id))
        )  # fmt: skip
        tenancies = sorted(
            (t.code, t.unit_id, t.start_date, t.end_date, t.language, t.email, t.phone, t.id)
            for t in session.exec(select(Tenancy).where(Tenancy.corporation_id == corporation_id))
        )  # fmt: skip
        tenants = sorted(
            (t.tenancy_id, t.position, t.name)
            for t in session.exec(
                select(Tenant).join(Tenancy, col(Tenancy.id) == col(Tenant.tenancy_id))
                .where(Tenancy.corporation_id == corporation_id))
        )  # fmt: skip
    return {"complexes": complexes, "units": units, "tenancies": tenancies, "tenants": tenants}


def tenancy(engine: Engine, code: str) -> Tenancy:
    with new_session(engine) as session:
        return session.exec(select(Tenancy).where(Tenancy.code == code)).one()


def names(engine: Engine, tenancy_code: str) -> list[str]:
    with new_session(engine) as session:
        found = session.exec(select(Tenancy).where(Tenancy.code == tenancy_code)).one()
        return [t.name for t in session.exec(
            select(Tenant).where(Tenant.tenancy_id == found.id).order_by(col(Tenant.position)))]  # fmt: skip


def corporation_id(engine: Engine, slug: str) -> int:
    with new_session(engine) as session:
        return session.exec(select(Corporation).where(Corporation.slug == slug)).one().id or 0
