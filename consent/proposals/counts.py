"""The counts behind the tallies of many proposals at once, in a few grouped statements.

Per proposal: the frozen electorate (voters, excluded units) and the counted ballots by
choice; the frozen results; and, before voting, the electorate it would have if voting
opened on a given day. That preview is counted in SQL with the rules of
``eligibility.eligible_units`` instead of building it unit by unit:

* a unit gets a ballot when it is social or mid-rent, has a tenancy current on that day
  (started on or before it and not ended on it; several current tenancies still give one
  ballot), and the project leader did not exclude it;
* every other unit of the complex is excluded (sold, commercial, vacant, free sector, or
  by the project leader);
* the homes are the landlord's rental units, vacant ones included (``electorate.homes_of``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    union_all,
)
from sqlmodel import Session, col, select

from consent.housing.models import RENTED_KINDS, Tenancy, Unit
from consent.proposals.eligibility import VOTING_KINDS
from consent.proposals.models import (
    Ballot,
    ExcludedUnit,
    Proposal,
    ProposalExclusion,
    ProposalResult,
    ProposalVoter,
)
from consent.proposals.tally import Choice

VOTERS, EXCLUDED = "voters", "excluded"  # next to the ballot choices agree and disagree


def among(column: Any, ids: Collection[int]) -> ColumnElement[bool]:
    """``column IN (ids)`` with the numbers written into the statement.

    For hundreds of ids that is cheaper than as many bound parameters (measured on
    PostgreSQL: about a third of the time for the dashboard's counts).
    """
    values = bindparam(
        "ids", sorted(ids), type_=Integer, unique=True, expanding=True, literal_execute=True
    )
    return col(column).in_(values)


class Counted(Protocol):
    """What a tally needs of a proposal: a Proposal, or a row with these columns."""

    @property
    def id(self) -> int | None: ...
    @property
    def status(self) -> str: ...
    @property
    def complex_id(self) -> int: ...
    @property
    def counting_rule(self) -> str: ...
    @property
    def opens_at(self) -> datetime: ...
    @property
    def eligibility_date(self) -> date | None: ...
    @property
    def homes(self) -> int | None: ...


@dataclass(frozen=True)
class Counts:
    """What a tally is computed from, besides the proposal's rules."""

    eligible: int
    excluded: int
    agree: int = 0
    disagree: int = 0


def frozen(session: Session, proposal_ids: Sequence[int]) -> dict[int, Counts]:
    """Voters, excluded units and counted ballots by choice, in one statement."""
    if not proposal_ids:
        return {}
    ids = set(proposal_ids)
    per_kind = union_all(
        select(literal(VOTERS), col(ProposalVoter.proposal_id), func.count())
        .where(among(ProposalVoter.proposal_id, ids))
        .group_by(col(ProposalVoter.proposal_id)),
        select(literal(EXCLUDED), col(ExcludedUnit.proposal_id), func.count())
        .where(among(ExcludedUnit.proposal_id, ids))
        .group_by(col(ExcludedUnit.proposal_id)),
        select(col(Ballot.choice), col(Ballot.proposal_id), func.count())
        .where(among(Ballot.proposal_id, ids))
        .group_by(col(Ballot.proposal_id), col(Ballot.choice)),
    )
    found: dict[int, dict[str, int]] = {pid: {} for pid in ids}
    for kind, pid, number in session.execute(per_kind).all():
        found[int(pid)][kind] = int(number)
    return {
        pid: Counts(
            eligible=n.get(VOTERS, 0),
            excluded=n.get(EXCLUDED, 0),
            agree=n.get(Choice.AGREE, 0),
            disagree=n.get(Choice.DISAGREE, 0),
        )
        for pid, n in found.items()
    }


def results(session: Session, proposal_ids: Sequence[int]) -> dict[int, ProposalResult]:
    """The frozen results that exist among ``proposal_ids``."""
    if not proposal_ids:
        return {}
    rows = session.exec(
        select(ProposalResult).where(among(ProposalResult.proposal_id, proposal_ids))
    ).all()
    return {row.proposal_id: row for row in rows}


def _votes_on(on: date) -> ColumnElement[bool]:
    """The unit (``Unit``) would get a ballot on ``on``, leaving the project leader aside."""
    current = exists().where(
        col(Tenancy.unit_id) == col(Unit.id),
        col(Tenancy.start_date) <= on,
        or_(col(Tenancy.end_date).is_(None), col(Tenancy.end_date) > on),
    )
    return and_(col(Unit.kind).in_([kind.value for kind in VOTING_KINDS]), current)


@dataclass(frozen=True)
class Preview:
    counts: Counts
    homes: int


def previews(session: Session, proposals: Sequence[Counted], on: date) -> dict[int, Preview]:
    """The electorate each proposal would have if voting opened on ``on``."""
    if not proposals:
        return {}
    votes = _votes_on(on)
    per_complex = session.execute(
        select(
            col(Unit.complex_id),
            func.count(),
            func.sum(case((col(Unit.kind).in_([k.value for k in RENTED_KINDS]), 1), else_=0)),
            func.sum(case((votes, 1), else_=0)),
        )
        .where(among(Unit.complex_id, {p.complex_id for p in proposals}))
        .group_by(col(Unit.complex_id))
    ).all()
    units = {
        int(cid): (int(n), int(homes or 0), int(voting or 0))
        for cid, n, homes, voting in per_complex
    }
    excluded_voters = session.execute(
        select(col(ProposalExclusion.proposal_id), func.count())
        .join(Unit, col(Unit.id) == col(ProposalExclusion.unit_id))
        .join(Proposal, col(Proposal.id) == col(ProposalExclusion.proposal_id))
        .where(
            among(ProposalExclusion.proposal_id, [p.id or 0 for p in proposals]),
            col(Unit.complex_id) == col(Proposal.complex_id),
            votes,
        )
        .group_by(col(ProposalExclusion.proposal_id))
    ).all()
    by_leader = {int(pid): int(n) for pid, n in excluded_voters}
    found = {}
    for proposal in proposals:
        total, homes, voting = units.get(proposal.complex_id, (0, 0, 0))
        eligible = voting - by_leader.get(proposal.id or 0, 0)
        found[proposal.id or 0] = Preview(Counts(eligible, total - eligible), homes)
    return found
