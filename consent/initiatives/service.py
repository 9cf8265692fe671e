"""Starting, co-signing and submitting initiatives (transactions, audit, notifications).

Every state-changing function first "touches" the initiative row with an UPDATE. That takes
SQLite's write lock and a PostgreSQL row lock, so concurrent signatures and submissions of
one initiative run one after the other and always see each other's rows.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from consent.audit.service import record
from consent.housing.models import Corporation, Tenancy, Unit
from consent.initiatives import notify, rules
from consent.initiatives.models import Initiative, Pause, Signature, Status, StatusChange
from consent.measures import Measure, encode
from consent.settings import Settings
from consent.timeutil import utcnow


class InitiativeError(ValueError):
    """A request that cannot be carried out; `str(exc)` is a short reason code."""


class SignResult(StrEnum):
    SIGNED = "signed"
    ALREADY = "already"
    CLOSED = "closed"
    NOT_ALLOWED = "not_allowed"


def current_tenancies(complex_id: int, today: date | None = None) -> SelectOfScalar[Tenancy]:
    """A select of the tenancies living in the complex today."""
    day = today or utcnow().date()
    return (
        select(Tenancy)
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(
            Unit.complex_id == complex_id,
            col(Tenancy.start_date) <= day,
            or_(col(Tenancy.end_date).is_(None), col(Tenancy.end_date) > day),
        )
    )


def households(session: Session, complex_id: int) -> int:
    query = current_tenancies(complex_id).subquery()
    return int(session.exec(select(func.count()).select_from(query)).one())


def tenancy_of_complex(
    session: Session, tenancy_id: int, complex_id: int, corporation_id: int
) -> Tenancy | None:
    """The tenancy if it lives in this complex of this corporation today, else None."""
    tenancy = session.exec(
        current_tenancies(complex_id).where(
            Tenancy.id == tenancy_id, Tenancy.corporation_id == corporation_id
        )
    ).first()
    return tenancy


def support(session: Session, initiative: Initiative) -> rules.Support:
    signed = session.exec(
        select(func.count(col(Signature.id))).where(Signature.initiative_id == initiative.id)
    ).one()
    return rules.Support(int(signed), households(session, initiative.complex_id))


def pauses(session: Session, initiative_id: int) -> list[Pause]:
    return list(
        session.exec(
            select(Pause).where(Pause.initiative_id == initiative_id).order_by(col(Pause.id))
        ).all()
    )


def lock(session: Session, initiative_id: int) -> Initiative:
    """The initiative, locked for this transaction (see the module docstring)."""
    touched = session.execute(
        update(Initiative).where(col(Initiative.id) == initiative_id).values(updated_at=utcnow())
    )
    found = session.get(Initiative, initiative_id, populate_existing=True)
    if not touched.rowcount or found is None:  # type: ignore[attr-defined]
        raise InitiativeError("not_found")
    return found


def refresh_due(session: Session, initiative: Initiative) -> None:
    corporation = session.get(Corporation, initiative.corporation_id)
    assert corporation is not None
    spans = [(p.started_at, p.ended_at) for p in pauses(session, initiative.id or 0)]
    initiative.due_at = rules.due_at(
        initiative.submitted_at, corporation.initiative_response_days, spans
    )


def move(
    session: Session,
    settings: Settings,
    initiative: Initiative,
    target: Status,
    *,
    actor: str,
    note: str = "",
) -> None:
    """Change the status: history row, audit event, and a message to everyone following."""
    if not rules.can_move(initiative.status, target):
        raise InitiativeError("state")
    now = utcnow()
    previous = initiative.status
    initiative.status = target.value
    initiative.updated_at = now
    if target is Status.SUBMITTED and initiative.submitted_at is None:
        initiative.submitted_at = now
    refresh_due(session, initiative)
    session.add(initiative)
    session.add(
        StatusChange(
            initiative_id=initiative.id or 0,
            from_status=previous,
            to_status=target.value,
            at=now,
            by_staff=actor.startswith("staff:"),
            note=note,
        )
    )
    session.flush()
    record(
        session,
        actor=actor,
        action=f"initiative.{target.value}",
        object_type="initiative",
        object_id=initiative.id,
        corporation_id=initiative.corporation_id,
        details={"from": previous},
    )
    notify.status_changed(session, settings, initiative, note)


def create(
    session: Session,
    settings: Settings,
    *,
    corporation_id: int,
    complex_id: int,
    title: str,
    measures: list[Measure],
    measure_text: str,
    reason: str,
    offer_cents: int | None,
    actor: str,
    tenancy_id: int | None = None,
    staff_id: int | None = None,
    for_home: bool = False,
) -> Initiative:
    """A new draft. A tenant's own initiative counts the tenant as its first signature."""
    if (tenancy_id is None) == (staff_id is None):
        raise InitiativeError("initiator")
    unit_id = None
    if tenancy_id is not None:
        tenancy = tenancy_of_complex(session, tenancy_id, complex_id, corporation_id)
        if tenancy is None:
            raise InitiativeError("not_allowed")
        unit_id = tenancy.unit_id if for_home else None
    initiative = Initiative(
        corporation_id=corporation_id,
        complex_id=complex_id,
        unit_id=unit_id,
        initiator_tenancy_id=tenancy_id,
        initiator_staff_id=staff_id,
        title=title,
        measures=encode(measures),
        measure_text=measure_text,
        reason=reason,
        offer_cents=offer_cents,
    )
    session.add(initiative)
    session.flush()
    session.add(StatusChange(initiative_id=initiative.id or 0, to_status=Status.DRAFT.value))
    if tenancy_id is not None:
        session.add(Signature(initiative_id=initiative.id or 0, tenancy_id=tenancy_id))
    record(
        session,
        actor=actor,
        action="initiative.created",
        object_type="initiative",
        object_id=initiative.id,
        corporation_id=corporation_id,
        details={"complex_id": complex_id, "for_home": unit_id is not None},
    )
    session.flush()
    return initiative


def _auto_submit(session: Session, settings: Settings, initiative: Initiative) -> bool:
    """Submit when the corporation's support threshold is reached while collecting."""
    if initiative.status != Status.COLLECTING:
        return False
    corporation = session.get(Corporation, initiative.corporation_id)
    assert corporation is not None
    now = support(session, initiative)
    if not rules.threshold_reached(
        now.signed, now.households, corporation.initiative_support_percent
    ):
        return False
    move(session, settings, initiative, Status.SUBMITTED, actor="system", note="threshold")
    return True


def open_for_signing(
    session: Session, settings: Settings, initiative_id: int, *, actor: str
) -> Initiative:
    initiative = lock(session, initiative_id)
    if not rules.can_collect(initiative.status, initiative.unit_id is not None):
        raise InitiativeError("state")
    move(session, settings, initiative, Status.COLLECTING, actor=actor)
    _auto_submit(session, settings, initiative)
    return initiative


def submit(session: Session, settings: Settings, initiative_id: int, *, actor: str) -> Initiative:
    initiative = lock(session, initiative_id)
    move(session, settings, initiative, Status.SUBMITTED, actor=actor)
    return initiative


def sign(session: Session, settings: Settings, initiative_id: int, tenancy_id: int) -> SignResult:
    """One signature per tenancy living in the initiative's complex, while collecting."""
    initiative = lock(session, initiative_id)
    if initiative.status != Status.COLLECTING or initiative.unit_id is not None:
        return SignResult.CLOSED
    tenancy = tenancy_of_complex(
        session, tenancy_id, initiative.complex_id, initiative.corporation_id
    )
    if tenancy is None:
        return SignResult.NOT_ALLOWED
    existing = session.exec(
        select(Signature).where(
            Signature.initiative_id == initiative_id, Signature.tenancy_id == tenancy_id
        )
    ).first()
    if existing is not None:
        return SignResult.ALREADY
    try:
        with session.begin_nested():
            session.add(Signature(initiative_id=initiative_id, tenancy_id=tenancy_id))
    except IntegrityError:
        return SignResult.ALREADY
    record(
        session,
        actor=f"tenancy:{tenancy_id}",
        action="initiative.signed",
        object_type="initiative",
        object_id=initiative_id,
        corporation_id=initiative.corporation_id,
    )
    _auto_submit(session, settings, initiative)
    return SignResult.SIGNED
