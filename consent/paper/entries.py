"""Entering returned paper forms and home-visit ballots; four-eyes confirmation.

A ballot counts only through ``consent.proposals.voting.cast_ballot`` (channel paper or
home_visit, cast_at from the signed date: see ``rules.cast_moment``), so the rule "the
most recent signed or cast date wins" is applied the same way for every channel. With
the corporation's four-eyes setting on, an entry waits until a second, different staff
member confirms it. ``cast_ballot`` commits; so do the functions here that call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from consent.accounts.models import StaffUser
from consent.audit.service import record
from consent.housing.models import Corporation, Tenancy, Unit
from consent.i18n import gettext as _
from consent.i18n import lazy_gettext
from consent.paper import rules, scans
from consent.paper.letters import names_of
from consent.paper.models import PaperEntry
from consent.proposals import electorate, voting
from consent.proposals import rules as proposal_rules
from consent.proposals.models import Ballot, BallotEvent, Proposal
from consent.proposals.tally import Choice
from consent.settings import Settings
from consent.timeutil import utcnow

DATE_MESSAGES = {
    "future": lazy_gettext("De datum van de handtekening ligt in de toekomst"),
    "before": lazy_gettext("Deze datum is vóór het begin van de stemming"),
    "after": lazy_gettext("Deze datum is na het einde van de stemming"),
}


class EntryError(Exception):
    """An entry that cannot be made; ``field`` names the form field."""

    def __init__(self, message: str, field: str = "form_code") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class FormMatch:
    """The household a form code names, to compare with the paper in hand."""

    proposal: Proposal
    tenancy: Tenancy
    unit: Unit
    names: list[str]
    ballot: Ballot | None
    events: list[BallotEvent]
    pending: list[PaperEntry]


def actor_of(user: StaffUser) -> str:
    return f"staff:{user.id}"


def find_form(
    session: Session, settings: Settings, user: StaffUser, proposal: Proposal, entered: str
) -> FormMatch:
    """The household of a typed or scanned form code; refuses other proposals' forms."""
    if proposal.status != proposal_rules.Status.OPEN:
        raise EntryError(_("U kunt nu geen stemmen invoeren: de stemming is niet open."))
    if not entered.strip():
        raise EntryError(_("Scan de code op het formulier of typ hem over"))
    parsed = rules.parse_form_code(settings.secret_key, entered)
    found = session.get(Proposal, parsed.proposal_id) if parsed else None
    if parsed is None or found is None:
        raise EntryError(_("Deze formuliercode klopt niet. Scan de code opnieuw of typ hem over."))
    if found.corporation_id != user.corporation_id:
        raise EntryError(
            _("Dit formulier is van een andere woningcorporatie. U kunt het hier niet invoeren.")
        )
    if found.id != proposal.id:
        raise EntryError(
            _(
                "Dit formulier hoort bij een ander voorstel: %(title)s. Voer het in bij dat voorstel.",
                title=found.title,
            )
        )
    pid, tid = proposal.id or 0, parsed.tenancy_id
    voter = electorate.voter(session, pid, tid)
    tenancy = session.get(Tenancy, tid)
    unit = session.get(Unit, voter.unit_id) if voter else None
    if voter is None or tenancy is None or unit is None:
        raise EntryError(_("Dit huishouden mag niet stemmen over dit voorstel."))
    pending = session.exec(
        select(PaperEntry).where(
            PaperEntry.proposal_id == pid,
            PaperEntry.tenancy_id == tid,
            PaperEntry.status == "pending",
        )
    ).all()
    return FormMatch(
        proposal, tenancy, unit, names_of(session, [tid]).get(tid, []),
        voting.ballot_of(session, pid, tid), voting.events_of(session, pid, tid), list(pending),
    )  # fmt: skip


def check_entry(
    proposal: Proposal, choice: str, channel: str, signed_on: date | None, now: datetime
) -> dict[str, str]:
    """Field errors of an entry (empty when it can be saved)."""
    errors: dict[str, str] = {}
    if proposal.status != proposal_rules.Status.OPEN:
        errors["form_code"] = _("U kunt nu geen stemmen invoeren: de stemming is niet open.")
    if choice not in {c.value for c in Choice}:
        errors["choice"] = _("Kies wat er op het formulier is aangekruist")
    if channel not in rules.ENTRY_CHANNELS:
        errors["channel"] = _("Kies hoe de stem is gegeven: op papier of bij een huisbezoek")
    if signed_on is None:
        errors["signed_on"] = _("Vul de datum in die bij de handtekening staat")
    else:
        problem = rules.signed_date_problem(signed_on, proposal.opens_at, proposal.closes_at, now)
        if problem:
            errors["signed_on"] = str(DATE_MESSAGES[problem])
    return errors


def enter(
    session: Session,
    settings: Settings,
    user: StaffUser,
    proposal: Proposal,
    *,
    match: FormMatch,
    choice: str,
    channel: str,
    signed_on: date,
    scan: bytes | None = None,
    now: datetime | None = None,
) -> PaperEntry:
    """Save a checked entry (``check_entry`` first); it counts now or after confirmation."""
    now = now or utcnow()
    cast_at = rules.cast_moment(signed_on, proposal.opens_at, proposal.closes_at)
    assert cast_at is not None
    scan_name, scan_type = scans.store(settings, scan) if scan else ("", "")
    corporation = session.get(Corporation, proposal.corporation_id)
    four_eyes = bool(corporation and corporation.paper_four_eyes)
    entry = PaperEntry(
        corporation_id=proposal.corporation_id, proposal_id=proposal.id or 0,
        tenancy_id=match.tenancy.id or 0, channel=channel, choice=choice,
        signed_on=signed_on, cast_at=cast_at, entered_by=user.id or 0, entered_at=now,
        scan_name=scan_name, scan_type=scan_type, scan_size=len(scan or b""),
    )  # fmt: skip
    session.add(entry)
    session.flush()
    _audit(session, entry, "paper.entered", user, four_eyes=four_eyes, scan=bool(scan_name))
    session.commit()
    if not four_eyes:
        _cast(session, entry, user, now)
    return entry


def _cast(session: Session, entry: PaperEntry, user: StaffUser, now: datetime) -> None:
    """Count a saved entry through cast_ballot; on refusal the entry is set aside."""
    try:
        result = voting.cast_ballot(
            session, proposal_id=entry.proposal_id, tenancy_id=entry.tenancy_id,
            choice=entry.choice, actor=actor_of(user), channel=entry.channel,
            cast_at=entry.cast_at, now=now,
        )  # fmt: skip
    except voting.VotingError as exc:
        entry.status, entry.reject_reason = "rejected", exc.message[:500]
        entry.decided_at = now
        session.add(entry)
        _audit(session, entry, "paper.refused", user, reason=exc.code)
        session.commit()
        raise EntryError(exc.message) from None
    entry.status, entry.counted, entry.receipt = "recorded", result.counted, result.receipt
    entry.decided_by, entry.decided_at = user.id, now
    session.add(entry)
    _audit(session, entry, "paper.recorded", user, counted=result.counted)
    session.commit()


def pending_entry(session: Session, proposal: Proposal, entry_id: int) -> PaperEntry:
    entry = session.get(PaperEntry, entry_id)
    if entry is None or entry.proposal_id != proposal.id:
        raise LookupError(entry_id)
    if entry.status != "pending":
        raise EntryError(_("Deze stem is al bevestigd of afgewezen"), "waiting")
    return entry


def confirm(
    session: Session,
    user: StaffUser,
    proposal: Proposal,
    entry_id: int,
    now: datetime | None = None,
) -> PaperEntry:
    """The second person's confirmation: the entry is cast and may count."""
    entry = pending_entry(session, proposal, entry_id)
    if entry.entered_by == user.id:
        raise EntryError(
            _("U heeft deze stem zelf ingevoerd. Een collega moet hem bevestigen."), "waiting"
        )
    _audit(session, entry, "paper.confirmed", user)
    session.commit()
    _cast(session, entry, user, now or utcnow())
    return entry


def reject(
    session: Session, user: StaffUser, proposal: Proposal, entry_id: int, reason: str
) -> PaperEntry:
    """Set a waiting entry aside (a wrong entry, no signature...); it never counts."""
    entry = pending_entry(session, proposal, entry_id)
    entry.status, entry.reject_reason = "rejected", reason.strip()[:500]
    entry.decided_by, entry.decided_at = user.id, utcnow()
    session.add(entry)
    _audit(session, entry, "paper.rejected", user, comment=entry.reject_reason)
    session.commit()
    return entry


def waiting(session: Session, proposal_id: int) -> list[tuple[PaperEntry, Unit]]:
    """Entries waiting for a second person, oldest first."""
    rows = session.exec(
        select(PaperEntry, Unit)
        .join(Tenancy, col(Tenancy.id) == col(PaperEntry.tenancy_id))
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(PaperEntry.proposal_id == proposal_id, PaperEntry.status == "pending")
        .order_by(col(PaperEntry.id))
    ).all()
    return [(entry, unit) for entry, unit in rows]


def _audit(
    session: Session, entry: PaperEntry, action: str, user: StaffUser, **details: object
) -> None:
    record(
        session,
        actor=actor_of(user),
        action=action,
        object_type="paper_entry",
        object_id=entry.id,
        corporation_id=entry.corporation_id,
        details={
            "proposal_id": entry.proposal_id,
            "tenancy_id": entry.tenancy_id,
            "channel": entry.channel,
            "signed_on": entry.signed_on.isoformat(),
            **details,
        },
    )
