"""Reading the housing register, always within one corporation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from consent.accounts.models import Role, StaffUser
from consent.audit.service import Action, record
from consent.housing.csv_rows import RegisterRow, RowError
from consent.housing.models import Complex, Tenancy, Tenant, Unit
from consent.housing.register_sync import apply_rows


@dataclass(frozen=True)
class ComplexSummary:
    complex: Complex
    units: int


def list_complexes(
    session: Session, corporation_id: int, only_complex_id: int | None = None
) -> list[ComplexSummary]:
    query = (
        select(Complex, func.count(col(Unit.id)))
        .join(Unit, col(Unit.complex_id) == col(Complex.id), isouter=True)
        .where(Complex.corporation_id == corporation_id)
        .group_by(col(Complex.id))
        .order_by(col(Complex.code))
    )
    if only_complex_id is not None:
        query = query.where(Complex.id == only_complex_id)
    return [ComplexSummary(complex_, count) for complex_, count in session.exec(query).all()]


def get_complex(session: Session, corporation_id: int, complex_id: int) -> Complex | None:
    found = session.get(Complex, complex_id)
    return found if found is not None and found.corporation_id == corporation_id else None


def only_complex(user: StaffUser) -> int | None:
    """The one complex a committee member may see (0: none); None for other staff."""
    return (user.complex_id or 0) if user.role == Role.COMMITTEE else None


def sees_personal_data(user: StaffUser) -> bool:
    """Committee members see their complex's aggregates, never who lives where."""
    return user.role != Role.COMMITTEE


def visible_complex(user: StaffUser, found: Complex | None) -> Complex | None:
    """`found` if this user may open it: same corporation, and a committee's own complex."""
    if found is None or found.corporation_id != user.corporation_id:
        return None
    limit = only_complex(user)
    return found if limit is None or found.id == limit else None


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


class RegisterRefused(ValueError):
    """Rows that are valid on their own but conflict with the register (codes in use)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(error.reason for error in errors))
        self.errors = errors


def create_complex(
    session: Session, corporation_id: int, rows: list[RegisterRow], actor: str
) -> Complex:
    """A new complex from checked rows (one complex), through the same path as the import."""
    code = rows[0].complex_code
    if complex_by_code(session, corporation_id, code) is not None:
        message = f"clusterCode {code} already exists"
        raise RegisterRefused([RowError(0, message, (("clusterCode", message),))])
    taken = set(
        session.exec(
            select(Unit.code).where(
                Unit.corporation_id == corporation_id,
                col(Unit.code).in_([row.unit_code for row in rows]),
            )
        ).all()
    )
    errors = [
        RowError(row.line, message, (("eenheidCode", message),))
        for row in rows
        if row.unit_code in taken
        for message in [f"eenheidCode {row.unit_code} is already in another complex"]
    ]
    if errors:
        raise RegisterRefused(errors)
    result = apply_rows(session, corporation_id, rows)
    if result.errors:
        raise RegisterRefused(result.errors)
    created = complex_by_code(session, corporation_id, code)
    assert created is not None
    record(
        session,
        actor=actor,
        action=Action.COMPLEX_CREATED,
        object_type="complex",
        object_id=created.id,
        corporation_id=corporation_id,
        details={
            "complex_code": code,
            "units": result.created,
            "tenancies": result.tenancies_started,
        },
    )
    return created
