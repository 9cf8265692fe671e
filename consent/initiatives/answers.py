"""The corporation's answer: accepted, rejected (with reasons) or more information needed.

Asking for information pauses the answer clock until the initiator replies; the pause is a
row (Pause) so the page can show it and consent.clock.deadline can extend the due date.
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session, col, select

from consent.audit.service import record
from consent.initiatives.models import Initiative, Pause, Status
from consent.initiatives.service import InitiativeError, lock, move
from consent.initiatives.to_proposal import draft_proposal
from consent.settings import Settings
from consent.timeutil import utcnow

MAX_TEXT = 4000


class Decision(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MORE_INFO = "more_info"


def _close_pause(session: Session, initiative_id: int) -> None:
    now = utcnow()
    for pause in session.exec(
        select(Pause).where(Pause.initiative_id == initiative_id, col(Pause.ended_at).is_(None))
    ):
        pause.ended_at = now
        session.add(pause)
    session.flush()


def accept(
    session: Session,
    settings: Settings,
    initiative_id: int,
    *,
    actor: str,
    reasons: str = "",
    create_proposal: bool = False,
) -> Initiative:
    """Accept; optionally create a draft renovation proposal carrying the content."""
    initiative = lock(session, initiative_id)
    if initiative.status not in (Status.SUBMITTED, Status.MORE_INFO_NEEDED):
        raise InitiativeError("state")
    _close_pause(session, initiative_id)
    initiative.answered_at = utcnow()
    initiative.answer_reasons = reasons.strip()[:MAX_TEXT]
    move(
        session, settings, initiative, Status.ACCEPTED, actor=actor, note=initiative.answer_reasons
    )
    if create_proposal:
        initiative.proposal_id = draft_proposal(session, initiative, actor)
        session.add(initiative)
        record(
            session,
            actor=actor,
            action="initiative.proposal_created",
            object_type="initiative",
            object_id=initiative.id,
            corporation_id=initiative.corporation_id,
            details={"proposal_id": initiative.proposal_id},
        )
    return initiative


def reject(
    session: Session, settings: Settings, initiative_id: int, *, actor: str, reasons: str
) -> Initiative:
    if not reasons.strip():
        raise InitiativeError("reasons")
    initiative = lock(session, initiative_id)
    if initiative.status not in (Status.SUBMITTED, Status.MORE_INFO_NEEDED):
        raise InitiativeError("state")
    _close_pause(session, initiative_id)
    initiative.answered_at = utcnow()
    initiative.answer_reasons = reasons.strip()[:MAX_TEXT]
    move(
        session, settings, initiative, Status.REJECTED, actor=actor, note=initiative.answer_reasons
    )
    return initiative


def request_info(
    session: Session, settings: Settings, initiative_id: int, *, actor: str, question: str
) -> Initiative:
    """Ask the initiator for information; the answer clock stops until they reply."""
    if not question.strip():
        raise InitiativeError("reasons")
    initiative = lock(session, initiative_id)
    if initiative.status != Status.SUBMITTED:
        raise InitiativeError("state")
    session.add(Pause(initiative_id=initiative_id, started_at=utcnow()))
    session.flush()
    move(
        session,
        settings,
        initiative,
        Status.MORE_INFO_NEEDED,
        actor=actor,
        note=question.strip()[:MAX_TEXT],
    )
    return initiative


def give_info(
    session: Session, settings: Settings, initiative_id: int, *, actor: str, text: str
) -> Initiative:
    """The initiator's reply: the clock runs again, extended by the pause."""
    if not text.strip():
        raise InitiativeError("text")
    initiative = lock(session, initiative_id)
    if initiative.status != Status.MORE_INFO_NEEDED:
        raise InitiativeError("state")
    _close_pause(session, initiative_id)
    move(session, settings, initiative, Status.SUBMITTED, actor=actor, note=text.strip()[:MAX_TEXT])
    return initiative


def answer(
    session: Session,
    settings: Settings,
    initiative_id: int,
    decision: Decision,
    reasons: str,
    *,
    actor: str,
    create_proposal: bool = False,
) -> Initiative:
    """One entry point for the staff page and the API."""
    if decision is Decision.ACCEPTED:
        return accept(
            session,
            settings,
            initiative_id,
            actor=actor,
            reasons=reasons,
            create_proposal=create_proposal,
        )
    if decision is Decision.REJECTED:
        return reject(session, settings, initiative_id, actor=actor, reasons=reasons)
    return request_info(session, settings, initiative_id, actor=actor, question=reasons)
