"""What the staff dashboards show: figures, days left and the geometry of the bar charts.

The SVG charts repeat figures that are also in a table, so screen-reader users get
the same information from the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, select
from sqlmodel import Session, col

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


def days_left(status: str, closes_at: datetime, now: datetime) -> int | None:
    """Days until voting closes while it is open; None in any other state."""
    return rules.days_left(closes_at, now) if status == rules.Status.OPEN else None


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
        days_left=days_left(proposal.status, proposal.closes_at, now),
        window_open=is_open
        and rules.voting_window_open(proposal.opens_at, proposal.closes_at, now),
        bars=bars,
        threshold_x=BAR_START + BAR_FULL * tally.threshold_percent // 100,
        min_homes=rules_data.value_on(MIN_HOMES_NAME, results.reference_date(proposal)),
    )


@dataclass(frozen=True, slots=True)
class Listed:
    """A proposal as the overview lists it: the columns it shows and counts with."""

    id: int
    title: str
    status: str
    counting_rule: str
    opens_at: datetime
    closes_at: datetime
    eligibility_date: date | None
    homes: int | None
    complex_id: int
    complex_code: str


def listed(session: Session, user: StaffUser) -> list[Listed]:
    """The proposals ``user`` sees, newest first, as plain rows (no ORM objects)."""
    rows = session.execute(
        select(
            col(Proposal.id),
            col(Proposal.title),
            col(Proposal.status),
            col(Proposal.counting_rule),
            col(Proposal.opens_at),
            col(Proposal.closes_at),
            col(Proposal.eligibility_date),
            col(Proposal.homes),
            col(Proposal.complex_id),
            col(Complex.code).label("complex_code"),
        )
        .join(  # naming the corporation lets PostgreSQL read only its complexes
            Complex,
            and_(
                col(Complex.id) == col(Proposal.complex_id),
                col(Complex.corporation_id) == col(Proposal.corporation_id),
            ),
        )
        .where(service.visible_filter(user))
        .order_by(col(Proposal.id).desc())
    ).all()
    return [Listed(**row._mapping) for row in rows]


@dataclass(frozen=True)
class OverviewRow:
    proposal: Listed
    tally: Tally
    days_left: int | None
    respondents_width: int
    statutory_width: int
    y: int


def overview(session: Session, user: StaffUser, now: datetime | None = None) -> list[OverviewRow]:
    """Every proposal of the corporation (a committee member: of their complex).

    The tallies of all proposals come from a few grouped statements
    (``results.tallies_for``), not one tally per proposal.
    """
    now = now or utcnow()
    proposals = listed(session, user)
    tallies = results.tallies_for(session, proposals)
    return [
        OverviewRow(
            proposal=proposal,
            tally=tallies[proposal.id],
            days_left=days_left(proposal.status, proposal.closes_at, now),
            respondents_width=percent_width(tallies[proposal.id].respondents.percent_agree),
            statutory_width=percent_width(tallies[proposal.id].statutory.percent_agree),
            y=10 + 60 * index,
        )
        for index, proposal in enumerate(proposals)
    ]
