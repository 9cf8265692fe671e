"""Ballots of one tenancy from more than one channel, for staff to review.

Nothing is decided here: ``cast_ballot`` already counted the most recent signed or cast
date. This lists those tenancies with every ballot and which one counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from consent.housing.models import Tenancy, Unit
from consent.proposals.models import Ballot, BallotEvent


@dataclass(frozen=True)
class Conflict:
    unit: Unit
    tenancy: Tenancy
    events: list[BallotEvent]  # oldest first
    counted: Ballot | None


def conflicts(session: Session, proposal_id: int) -> list[Conflict]:
    """Tenancies with ballots from two or more channels, sorted by address."""
    mixed = (
        select(BallotEvent.tenancy_id)
        .where(BallotEvent.proposal_id == proposal_id)
        .group_by(col(BallotEvent.tenancy_id))
        .having(func.count(func.distinct(BallotEvent.channel)) > 1)
    )
    tenancy_ids = list(session.exec(mixed).all())
    if not tenancy_ids:
        return []
    events: dict[int, list[BallotEvent]] = {}
    for event in session.exec(
        select(BallotEvent)
        .where(BallotEvent.proposal_id == proposal_id, col(BallotEvent.tenancy_id).in_(tenancy_ids))
        .order_by(col(BallotEvent.cast_at), col(BallotEvent.id))
    ):
        events.setdefault(event.tenancy_id, []).append(event)
    ballots = {
        b.tenancy_id: b
        for b in session.exec(
            select(Ballot).where(
                Ballot.proposal_id == proposal_id, col(Ballot.tenancy_id).in_(tenancy_ids)
            )
        )
    }
    rows = session.exec(
        select(Tenancy, Unit)
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(col(Tenancy.id).in_(tenancy_ids))
        .order_by(col(Unit.street), col(Unit.number), col(Unit.letter), col(Unit.addition))
    ).all()
    return [
        Conflict(unit, tenancy, events.get(tenancy.id or 0, []), ballots.get(tenancy.id or 0))
        for tenancy, unit in rows
    ]


def counted_event(conflict: Conflict) -> BallotEvent | None:
    """The event whose receipt is on the counted ballot."""
    if conflict.counted is None:
        return None
    return next((e for e in conflict.events if e.receipt == conflict.counted.receipt), None)
