"""A proposed batched `dashboard.overview` (a prototype, measured by national_scale.py).

`consent.proposals.dashboard.overview` computes each proposal's tally on its own: about
three queries per open proposal, one per finished one, and for a draft the whole live
electorate of its complex (its units and tenancies). For 500 proposals that is about 1,200
queries. This version asks the same questions once for all proposals (grouped by
proposal), then builds the same `OverviewRow`s with the same pure functions
(`tally.compute_tally`, `eligibility.eligible_units`, `dashboard.tally_view`'s geometry).

`same_as_service(session, user)` checks that it returns exactly what the service returns;
national_scale.py runs that check before timing it. Not used by the app.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from consent import rules_data
from consent.accounts.models import StaffUser
from consent.housing.models import RENTED_KINDS, Tenancy, Unit
from consent.proposals import dashboard, rules, service
from consent.proposals.eligibility import TenancySnapshot, UnitSnapshot, eligible_units
from consent.proposals.models import (
    Ballot,
    ExcludedUnit,
    Proposal,
    ProposalExclusion,
    ProposalResult,
    ProposalVoter,
)
from consent.proposals.results import _from_result, reference_date
from consent.proposals.tally import (
    MIN_HOMES_NAME,
    THRESHOLD_NAME,
    CountingRule,
    Tally,
    compute_tally,
)
from consent.timeutil import to_local, utcnow


def _counts(session: Session, model: type, ids: list[int]) -> dict[int, int]:
    column = col(model.proposal_id)  # type: ignore[attr-defined]
    rows = session.exec(select(column, func.count()).where(column.in_(ids)).group_by(column)).all()
    return {int(pid): int(n) for pid, n in rows}


def _live(session: Session, drafts: list[Proposal]) -> dict[int, tuple[int, int, int]]:
    """(eligible, excluded, homes) of each draft, as electorate.live computes them."""
    if not drafts:
        return {}
    complexes = {p.complex_id for p in drafts}
    units = session.exec(  # plain rows, not ORM objects: 5,000 units of 50 drafts
        select(Unit.id, Unit.complex_id, Unit.kind)
        .where(col(Unit.complex_id).in_(complexes))
        .order_by(col(Unit.code))
    ).all()
    by_complex: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for uid, complex_id, kind in units:
        by_complex[complex_id].append((uid, kind))
    per_unit: dict[int, list[TenancySnapshot]] = defaultdict(list)
    for tid, unit_id, start, end in session.exec(
        select(Tenancy.id, Tenancy.unit_id, Tenancy.start_date, Tenancy.end_date)
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(col(Unit.complex_id).in_(complexes))
    ).all():
        per_unit[unit_id].append(TenancySnapshot(tid, start, end))
    own: dict[int, dict[int, str]] = defaultdict(dict)
    for e in session.exec(
        select(ProposalExclusion).where(
            col(ProposalExclusion.proposal_id).in_([p.id for p in drafts])
        )
    ).all():
        own[e.proposal_id][e.unit_id] = e.reason
    on = to_local(utcnow()).date()
    found = {}
    rented = {kind.value for kind in RENTED_KINDS}
    for p in drafts:
        members = by_complex[p.complex_id]
        snapshots = [UnitSnapshot(uid, kind, per_unit.get(uid, [])) for uid, kind in members]
        result = eligible_units(snapshots, own[p.id or 0], on)
        homes = sum(1 for _uid, kind in members if kind in rented)  # electorate.homes_of
        found[p.id or 0] = (len(result.ballots), len(result.excluded), homes)
    return found


def tallies(session: Session, proposals: list[Proposal]) -> dict[int, Tally]:
    ids = [p.id or 0 for p in proposals]
    voters = _counts(session, ProposalVoter, ids)
    excluded = _counts(session, ExcludedUnit, ids)
    ballots: dict[tuple[int, str], int] = {}
    for pid, choice, n in session.exec(
        select(Ballot.proposal_id, Ballot.choice, func.count())
        .where(col(Ballot.proposal_id).in_(ids))
        .group_by(col(Ballot.proposal_id), col(Ballot.choice))
    ).all():
        ballots[(int(pid), choice)] = int(n)
    frozen = {
        r.proposal_id: r
        for r in session.exec(
            select(ProposalResult).where(col(ProposalResult.proposal_id).in_(ids))
        ).all()
    }
    live = _live(session, [p for p in proposals if p.status in rules.BEFORE_VOTING])
    found = {}
    for p in proposals:
        pid = p.id or 0
        if p.status in rules.FINISHED and pid in frozen:
            found[pid] = _from_result(frozen[pid])
            continue
        if p.status in rules.BEFORE_VOTING:
            eligible, excl, homes = live[pid]
            agree = disagree = 0
        else:
            eligible, excl = voters.get(pid, 0), excluded.get(pid, 0)
            agree, disagree = ballots.get((pid, "agree"), 0), ballots.get((pid, "disagree"), 0)
            homes = p.homes or 0
        on = reference_date(p)
        found[pid] = compute_tally(
            eligible=eligible, excluded=excl, agree=agree, disagree=disagree, homes=homes,
            counting_rule=CountingRule(p.counting_rule),
            threshold_percent=rules_data.value_on(THRESHOLD_NAME, on),
            presumption_min_homes=rules_data.value_on(MIN_HOMES_NAME, on),
        )  # fmt: skip
    return found


def overview(
    session: Session, user: StaffUser, now: datetime | None = None
) -> list[dashboard.OverviewRow]:
    now = now or utcnow()
    proposals = service.list_for(session, user)
    complexes = {c.id: c for c in service.complexes_of(session, user.corporation_id)}
    figures = tallies(session, proposals)
    rows = []
    for index, p in enumerate(proposals):
        t = figures[p.id or 0]
        bars = [
            dashboard.Bar(key, value, dashboard.bar_width(value, t.eligible), 10 + 40 * i)
            for i, (key, value) in enumerate(
                [
                    ("agree", t.agree),
                    ("disagree", t.disagree),
                    ("non_respondents", t.non_respondents),
                ]
            )
        ]
        is_open = p.status == rules.Status.OPEN
        view = dashboard.TallyView(
            proposal=p, tally=t,
            days_left=rules.days_left(p.closes_at, now) if is_open else None,
            window_open=is_open and rules.voting_window_open(p.opens_at, p.closes_at, now),
            bars=bars,
            threshold_x=dashboard.BAR_START + dashboard.BAR_FULL * t.threshold_percent // 100,
            min_homes=rules_data.value_on(MIN_HOMES_NAME, reference_date(p)),
        )  # fmt: skip
        rows.append(
            dashboard.OverviewRow(
                view=view,
                complex=complexes[p.complex_id],
                respondents_width=dashboard.percent_width(t.respondents.percent_agree),
                statutory_width=dashboard.percent_width(t.statutory.percent_agree),
                y=10 + 60 * index,
            )  # fmt: skip
        )
    return rows


def same_as_service(session: Session, user: StaffUser) -> bool:
    now = utcnow()
    ours = overview(session, user, now)
    theirs = dashboard.overview(session, user, now)

    def key(rows: list[dashboard.OverviewRow]) -> list[object]:
        return [(r.view.proposal.id, r.view.tally, r.view.days_left, r.view.window_open,
                 r.view.bars, r.view.threshold_x, r.view.min_homes, r.complex.id,
                 r.respondents_width, r.statutory_width, r.y) for r in rows]  # fmt: skip

    return key(ours) == key(theirs)
