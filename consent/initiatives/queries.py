"""Read side: who may see which initiative, and everything a detail page or the API shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from consent.accounts.models import Role, StaffUser
from consent.housing.models import Complex, Corporation
from consent.initiatives import attachments, rules
from consent.initiatives.models import (
    Attachment,
    Initiative,
    Pause,
    Signature,
    Status,
    StatusChange,
)
from consent.initiatives.service import pauses, support
from consent.measures import Measure, decode


def tenant_may_see(initiative: Initiative, tenancy_id: int) -> bool:
    """Tenants of the complex see its initiatives; drafts and home requests only the initiator."""
    if initiative.initiator_tenancy_id == tenancy_id:
        return True
    return initiative.status != Status.DRAFT and initiative.unit_id is None


def for_tenant(session: Session, complex_id: int, tenancy_id: int) -> list[Initiative]:
    rows = session.exec(
        select(Initiative)
        .where(
            Initiative.complex_id == complex_id,
            or_(
                col(Initiative.initiator_tenancy_id) == tenancy_id,
                (col(Initiative.status) != Status.DRAFT) & col(Initiative.unit_id).is_(None),
            ),
        )
        .order_by(col(Initiative.id).desc())
    ).all()
    return list(rows)


def staff_may_see(initiative: Initiative, user: StaffUser) -> bool:
    if initiative.corporation_id != user.corporation_id:
        return False
    if user.role == Role.COMMITTEE and initiative.complex_id != user.complex_id:
        return False
    return initiative.status != Status.DRAFT or initiative.initiator_staff_id == user.id


def for_staff(session: Session, user: StaffUser, status: str | None = None) -> list[Initiative]:
    """The user's corporation (a committee member: their complex), drafts only their own."""
    query = select(Initiative).where(
        Initiative.corporation_id == user.corporation_id,
        or_(col(Initiative.status) != Status.DRAFT, col(Initiative.initiator_staff_id) == user.id),
    )
    if user.role == Role.COMMITTEE:
        query = query.where(Initiative.complex_id == user.complex_id)
    if status:
        query = query.where(Initiative.status == status)
    rows = session.exec(query.order_by(col(Initiative.id).desc())).all()
    return list(rows)


def dashboard_order(rows: list[Initiative], now: datetime) -> list[Initiative]:
    """Overdue first, then those with the nearest due date, then the rest (newest first)."""

    def key(item: Initiative) -> tuple[int, float]:
        if rules.is_overdue(item.status, item.due_at, now):
            return (0, item.due_at.timestamp() if item.due_at else 0.0)
        if item.due_at is not None and item.status == Status.SUBMITTED:
            return (1, item.due_at.timestamp())
        return (2, -float(item.id or 0))

    return sorted(rows, key=key)


def get_for_staff(session: Session, user: StaffUser, initiative_id: int) -> Initiative | None:
    found = session.get(Initiative, initiative_id)
    return found if found is not None and staff_may_see(found, user) else None


def has_signed(session: Session, initiative_id: int, tenancy_id: int) -> bool:
    return (
        session.exec(
            select(Signature.id).where(
                Signature.initiative_id == initiative_id, Signature.tenancy_id == tenancy_id
            )
        ).first()
        is not None
    )


@dataclass(frozen=True)
class Detail:
    initiative: Initiative
    complex: Complex
    corporation: Corporation
    measures: list[Measure]
    support: rules.Support
    history: list[StatusChange]
    pauses: list[Pause]
    attachments: list[Attachment]
    overdue: bool
    paused_since: datetime | None
    paused_days: int
    next_steps: list[str]
    threshold: int | None

    @property
    def for_home(self) -> bool:
        return self.initiative.unit_id is not None


def detail(session: Session, initiative: Initiative, now: datetime) -> Detail:
    complex_ = session.get(Complex, initiative.complex_id)
    corporation = session.get(Corporation, initiative.corporation_id)
    assert complex_ is not None and corporation is not None
    history = session.exec(
        select(StatusChange)
        .where(StatusChange.initiative_id == initiative.id)
        .order_by(col(StatusChange.at), col(StatusChange.id))
    ).all()
    spans = pauses(session, initiative.id or 0)
    open_pause = next((p for p in spans if p.ended_at is None), None)
    measures = decode(initiative.measures)
    return Detail(
        initiative=initiative,
        complex=complex_,
        corporation=corporation,
        measures=measures,
        support=support(session, initiative),
        history=list(history),
        pauses=spans,
        attachments=attachments.of(session, initiative.id or 0),
        overdue=rules.is_overdue(initiative.status, initiative.due_at, now),
        paused_since=open_pause.started_at if open_pause else None,
        paused_days=rules.paused_days([(p.started_at, p.ended_at) for p in spans], now),
        next_steps=rules.where_next(m.value for m in measures),
        threshold=corporation.initiative_support_percent,
    )
