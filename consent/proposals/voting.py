"""Casting a ballot, whatever the channel: one counted ballot per tenancy.

``cast_ballot`` owns its transaction: it commits, and on a unique-constraint race
(two tabs, co-tenants, a double submit) it rolls back and retries, which turns the
second insert into an update of the same row. The latest ``cast_at`` counts; an
earlier-dated ballot that arrives later is kept as an event but not counted.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, insert, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from consent.access_codes.service import ALPHABET
from consent.audit.service import record
from consent.i18n import gettext as _
from consent.proposals import rules
from consent.proposals.models import Ballot, BallotEvent, Proposal, ProposalVoter
from consent.proposals.service import ProposalError
from consent.proposals.tally import Choice
from consent.timeutil import utcnow

MAX_COMMENT = 2000
ATTEMPTS = 5
CLOCK_SKEW = timedelta(minutes=5)


class VotingError(ProposalError):
    """A ballot that cannot be recorded; ``code`` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, "choice")
        self.code = code


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

    ``cast_at`` is when the tenant voted (the signed date of a paper form); it must
    fall inside the voting window and not in the future. Call with a session that
    holds no other pending work: this function commits or rolls back.
    """
    if choice not in {c.value for c in Choice}:
        raise VotingError("bad_choice", _("Kies of u akkoord gaat of niet"))
    if channel not in {c.value for c in rules.Channel}:
        raise VotingError("bad_channel", _("Onbekende manier van stemmen"))
    for attempt in range(ATTEMPTS):
        try:
            return _cast_and_commit(
                session,
                proposal_id=proposal_id,
                tenancy_id=tenancy_id,
                choice=choice,
                channel=channel,
                cast_at=cast_at,
                comment=comment.strip()[:MAX_COMMENT],
                actor=actor,
                now=now,
            )
        except (IntegrityError, OperationalError):
            # Another request inserted this tenancy's ballot first (or a lock timed
            # out): start again, the existing row is then updated.
            if attempt == ATTEMPTS - 1:
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
_HOUSEHOLD = (
    select(col(ProposalVoter.unit_id), col(Ballot.id), col(Ballot.choice), col(Ballot.cast_at))
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
        col(ProposalVoter.tenancy_id) == bindparam("tenancy_id"),
    )
)
_NEW_BALLOT = insert(Ballot).returning(col(Ballot.id))
_CHANGE_BALLOT = update(Ballot).where(col(Ballot.id) == bindparam("ballot_id"))
_NEW_EVENT = insert(BallotEvent)


def _cast_and_commit(session: Session, **cast: Any) -> CastResult:
    """One attempt in one transaction: committed, or rolled back."""
    try:
        result = _cast_once(session, **cast)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def _lock(session: Session, proposal_id: int) -> Any:
    """Touch the proposal row and read it: the lock that serialises ballots with closing
    (a row lock on PostgreSQL, the write lock on SQLite), so no ballot slips in after the
    freeze."""
    return session.connection().execute(_LOCK, {"proposal_id": proposal_id}).first()


def _household(session: Session, proposal_id: int, tenancy_id: int) -> Any:
    """The tenancy's frozen voter row with its counted ballot, if any (None: no ballot)."""
    values = {"proposal_id": proposal_id, "tenancy_id": tenancy_id}
    return session.connection().execute(_HOUSEHOLD, values).first()


def _cast_once(
    session: Session,
    *,
    proposal_id: int,
    tenancy_id: int,
    choice: str,
    channel: str,
    cast_at: datetime | None,
    comment: str,
    actor: str,
    now: datetime | None,
) -> CastResult:
    proposal = _lock(session, proposal_id)
    # Read the clock only once the lock is held, so the ballot recorded last is also
    # the one with the latest cast_at (an online vote is cast when it is recorded).
    now = now or utcnow()
    cast_at = cast_at or now
    if proposal is None or proposal.status != rules.Status.OPEN:
        raise VotingError("not_open", _("U kunt nu niet stemmen over dit voorstel"))
    if not rules.voting_window_open(proposal.opens_at, proposal.closes_at, cast_at):
        raise VotingError("outside_window", _("Deze stem valt buiten de stemtijd"))
    if cast_at > now + CLOCK_SKEW:
        raise VotingError("future", _("Een stem kan niet in de toekomst liggen"))
    household = _household(session, proposal_id, tenancy_id)
    if household is None:
        raise VotingError("not_eligible", _("Dit huishouden mag niet stemmen over dit voorstel"))
    receipt = new_receipt()
    connection = session.connection()
    previous: str | None = household.choice
    counted = previous is None or cast_at >= household.cast_at
    ballot_id = household.id
    if ballot_id is None:
        # Raises IntegrityError when another request inserted this ballot first.
        ballot_id = connection.execute(
            _NEW_BALLOT,
            {"proposal_id": proposal_id, "tenancy_id": tenancy_id, "unit_id": household.unit_id,
             "choice": choice, "channel": channel, "cast_at": cast_at, "receipt": receipt,
             "created_at": now, "updated_at": now},
        ).scalar_one()  # fmt: skip
    elif counted:
        connection.execute(
            _CHANGE_BALLOT,
            {"ballot_id": ballot_id, "choice": choice, "channel": channel, "cast_at": cast_at,
             "receipt": receipt, "updated_at": now},
        )  # fmt: skip
    connection.execute(
        _NEW_EVENT,
        {"proposal_id": proposal_id, "tenancy_id": tenancy_id, "choice": choice,
         "channel": channel, "cast_at": cast_at, "recorded_at": now, "receipt": receipt,
         "comment": comment, "actor": actor, "counted": counted},
    )  # fmt: skip
    record(
        session,
        actor=actor,
        action="ballot.cast" if previous is None else "ballot.changed",
        object_type="ballot",
        object_id=ballot_id,
        corporation_id=proposal.corporation_id,
        details={
            "proposal_id": proposal_id,
            "tenancy_id": tenancy_id,
            "choice": choice,
            "previous_choice": previous,
            "channel": channel,
            "cast_at": cast_at.isoformat(),
            "receipt": receipt,
            "counted": counted,
            "comment": comment,
        },
    )
    return CastResult(ballot_id, choice, channel, cast_at, receipt, counted, previous)


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
