"""Import the register CSV: all or nothing, idempotent, updates in place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from consent.accounts.service import corporation_by_slug
from consent.audit.service import Action, record
from consent.db import session_scope
from consent.housing.csv_rows import RegisterRow, RowError, decode, parse
from consent.housing.models import Complex, Tenancy, Tenant, Unit
from consent.timeutil import to_local, utcnow

UNIT_FIELDS = ("street", "number", "letter", "addition", "postcode", "town", "kind",
               "bare_rent_cents")  # fmt: skip
TENANCY_FIELDS = ("start_date", "language", "email", "phone")


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    tenancies_started: int = 0
    tenancies_ended: int = 0

    def summary(self) -> str:
        return (
            f"imported {self.rows} rows: {self.created} units created, {self.updated} updated, "
            f"{self.unchanged} unchanged; {self.tenancies_started} tenancies started, "
            f"{self.tenancies_ended} ended"
        )


def import_file(engine: Engine, path: Path, corporation_slug: str, actor: str) -> ImportResult:
    return import_text(engine, decode(path.read_bytes()), corporation_slug, actor)


def import_text(engine: Engine, text: str, corporation_slug: str, actor: str) -> ImportResult:
    rows, errors = parse(text)
    if errors:
        return ImportResult(errors=errors)
    with session_scope(engine) as session:
        corporation = corporation_by_slug(session, corporation_slug)
        result = apply_rows(session, corporation.id or 0, rows)
        if not result.errors:
            record(
                session,
                actor=actor,
                action=Action.REGISTER_IMPORTED,
                object_type="corporation",
                object_id=corporation.id,
                corporation_id=corporation.id,
                details={
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "ended": result.tenancies_ended,
                },
            )
        else:
            session.rollback()
    return result


def apply_rows(session: Session, corporation_id: int, rows: list[RegisterRow]) -> ImportResult:
    """Bring the register in line with `rows` in the caller's transaction."""
    result = ImportResult(rows=len(rows))
    today = to_local(utcnow()).date()
    complexes = {
        c.code: c
        for c in session.exec(select(Complex).where(Complex.corporation_id == corporation_id))
    }
    units = {
        u.code: u for u in session.exec(select(Unit).where(Unit.corporation_id == corporation_id))
    }
    all_tenancies = session.exec(
        select(Tenancy).where(Tenancy.corporation_id == corporation_id)
    ).all()
    tenancy_by_code = {t.code: t for t in all_tenancies}
    current_by_unit = {t.unit_id: t for t in all_tenancies if t.end_date is None}
    names: dict[int, list[str]] = {}
    for tenant in session.exec(
        select(Tenant)
        .join(Tenancy, col(Tenancy.id) == col(Tenant.tenancy_id))
        .where(Tenancy.corporation_id == corporation_id)
        .order_by(col(Tenant.tenancy_id), col(Tenant.position))
    ):
        names.setdefault(tenant.tenancy_id, []).append(tenant.name)

    for row in rows:
        complex_ = complexes.get(row.complex_code)
        if complex_ is None:
            complex_ = Complex(
                corporation_id=corporation_id, code=row.complex_code, name=row.complex_name
            )
            session.add(complex_)
            session.flush()
            complexes[row.complex_code] = complex_
        elif complex_.name != row.complex_name:
            complex_.name = row.complex_name
            session.add(complex_)
        wanted = {"street": row.street, "number": row.number, "letter": row.letter,
                  "addition": row.addition, "postcode": row.postcode, "town": row.town,
                  "kind": row.kind, "bare_rent_cents": row.bare_rent_cents}  # fmt: skip
        unit = units.get(row.unit_code)
        is_new = unit is None
        changed = False
        if unit is None:
            unit = Unit(
                corporation_id=corporation_id,
                complex_id=complex_.id or 0,
                code=row.unit_code,
                **wanted,
            )  # type: ignore[arg-type]
            session.add(unit)
            session.flush()
            units[row.unit_code] = unit
        else:
            if unit.complex_id != complex_.id:
                unit.complex_id = complex_.id or 0
                changed = True
            for name, value in wanted.items():
                if getattr(unit, name) != value:
                    setattr(unit, name, value)
                    changed = True
            if changed:
                session.add(unit)
        owner = tenancy_by_code.get(row.tenancy_code)
        if owner is not None and owner.unit_id != unit.id:
            result.errors.append(
                RowError(
                    row.line, f"huurovereenkomstCode {row.tenancy_code} belongs to another unit"
                )
            )
            continue
        changed = (
            _apply_tenancy(
                session, result, row, unit, tenancy_by_code, current_by_unit, names, today
            )
            or changed
        )
        if is_new:
            result.created += 1
        elif changed:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def _apply_tenancy(
    session: Session,
    result: ImportResult,
    row: RegisterRow,
    unit: Unit,
    tenancy_by_code: dict[str, Tenancy],
    current_by_unit: dict[int, Tenancy],
    names: dict[int, list[str]],
    today: date,
) -> bool:
    unit_id = unit.id or 0
    current = current_by_unit.get(unit_id)
    if current is not None and current.code != row.tenancy_code:
        current.end_date = row.start_date if row.tenancy_code and row.start_date else today
        session.add(current)
        del current_by_unit[unit_id]
        result.tenancies_ended += 1
        current = None
        changed = True
    else:
        changed = False
    if not row.tenancy_code:
        return changed
    wanted = {"start_date": row.start_date, "language": row.language, "email": row.email,
              "phone": row.phone}  # fmt: skip
    tenancy = current or tenancy_by_code.get(row.tenancy_code)
    if tenancy is None:
        tenancy = Tenancy(
            corporation_id=unit.corporation_id, unit_id=unit_id, code=row.tenancy_code, **wanted
        )  # type: ignore[arg-type]
        session.add(tenancy)
        session.flush()
        tenancy_by_code[tenancy.code] = tenancy
        result.tenancies_started += 1
        changed = True
    else:
        if tenancy.end_date is not None:
            tenancy.end_date = None
            changed = True
        for name, value in wanted.items():
            if getattr(tenancy, name) != value:
                setattr(tenancy, name, value)
                changed = True
        if changed:
            session.add(tenancy)
    current_by_unit[unit_id] = tenancy
    tenancy_id = tenancy.id or 0
    if names.get(tenancy_id, []) != list(row.tenants):
        session.execute(delete(Tenant).where(col(Tenant.tenancy_id) == tenancy_id))
        session.add_all(
            Tenant(tenancy_id=tenancy_id, position=i, name=name)
            for i, name in enumerate(row.tenants)
        )
        names[tenancy_id] = list(row.tenants)
        changed = True
    return changed
