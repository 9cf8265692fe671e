"""Casting a ballot, whatever the channel: one counted ballot per tenancy.

``cast_many`` (and ``cast_ballot``, for one) owns its transaction: it commits, and on a
unique-constraint race (two tabs, co-tenants, a double submit) it rolls back and retries,
which turns the second insert into an update of the same row. Several casts in one
transaction are decided one after the other, exactly as if each had its own. The latest ``cast_at`` counts; an
earlier-dated ballot that arrives later is kept as an event but not counted.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from consent.access_codes.service import ALPHABET
from consent.audit.service import Entry, record_many
from consent.i18n import LazyString
from consent.i18n import lazy_gettext as _l
from consent.proposals import rules
from consent.proposals.models import Ballot, BallotEvent, Proposal, ProposalVoter
from consent.proposals.service import ProposalError
from consent.proposals.tally import Choice
from consent.timeutil import utcnow

MAX_COMMENT = 2000
ATTEMPTS = 5
CLOCK_SKEW = timedelta(minutes=5)


class VotingError(ProposalError):
    """A ballot that cannot be recorded; ``code`` says why. The message is translated when
    read, in the reader's language (casts of several requests are decided together)."""

    def __init__(self, code: str, message: LazyString) -> None:
        Exception.__init__(self, message.message)
        self.code, self.field, self._message = code, "choice", message

    @property
    def message(self) -> str:  # type: ignore[override]  # translated when read
        return str(self._message)


@dataclass(frozen=True)
class CastResult:
    ballot_id: int
    choice: str
    channel: str
    cast_at: datetime
    receipt: str
    counted: bool  # False when a later-dated ballot of this tenancy already counts
    previous_choice: str | None  # the counted choice before this cast, if any


def new_receipt() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


CastOutcome = CastResult | VotingError


@dataclass(frozen=True)
class Cast:
    """One ballot to record: ``cast_at`` is when the tenant voted (the signed date of a
    paper form; None: now), ``now`` the clock to check it against (None: the real one)."""

    proposal_id: int
    tenancy_id: int
    choice: str
    actor: str
    channel: str = rules.Channel.ONLINE
    cast_at: datetime | None = None
    comment: str = ""
    now: datetime | None = None


def cast_ballot(
    session: Session,
    *,
    proposal_id: int,
    tenancy_id: int,
    choice: str,
    actor: str,
    channel: str = rules.Channel.ONLINE,
    cast_at: datetime | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> CastResult:
    """Record a ballot and commit. Raises VotingError when it cannot count.

    ``cast_at`` must fall inside the voting window and not in the future. Call with a
    session that holds no other pending work: this function commits or rolls back.
    """
    cast = Cast(proposal_id, tenancy_id, choice, actor, channel, cast_at, comment, now)
    outcome = cast_many(session, [cast])[0]
    if isinstance(outcome, VotingError):
        raise outcome
    return outcome


def cast_many(session: Session, casts: Sequence[Cast]) -> list[CastOutcome]:
    """Record ballots in the order given, in one transaction, and commit: per cast its
    result, or the VotingError that kept it from counting (the others still count).

    On a unique-constraint race or a lock time-out the transaction is rolled back and
    started again; the ballot a race inserted first is then updated."""
    for attempt in range(ATTEMPTS):
        try:
            outcomes = _cast_all(session, casts)
            session.commit()
            return outcomes
        except (IntegrityError, OperationalError):
            session.rollback()
            if attempt == ATTEMPTS - 1:
                raise
        except BaseException:
            session.rollback()
            raise
    raise AssertionError("unreachable")


# The statements of a cast, built once (the values are bound per call).
_LOCK = (
    update(Proposal)
    .where(col(Proposal.id) == bindparam("proposal_id"))
    .values(status=Proposal.status)
    .returning(
        col(Proposal.status),
        col(Proposal.opens_at),
        col(Proposal.closes_at),
        col(Proposal.corporation_id),
    )
)
_HOUSEHOLDS = (
    core_select(
        col(ProposalVoter.tenancy_id),
        col(ProposalVoter.unit_id),
        col(Ballot.id),
        col(Ballot.choice),
        col(Ballot.cast_at),
    )
    .select_from(ProposalVoter)
    .outerjoin(
        Ballot,
        and_(
            col(Ballot.proposal_id) == col(ProposalVoter.proposal_id),
            col(Ballot.tenancy_id) == col(ProposalVoter.tenancy_id),
        ),
    )
    .where(
        col(ProposalVoter.proposal_id) == bindparam("proposal_id"),
        col(ProposalVoter.tenancy_id).in_(bindparam("tenancy_ids", expanding=True)),
    )
)
_NEW_BALLOTS = insert(Ballot).returning(col(Ballot.id), sort_by_parameter_order=True)
_CHANGE_BALLOT = update(Ballot).where(col(Ballot.id) == bindparam("ballot_id"))
_NEW_EVENTS = insert(BallotEvent)


@dataclass
class _Household:
    """A tenancy's counted ballot as the casts of this transaction leave it."""

    proposal_id: int
    tenancy_id: int
    unit_id: int
    ballot_id: int | None  # None: no ballot yet
    choice: str | None
    cast_at: datetime | None
    channel: str = ""
    receipt: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    changed: bool = False

    def count(self, cast: Cast, cast_at: datetime, receipt: str, now: datetime) -> None:
        """This cast is now the counted ballot."""
        self.choice, self.channel, self.cast_at = cast.choice, cast.channel, cast_at
        self.receipt, self.updated_at, self.changed = receipt, now, True
        self.created_at = self.created_at or now

    def values(self) -> dict[str, Any]:
        """The counted ballot's columns that a cast sets."""
        return {"choice": self.choice, "channel": self.channel, "cast_at": self.cast_at,
                "receipt": self.receipt, "updated_at": self.updated_at}  # fmt: skip


@dataclass
class _Counted:
    """A cast that is recorded (counted, or kept as an event only)."""

    cast: Cast
    household: _Household
    cast_at: datetime
    now: datetime
    receipt: str
    counted: bool
    previous: str | None
    corporation_id: int


def choice_error(choice: str) -> VotingError | None:
    """The refusal of a choice that is neither agree nor disagree."""
    if choice in {c.value for c in Choice}:
        return None
    return VotingError("bad_choice", _l("Kies of u akkoord gaat of niet"))


def _refusal(cast: Cast, proposal: Any, cast_at: datetime, now: datetime) -> VotingError | None:
    if (bad_choice := choice_error(cast.choice)) is not None:
        return bad_choice
    if cast.channel not in {c.value for c in rules.Channel}:
        return VotingError("bad_channel", _l("Onbekende manier van stemmen"))
    if proposal is None or proposal.status != rules.Status.OPEN:
        return VotingError("not_open", _l("U kunt nu niet stemmen over dit voorstel"))
    if not rules.voting_window_open(proposal.opens_at, proposal.closes_at, cast_at):
        return VotingError("outside_window", _l("Deze stem valt buiten de stemtijd"))
    if cast_at > now + CLOCK_SKEW:
        return VotingError("future", _l("Een stem kan niet in de toekomst liggen"))
    return None


def _not_eligible() -> VotingError:
    return VotingError("not_eligible", _l("Dit huishouden mag niet stemmen over dit voorstel"))


def _lock(connection: Connection, proposal_id: int) -> Any:
    """Touch the proposal row and read it: the lock that serialises ballots with closing
    (a row lock on PostgreSQL, the write lock on SQLite), so no ballot slips in after the
    freeze."""
    return connection.execute(_LOCK, {"proposal_id": proposal_id}).first()


def _households(
    connection: Connection, proposal_id: int, casts: list[Cast]
) -> dict[tuple[int, int], _Household]:
    """The frozen voter rows of the casts' tenancies, with their counted ballots."""
    values = {"proposal_id": proposal_id, "tenancy_ids": sorted({c.tenancy_id for c in casts})}
    return {
        (proposal_id, row.tenancy_id): _Household(
            proposal_id, row.tenancy_id, row.unit_id, row.id, row.choice, row.cast_at
        )
        for row in connection.execute(_HOUSEHOLDS, values)
    }


def _cast_all(session: Session, casts: Sequence[Cast]) -> list[CastOutcome]:
    """One attempt: lock the proposals, decide every cast in order, then write them all."""
    connection = session.connection()
    by_proposal: dict[int, list[Cast]] = {}
    for cast in casts:
        by_proposal.setdefault(cast.proposal_id, []).append(cast)
    proposals: dict[int, Any] = {}
    households: dict[tuple[int, int], _Household] = {}
    for proposal_id in sorted(by_proposal):  # always locked in the same order: no deadlock
        proposals[proposal_id] = _lock(connection, proposal_id)
        households.update(_households(connection, proposal_id, by_proposal[proposal_id]))
    decided: list[_Counted | VotingError] = []
    for cast in casts:
        # Read the clock only once the lock is held, so the ballot recorded last is also
        # the one with the latest cast_at (an online vote is cast when it is recorded).
        now = cast.now or utcnow()
        cast_at = cast.cast_at or now
        household = households.get((cast.proposal_id, cast.tenancy_id))
        refusal = _refusal(cast, proposals[cast.proposal_id], cast_at, now)
        if refusal is not None or household is None:
            decided.append(refusal or _not_eligible())
            continue
        previous = household.choice
        counted = household.cast_at is None or cast_at >= household.cast_at
        receipt = new_receipt()
        if counted:
            household.count(cast, cast_at, receipt, now)
        corporation_id = proposals[cast.proposal_id].corporation_id
        decided.append(
            _Counted(cast, household, cast_at, now, receipt, counted, previous, corporation_id)
        )
    recorded = [d for d in decided if isinstance(d, _Counted)]
    if recorded:
        _write(session, recorded)
    return [_result(d) if isinstance(d, _Counted) else d for d in decided]


def _write(session: Session, recorded: list[_Counted]) -> None:
    """Each changed ballot once with its final values, an event per cast, and the audit
    records: every kind in one statement."""
    connection = session.connection()
    changed = list({id(r.household): r.household for r in recorded if r.household.changed}.values())
    new = [h for h in changed if h.ballot_id is None]
    updates = [{"ballot_id": h.ballot_id, **h.values()} for h in changed if h.ballot_id is not None]
    if new:
        rows = [{"proposal_id": h.proposal_id, "tenancy_id": h.tenancy_id, "unit_id": h.unit_id,
                 "created_at": h.created_at, **h.values()} for h in new]  # fmt: skip
        # Raises IntegrityError when another transaction inserted one of these first.
        ids = connection.execute(_NEW_BALLOTS, rows).scalars()
        for household, ballot_id in zip(new, ids, strict=True):
            household.ballot_id = ballot_id
    if updates:
        connection.execute(_CHANGE_BALLOT, updates)
    connection.execute(
        _NEW_EVENTS,
        [{"proposal_id": r.cast.proposal_id, "tenancy_id": r.cast.tenancy_id,
          "choice": r.cast.choice, "channel": r.cast.channel, "cast_at": r.cast_at,
          "recorded_at": r.now, "receipt": r.receipt, "comment": _comment(r.cast),
          "actor": r.cast.actor, "counted": r.counted} for r in recorded],
    )  # fmt: skip
    record_many(session, [_audit_entry(r) for r in recorded])


def _comment(cast: Cast) -> str:
    return cast.comment.strip()[:MAX_COMMENT]


def _audit_entry(r: _Counted) -> Entry:
    return Entry(
        actor=r.cast.actor,
        action="ballot.cast" if r.previous is None else "ballot.changed",
        object_type="ballot",
        object_id=r.household.ballot_id,
        corporation_id=r.corporation_id,
        details={
            "proposal_id": r.cast.proposal_id,
            "tenancy_id": r.cast.tenancy_id,
            "choice": r.cast.choice,
            "previous_choice": r.previous,
            "channel": r.cast.channel,
            "cast_at": r.cast_at.isoformat(),
            "receipt": r.receipt,
            "counted": r.counted,
            "comment": _comment(r.cast),
        },
    )


def _result(r: _Counted) -> CastResult:
    return CastResult(r.household.ballot_id or 0, r.cast.choice, r.cast.channel, r.cast_at,
                      r.receipt, r.counted, r.previous)  # fmt: skip


def ballot_of(session: Session, proposal_id: int, tenancy_id: int) -> Ballot | None:
    """The counted ballot of a tenancy, if it voted."""
    return session.exec(
        select(Ballot).where(Ballot.proposal_id == proposal_id, Ballot.tenancy_id == tenancy_id)
    ).first()


def events_of(session: Session, proposal_id: int, tenancy_id: int) -> list[BallotEvent]:
    """Every ballot a tenancy cast on a proposal, oldest first."""
    return list(
        session.exec(
            select(BallotEvent)
            .where(BallotEvent.proposal_id == proposal_id, BallotEvent.tenancy_id == tenancy_id)
            .order_by(col(BallotEvent.id))
        ).all()
    )
