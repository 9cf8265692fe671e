"""What the staff dashboards show: figures, days left and the geometry of the bar charts.

The SVG charts repeat figures that are also in a table, so screen-reader users get
the same information from the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from consent import rules_data
from consent.accounts.models import StaffUser
from consent.housing.models import Complex
from consent.proposals import results, rules, service
from consent.proposals.models import Proposal
from consent.proposals.tally import MIN_HOMES_NAME, Tally
from consent.timeutil import utcnow

BAR_START = 210  # x where bars start in the 600-wide chart
BAR_FULL = 360  # width of a 100% bar


@dataclass(frozen=True)
class Bar:
    key: str
    value: int
    width: int
    y: int


@dataclass(frozen=True)
class TallyView:
    proposal: Proposal
    tally: Tally
    days_left: int | None  # None when voting is not open
    window_open: bool
    bars: list[Bar]
    threshold_x: int
    min_homes: int


def bar_width(value: int, total: int, full: int = BAR_FULL) -> int:
    return 0 if total <= 0 else (full * value) // total


def percent_width(percent: Decimal | None, full: int = BAR_FULL) -> int:
    return 0 if percent is None else int(full * percent / 100)


def tally_view(session: Session, proposal: Proposal, now: datetime | None = None) -> TallyView:
    now = now or utcnow()
    tally = results.tally_for(session, proposal)
    figures = [
        ("agree", tally.agree),
        ("disagree", tally.disagree),
        ("non_respondents", tally.non_respondents),
    ]
    bars = [
        Bar(key, value, bar_width(value, tally.eligible), 10 + 40 * index)
        for index, (key, value) in enumerate(figures)
    ]
    is_open = proposal.status == rules.Status.OPEN
    return TallyView(
        proposal=proposal,
        tally=tally,
        days_left=rules.days_left(proposal.closes_at, now) if is_open else None,
        window_open=is_open
        and rules.voting_window_open(proposal.opens_at, proposal.closes_at, now),
        bars=bars,
        threshold_x=BAR_START + BAR_FULL * tally.threshold_percent // 100,
        min_homes=rules_data.value_on(MIN_HOMES_NAME, results.reference_date(proposal)),
    )


@dataclass(frozen=True)
class OverviewRow:
    view: TallyView
    complex: Complex
    respondents_width: int
    statutory_width: int
    y: int


def overview(session: Session, user: StaffUser, now: datetime | None = None) -> list[OverviewRow]:
    """Every proposal of the corporation (a committee member: of their complex)."""
    rows = []
    complexes = {c.id: c for c in service.complexes_of(session, user.corporation_id)}
    for index, proposal in enumerate(service.list_for(session, user)):
        view = tally_view(session, proposal, now)
        rows.append(
            OverviewRow(
                view=view,
                complex=complexes[proposal.complex_id],
                respondents_width=percent_width(view.tally.respondents.percent_agree),
                statutory_width=percent_width(view.tally.statutory.percent_agree),
                y=10 + 60 * index,
            )
        )
    return rows
