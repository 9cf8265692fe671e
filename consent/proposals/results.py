"""The tally of a proposal: live while voting, frozen once voting closes.

Figures come from ``tally.compute_tally`` with the threshold and the minimum number
of homes read from dated data for the proposal's reference date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from consent import rules_data
from consent.proposals import electorate, rules
from consent.proposals.models import Ballot, Proposal, ProposalResult
from consent.proposals.tally import (
    MIN_HOMES_NAME,
    THRESHOLD_NAME,
    CountingRule,
    Tally,
    compute_tally,
)
from consent.timeutil import to_local, utcnow


def reference_date(proposal: Proposal) -> date:
    """The date the rule figures are read for: when voting opened (or is to open)."""
    return proposal.eligibility_date or to_local(proposal.opens_at).date()


@dataclass(frozen=True)
class Presumption:
    """Whether the 70% presumption can apply: only for 10 or more homes."""

    applies: bool
    homes: int
    min_homes: int
    threshold_percent: int


def presumption(session: Session, proposal: Proposal) -> Presumption:
    on = reference_date(proposal)
    homes = proposal.homes
    if homes is None:
        homes = electorate.homes_in(session, proposal.complex_id)
    minimum = rules_data.value_on(MIN_HOMES_NAME, on)
    threshold = rules_data.value_on(THRESHOLD_NAME, on)
    return Presumption(homes >= minimum, homes, minimum, threshold)


def ballot_counts(session: Session, proposal_id: int) -> tuple[int, int]:
    """(agree, disagree) of the counted ballots."""
    rows = session.exec(
        select(Ballot.choice, func.count())
        .where(Ballot.proposal_id == proposal_id)
        .group_by(col(Ballot.choice))
    ).all()
    by_choice = {choice: int(n) for choice, n in rows}
    return by_choice.get("agree", 0), by_choice.get("disagree", 0)


def channel_counts(session: Session, proposal_id: int) -> dict[str, int]:
    """Counted ballots per channel (online, paper, home_visit)."""
    rows = session.exec(
        select(Ballot.channel, func.count())
        .where(Ballot.proposal_id == proposal_id)
        .group_by(col(Ballot.channel))
    ).all()
    found = {channel: int(n) for channel, n in rows}
    return {channel.value: found.get(channel.value, 0) for channel in rules.Channel}


def result_of(session: Session, proposal_id: int) -> ProposalResult | None:
    return session.get(ProposalResult, proposal_id)


def _from_result(result: ProposalResult) -> Tally:
    return compute_tally(
        eligible=result.eligible,
        excluded=result.excluded,
        agree=result.agree,
        disagree=result.disagree,
        homes=result.homes,
        counting_rule=CountingRule(result.counting_rule),
        threshold_percent=result.threshold_percent,
        presumption_min_homes=result.presumption_min_homes,
    )


def tally_for(session: Session, proposal: Proposal) -> Tally:
    """The tally as staff and the API see it (frozen after closing)."""
    pid = proposal.id or 0
    if proposal.status in rules.FINISHED:
        result = result_of(session, pid)
        if result is not None:
            return _from_result(result)
    on = reference_date(proposal)
    if proposal.status in rules.BEFORE_VOTING:
        preview = electorate.live(session, proposal, to_local(utcnow()).date())
        eligible, excluded, homes = len(preview.voters), len(preview.excluded), preview.homes
        agree = disagree = 0
    else:
        eligible, excluded = electorate.counts(session, pid)
        agree, disagree = ballot_counts(session, pid)
        homes = proposal.homes or 0
    return compute_tally(
        eligible=eligible,
        excluded=excluded,
        agree=agree,
        disagree=disagree,
        homes=homes,
        counting_rule=CountingRule(proposal.counting_rule),
        threshold_percent=rules_data.value_on(THRESHOLD_NAME, on),
        presumption_min_homes=rules_data.value_on(MIN_HOMES_NAME, on),
    )


def freeze_result(session: Session, proposal: Proposal, audit_hash: str) -> ProposalResult:
    """Store the counts at closing; later reads use these, never the live ballots."""
    pid = proposal.id or 0
    tally = tally_for(session, proposal)
    result = ProposalResult(
        proposal_id=pid,
        counting_rule=tally.counting_rule.value,
        threshold_percent=tally.threshold_percent,
        presumption_min_homes=rules_data.value_on(MIN_HOMES_NAME, reference_date(proposal)),
        homes=proposal.homes or 0,
        eligible=tally.eligible,
        excluded=tally.excluded,
        agree=tally.agree,
        disagree=tally.disagree,
        closed_at=proposal.closed_at or utcnow(),
        audit_hash=audit_hash,
    )
    session.add(result)
    session.flush()
    return result
