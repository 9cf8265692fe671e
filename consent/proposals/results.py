"""The tally of a proposal: live while voting, frozen once voting closes.

Figures come from ``tally.compute_tally`` with the threshold and the minimum number
of homes read from dated data for the proposal's reference date. ``tallies_for`` gives
the same figures for many proposals at once (the corporation dashboard) from a few
grouped statements (``counts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from consent import rules_data
from consent.proposals import counts, electorate, rules
from consent.proposals.models import Ballot, Proposal, ProposalResult
from consent.proposals.tally import (
    MIN_HOMES_NAME,
    THRESHOLD_NAME,
    CountingRule,
    Tally,
    compute_tally,
)
from consent.timeutil import to_local, utcnow


def reference_date(proposal: counts.Counted) -> date:
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


def _tally(proposal: counts.Counted, found: counts.Counts, homes: int) -> Tally:
    on = reference_date(proposal)
    return compute_tally(
        eligible=found.eligible,
        excluded=found.excluded,
        agree=found.agree,
        disagree=found.disagree,
        homes=homes,
        counting_rule=CountingRule(proposal.counting_rule),
        threshold_percent=rules_data.value_on(THRESHOLD_NAME, on),
        presumption_min_homes=rules_data.value_on(MIN_HOMES_NAME, on),
    )


def preview_date() -> date:
    """The day a proposal before voting is counted for: today, as if voting opened now."""
    return to_local(utcnow()).date()


def tally_for(session: Session, proposal: Proposal) -> Tally:
    """The tally as staff and the API see it (frozen after closing).

    Before voting: the electorate the proposal would have if voting opened today, built
    unit by unit with the eligibility rules.
    """
    if proposal.status in rules.BEFORE_VOTING:
        preview = electorate.live(session, proposal, preview_date())
        found = counts.Counts(eligible=len(preview.voters), excluded=len(preview.excluded))
        return _tally(proposal, found, preview.homes)
    return tallies_for(session, [proposal])[proposal.id or 0]


def tallies_for(session: Session, proposals: Sequence[counts.Counted]) -> dict[int, Tally]:
    """``tally_for`` of every proposal (by id), from a few grouped statements for them all.

    Before voting the electorate is counted in SQL (``counts.previews``), with the same
    figures as the eligibility rules give.
    """
    frozen = counts.results(session, [p.id or 0 for p in proposals if p.status in rules.FINISHED])
    before = [p for p in proposals if p.status in rules.BEFORE_VOTING]
    previews = counts.previews(session, before, preview_date())
    voting = [p.id or 0 for p in proposals if p.status not in rules.BEFORE_VOTING]
    live = counts.frozen(session, [pid for pid in voting if pid not in frozen])
    found = {}
    for proposal in proposals:
        pid = proposal.id or 0
        if pid in frozen:
            found[pid] = _from_result(frozen[pid])
        elif pid in previews:
            found[pid] = _tally(proposal, previews[pid].counts, previews[pid].homes)
        else:
            found[pid] = _tally(proposal, live[pid], proposal.homes or 0)
    return found


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
