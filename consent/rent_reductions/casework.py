"""The case worker's side: queue with due dates, assignment, checklist, questions, decision."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from consent.accounts.models import Role, StaffUser
from consent.audit.service import record
from consent.clock import deadline
from consent.housing.models import Tenancy
from consent.rent_reductions import notify, registry, service
from consent.rent_reductions.eligibility import new_rent_cents, start_date_for
from consent.rent_reductions.models import (
    OPEN_STATUSES,
    ReductionPause,
    ReductionRequest,
    Status,
)
from consent.rent_reductions.service import RequestError
from consent.settings import Settings
from consent.timeutil import utcnow

CASE_ROLES = (Role.CASE_WORKER.value, Role.ADMIN.value)
FILTERS = ("open", "mine", "unassigned", "decided", "all")


@dataclass(frozen=True)
class QueueRow:
    request: ReductionRequest
    tenancy_code: str
    due_at: datetime | None
    paused: bool
    overdue: bool


def due_at(session: Session, req: ReductionRequest) -> tuple[datetime | None, bool]:
    """(due moment, clock paused?) from the scheme's response days and the pauses."""
    scheme = registry.get(req.scheme_id)
    if req.submitted_at is None or scheme is None or scheme.response_days is None:
        return None, False
    pauses = [(p.started_at, p.ended_at) for p in service.pauses_of(session, req.id or 0)]
    due = deadline(req.submitted_at, timedelta(days=scheme.response_days), pauses)
    return due, due is None


def case_of(session: Session, corporation_id: int, request_id: int) -> ReductionRequest | None:
    """A sent request of this corporation (drafts stay private to the tenant)."""
    req = session.get(ReductionRequest, request_id)
    if req is None or req.corporation_id != corporation_id or req.status == Status.DRAFT.value:
        return None
    return req


def by_reference(session: Session, corporation_id: int, reference: str) -> ReductionRequest | None:
    req = session.exec(
        select(ReductionRequest).where(ReductionRequest.reference == reference)
    ).first()
    return req if req is not None and req.corporation_id == corporation_id else None


def queue(session: Session, user: StaffUser, which: str = "open") -> list[QueueRow]:
    """Sent requests of the user's corporation, soonest due first."""
    query = select(ReductionRequest, Tenancy.code).where(
        ReductionRequest.corporation_id == user.corporation_id,
        ReductionRequest.status != Status.DRAFT.value,
        col(ReductionRequest.tenancy_id) == col(Tenancy.id),
    )
    open_values = [s.value for s in OPEN_STATUSES]
    if which in ("open", "mine", "unassigned"):
        query = query.where(col(ReductionRequest.status).in_(open_values))
    if which == "mine":
        query = query.where(ReductionRequest.assigned_to == user.id)
    elif which == "unassigned":
        query = query.where(col(ReductionRequest.assigned_to).is_(None))
    elif which == "decided":
        query = query.where(col(ReductionRequest.status).not_in(open_values))
    now = utcnow()
    rows = []
    for req, code in session.exec(query).all():
        due, paused = due_at(session, req)
        is_open = req.status in open_values
        overdue = bool(is_open and due is not None and due < now)
        rows.append(QueueRow(req, code, due, paused, overdue))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    rows.sort(key=lambda r: (r.request.status not in open_values, r.due_at or far))
    return rows


def case_workers(session: Session, corporation_id: int) -> list[StaffUser]:
    return list(
        session.exec(
            select(StaffUser)
            .where(
                StaffUser.corporation_id == corporation_id,
                col(StaffUser.role).in_(CASE_ROLES),
                StaffUser.active == True,  # noqa: E712 - SQL expression
            )
            .order_by(col(StaffUser.email))
        ).all()
    )


def _audit(
    session: Session, req: ReductionRequest, actor: StaffUser, action: str, **details: object
) -> None:
    record(
        session,
        actor=f"staff:{actor.id}",
        action=f"rent_reduction.{action}",
        object_type="rent_reduction",
        object_id=req.id,
        corporation_id=req.corporation_id,
        details=dict(details),
    )


def _touch(session: Session, req: ReductionRequest) -> None:
    req.updated_at = utcnow()
    session.add(req)
    session.flush()


def assign(
    session: Session, req: ReductionRequest, assignee_id: int | None, actor: StaffUser
) -> None:
    if assignee_id is not None and assignee_id not in {
        u.id for u in case_workers(session, req.corporation_id)
    }:
        raise RequestError("assignee")
    req.assigned_to = assignee_id
    _touch(session, req)
    _audit(session, req, actor, "assigned", assignee=assignee_id)


def checklist(req: ReductionRequest) -> list[str]:
    data = json.loads(req.checklist or "[]")
    return [str(c) for c in data] if isinstance(data, list) else []


def update_checklist(
    session: Session, req: ReductionRequest, codes: list[str], actor: StaffUser
) -> None:
    scheme = registry.get(req.scheme_id)
    known = [e.code for e in scheme.evidence] if scheme else []
    req.checklist = json.dumps([c for c in known if c in codes])
    _touch(session, req)
    _audit(session, req, actor, "checklist_updated", ticked=len(checklist(req)))


def _open_for_work(req: ReductionRequest) -> None:
    if req.status not in (Status.SUBMITTED.value, Status.MORE_INFO.value):
        raise RequestError("decided")


def ask_more_info(
    session: Session, settings: Settings, req: ReductionRequest, question: str, actor: StaffUser
) -> None:
    """Ask the tenant for information: the clock stops until it is answered."""
    _open_for_work(req)
    if req.status == Status.MORE_INFO.value:
        raise RequestError("already_waiting")
    session.add(ReductionPause(request_id=req.id or 0, question=question))
    req.status = Status.MORE_INFO.value
    _touch(session, req)
    _audit(session, req, actor, "more_info_requested")
    tenancy = session.get(Tenancy, req.tenancy_id)
    assert tenancy is not None
    notify.tenant(
        session, settings, req, tenancy, "rent_reduction_more_info", {"question": question}
    )


def resume(session: Session, req: ReductionRequest, actor: StaffUser) -> None:
    """The information came in another way (post, desk): the clock runs again."""
    if req.status != Status.MORE_INFO.value:
        raise RequestError("not_waiting")
    service.close_pause(session, req.id or 0)
    req.status = Status.SUBMITTED.value
    _touch(session, req)
    _audit(session, req, actor, "clock_resumed")


def decide(
    session: Session,
    settings: Settings,
    req: ReductionRequest,
    approve: bool,
    reason: str,
    actor: StaffUser,
) -> None:
    """Approve (new rent and start date from the scheme) or reject (a reason is required)."""
    _open_for_work(req)
    scheme = registry.get(req.scheme_id)
    if scheme is None:
        raise RequestError("scheme_missing")
    if not approve and not reason.strip():
        raise RequestError("reason")
    service.close_pause(session, req.id or 0)
    rent = int(service.answers(req).get("rent_cents") or 0)
    req.old_rent_cents = rent
    if approve:
        sent_on = service.started_on(req)
        assert sent_on is not None
        req.new_rent_cents = new_rent_cents(scheme, rent)
        req.start_date = start_date_for(scheme, sent_on)
        req.reject_reason = ""
        req.status = Status.APPROVED.value
    else:
        req.new_rent_cents = None
        req.start_date = None
        req.reject_reason = reason.strip()
        req.status = Status.REJECTED.value
    req.decided_at = utcnow()
    req.decided_by = actor.id
    _touch(session, req)
    _audit(session, req, actor, "decided", decision=req.status)
    tenancy = session.get(Tenancy, req.tenancy_id)
    assert tenancy is not None
    notify.tenant(session, settings, req, tenancy, "rent_reduction_decided")
