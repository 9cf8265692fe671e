"""Reading the housing register, always within one corporation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from consent.housing.models import Complex, Tenancy, Tenant, Unit


@dataclass(frozen=True)
class ComplexSummary:
    complex: Complex
    units: int


def list_complexes(session: Session, corporation_id: int) -> list[ComplexSummary]:
    rows = session.exec(
        select(Complex, func.count(col(Unit.id)))
        .join(Unit, col(Unit.complex_id) == col(Complex.id), isouter=True)
        .where(Complex.corporation_id == corporation_id)
        .group_by(col(Complex.id))
        .order_by(col(Complex.code))
    ).all()
    return [ComplexSummary(complex_, count) for complex_, count in rows]


def get_complex(session: Session, corporation_id: int, complex_id: int) -> Complex | None:
    found = session.get(Complex, complex_id)
    return found if found is not None and found.corporation_id == corporation_id else None


def complex_by_code(session: Session, corporation_id: int, code: str) -> Complex | None:
    return session.exec(
        select(Complex).where(Complex.corporation_id == corporation_id, Complex.code == code)
    ).first()


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    tenancy: Tenancy | None
    tenants: list[Tenant]


def units_of(session: Session, complex_id: int) -> list[UnitRow]:
    """Every unit of a complex with its current tenancy and tenants, in three queries."""
    units = session.exec(
        select(Unit).where(Unit.complex_id == complex_id).order_by(col(Unit.code))
    ).all()
    unit_ids = [u.id for u in units]
    tenancies = session.exec(
        select(Tenancy).where(col(Tenancy.unit_id).in_(unit_ids), col(Tenancy.end_date).is_(None))
    ).all()
    by_unit = {t.unit_id: t for t in tenancies}
    tenants = session.exec(
        select(Tenant)
        .where(col(Tenant.tenancy_id).in_([t.id for t in tenancies]))
        .order_by(col(Tenant.position))
    ).all()
    names: dict[int, list[Tenant]] = {}
    for tenant in tenants:
        names.setdefault(tenant.tenancy_id, []).append(tenant)
    return [
        UnitRow(
            u,
            by_unit.get(u.id or 0),
            names.get(by_unit[u.id or 0].id or 0, []) if u.id in by_unit else [],
        )
        for u in units
    ]
