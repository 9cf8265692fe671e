"""The proposal's lifecycle; every transition is audited.

draft -> consultation (committee advice: 6-week clock, 14-day answer clock) -> open
-> closed (result frozen) -> decided (reached or not) -> notices_sent. A complex
without a tenant committee skips consultation; the skip is recorded.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from consent.audit.service import record
from consent.i18n import gettext as _
from consent.proposals import electorate, notices, results, rules, service
from consent.proposals.models import Proposal
from consent.proposals.rules import Status
from consent.proposals.service import ProposalError
from consent.timeutil import to_local, utcnow


def _audit(session: Session, proposal: Proposal, action: str, actor: str, **details: object) -> str:
    event = record(
        session,
        actor=actor,
        action=action,
        object_type="proposal",
        object_id=proposal.id,
        corporation_id=proposal.corporation_id,
        details=details,
    )
    return event.hash


def _require(proposal: Proposal, *allowed: Status) -> None:
    if proposal.status not in allowed:
        raise ProposalError(_("Deze stap kan nu niet"))


def available_steps(session: Session, proposal: Proposal, now: datetime | None = None) -> set[str]:
    """The steps a project leader can take now (buttons on the detail page)."""
    now = now or utcnow()
    status = proposal.status
    steps: set[str] = set()
    if status == Status.DRAFT:
        steps.add("consult" if service.has_committee(session, proposal.complex_id) else "open")
    elif status == Status.CONSULTATION:
        if proposal.advice_received_at is None:
            steps.add("advice")
        elif proposal.advice_followed is False and proposal.answer_sent_at is None:
            steps.add("answer")
        if _consultation_done(proposal, now):
            steps.add("open")
    elif status == Status.OPEN:
        steps.add("close")
    elif status == Status.CLOSED:
        steps.add("decide")
    elif status == Status.DECIDED and proposal.reached:
        steps.add("notices")
    return steps


def _consultation_done(proposal: Proposal, now: datetime) -> bool:
    return rules.consultation_complete(
        started_at=proposal.consultation_started_at,
        advice_received_at=proposal.advice_received_at,
        advice_followed=proposal.advice_followed,
        answer_sent_at=proposal.answer_sent_at,
        now=now,
    )


def start_consultation(
    session: Session, proposal: Proposal, actor: str, sent_at: datetime | None = None
) -> None:
    """The proposal went to the tenant committee on ``sent_at``; the advice clock runs."""
    _require(proposal, Status.DRAFT)
    if not service.has_committee(session, proposal.complex_id):
        raise ProposalError(_("Dit complex heeft geen bewonerscommissie"))
    proposal.status = Status.CONSULTATION
    proposal.consultation_started_at = sent_at or utcnow()
    session.add(proposal)
    due = rules.advice_due(proposal.consultation_started_at)
    _audit(session, proposal, "proposal.consultation_started", actor, advice_due=due.isoformat())


def record_advice(
    session: Session,
    proposal: Proposal,
    *,
    received_at: datetime,
    text: str,
    followed: bool,
    actor: str,
) -> None:
    """The committee's written advice; if not followed, a reasoned answer is due."""
    _require(proposal, Status.CONSULTATION)
    if not text.strip():
        raise ProposalError(_("Vul het advies van de bewonerscommissie in"), "advice_text")
    started = proposal.consultation_started_at
    if started is not None and received_at < started:
        raise ProposalError(_("Het advies kan niet eerder zijn dan het verzoek"), "received_on")
    proposal.advice_received_at, proposal.advice_text = received_at, text.strip()[:10_000]
    proposal.advice_followed = followed
    session.add(proposal)
    details: dict[str, object] = {"followed": followed}
    if not followed:
        details["answer_due"] = rules.answer_due(received_at).isoformat()
    _audit(session, proposal, "proposal.advice_recorded", actor, **details)


def record_answer(
    session: Session, proposal: Proposal, *, sent_at: datetime, text: str, actor: str
) -> None:
    """The landlord's reasoned answer when it does not follow the advice."""
    _require(proposal, Status.CONSULTATION)
    if proposal.advice_received_at is None:
        raise ProposalError(_("Er is nog geen advies"))
    if not text.strip():
        raise ProposalError(_("Schrijf de redenen op"), "answer_text")
    proposal.answer_sent_at, proposal.answer_text = sent_at, text.strip()[:10_000]
    session.add(proposal)
    late = sent_at > rules.answer_due(proposal.advice_received_at)
    _audit(session, proposal, "proposal.answer_recorded", actor, late=late)


def open_voting(
    session: Session, proposal: Proposal, actor: str, now: datetime | None = None
) -> electorate.Electorate:
    """Open voting: freeze who may vote (tenancies current today) and their units."""
    now = now or utcnow()
    _require(proposal, Status.DRAFT, Status.CONSULTATION)
    if proposal.closes_at <= now:
        raise ProposalError(_("De sluitdatum van de stemming is al voorbij"), "closes_at")
    if proposal.status == Status.DRAFT:
        if service.has_committee(session, proposal.complex_id):
            raise ProposalError(_("Vraag eerst advies aan de bewonerscommissie"))
        proposal.consultation_skipped_at = now
        _audit(session, proposal, "proposal.consultation_skipped", actor, reason="no_committee")
    elif not _consultation_done(proposal, now):
        raise ProposalError(
            _(
                "Het overleg met de bewonerscommissie is nog niet klaar. Wacht op het advies, of geef eerst een antwoord met redenen."
            )
        )
    frozen = electorate.freeze(session, proposal, to_local(now).date())
    proposal.status, proposal.opened_at = Status.OPEN, now
    session.add(proposal)
    _audit(
        session,
        proposal,
        "proposal.opened",
        actor,
        eligible=len(frozen.voters),
        excluded=len(frozen.excluded),
        homes=frozen.homes,
    )
    return frozen


def close_voting(
    session: Session, proposal: Proposal, actor: str, now: datetime | None = None
) -> None:
    """Close voting and freeze the result."""
    now = now or utcnow()
    _require(proposal, Status.OPEN)
    proposal.status, proposal.closed_at = Status.CLOSED, now
    session.add(proposal)
    session.flush()  # takes the proposal row lock that every ballot also takes
    tally = results.tally_for(session, proposal)
    event_hash = _audit(
        session,
        proposal,
        "proposal.closed",
        actor,
        early=now < proposal.closes_at,
        eligible=tally.eligible,
        excluded=tally.excluded,
        agree=tally.agree,
        disagree=tally.disagree,
        reached=tally.reached,
    )
    results.freeze_result(session, proposal, event_hash)


def decide(session: Session, proposal: Proposal, actor: str, now: datetime | None = None) -> bool:
    """Record the outcome by the proposal's counting rule; returns whether it was reached."""
    _require(proposal, Status.CLOSED)
    tally = results.tally_for(session, proposal)
    proposal.status, proposal.decided_at = Status.DECIDED, now or utcnow()
    proposal.reached = tally.reached
    session.add(proposal)
    _audit(
        session,
        proposal,
        "proposal.decided",
        actor,
        reached=tally.reached,
        respondents_percent=str(tally.respondents.percent_agree),
        statutory_percent=str(tally.statutory.percent_agree),
        presumption_applies=tally.presumption_applies,
    )
    return tally.reached


def send_notices(
    session: Session, proposal: Proposal, actor: str, now: datetime | None = None
) -> int:
    """Queue the 8-week notice for every tenancy that did not agree; returns how many."""
    now = now or utcnow()
    _require(proposal, Status.DECIDED)
    if not proposal.reached:
        raise ProposalError(
            _(
                "Er zijn niet genoeg huurders akkoord gegaan. Er gaan geen brieven over de rechter uit."
            )
        )
    queued = notices.queue_notices(session, proposal, now)
    proposal.status, proposal.notices_sent_at = Status.NOTICES_SENT, now
    session.add(proposal)
    _audit(session, proposal, "proposal.notices_sent", actor, notices=queued)
    return queued
