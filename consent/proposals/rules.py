"""Pure decisions about proposals: statuses, tags, deadlines, warnings (no I/O).

Every figure (advice weeks, answer days, objection weeks, moving allowance, the
free-insulation date) comes from ``consent.rules_data`` for the relevant date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from consent import clock, rules_data
from consent.measures import Measure

ADVICE_WEEKS = "committee_advice_weeks"
ANSWER_DAYS = "committee_answer_days"
OBJECTION_WEEKS = "objection_period_weeks"
MOVING_ALLOWANCE = "moving_allowance_min_cents"
INSULATION_RENT = "insulation_rent_increase_allowed"


class Status(StrEnum):
    DRAFT = "draft"
    CONSULTATION = "consultation"
    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"
    NOTICES_SENT = "notices_sent"


EDITABLE = frozenset({Status.DRAFT, Status.CONSULTATION})
BEFORE_VOTING = EDITABLE
FINISHED = frozenset({Status.CLOSED, Status.DECIDED, Status.NOTICES_SENT})


class Category(StrEnum):
    IMPROVEMENT = "improvement"
    MAINTENANCE = "maintenance"


# Measure tags are shared with tenant initiatives (an accepted initiative can become a
# proposal): one list in consent.measures.
Tag = Measure

INSULATION_TAGS = frozenset(
    {Tag.FACADE, Tag.ROOF, Tag.FLOOR_INSULATION, Tag.GLAZING, Tag.DRAUGHT_PROOFING}
)


class Channel(StrEnum):
    ONLINE = "online"
    PAPER = "paper"
    HOME_VISIT = "home_visit"


RENT_KINDS = ("sociale_huur", "middenhuur", "vrije_sector")


def can_edit(status: str) -> bool:
    return status in EDITABLE


def advice_due(started_at: datetime) -> datetime:
    """The end of the committee's advice period (at least 6 weeks, from dated data)."""
    weeks = rules_data.value_on(ADVICE_WEEKS, started_at.date())
    due = clock.deadline(started_at, timedelta(weeks=weeks), [])
    assert due is not None
    return due


def answer_due(advice_received_at: datetime) -> datetime:
    """When the reasoned answer to the committee's advice is due (14 days)."""
    days = rules_data.value_on(ANSWER_DAYS, advice_received_at.date())
    due = clock.deadline(advice_received_at, timedelta(days=days), [])
    assert due is not None
    return due


def objection_deadline(notice_date: date) -> date:
    """The last day to ask the kantonrechter: 8 weeks after the notice date."""
    weeks = rules_data.value_on(OBJECTION_WEEKS, notice_date)
    return notice_date + timedelta(weeks=weeks)


def moving_allowance_minimum(on: date) -> int | None:
    """The statutory minimum moving allowance (cents) on ``on``, or None if unknown."""
    try:
        return rules_data.value_on(MOVING_ALLOWANCE, on)
    except LookupError:
        return None


def free_insulation_since(on: date) -> date | None:
    """The date from which no rent increase may be asked for insulation, if in force."""
    try:
        entry = rules_data.entry_on(INSULATION_RENT, on)
    except LookupError:
        return None
    return entry.valid_from if entry.value == 0 else None


def insulation_rent_warning(
    measures: list[tuple[str, int]], completed_on: date | None
) -> date | None:
    """The free-insulation date when rent rises for an insulation measure, else None.

    ``measures`` are (tag, monthly rent increase in cents). Without a planned date the
    check uses the latest rule, so a proposal is warned rather than waved through.
    """
    if not any(tag in INSULATION_TAGS and cents > 0 for tag, cents in measures):
        return None
    if completed_on is None:
        last = rules_data.entries(INSULATION_RENT)[-1]
        return last.valid_from if last.value == 0 else None
    return free_insulation_since(completed_on)


def consultation_complete(
    *,
    started_at: datetime | None,
    advice_received_at: datetime | None,
    advice_followed: bool | None,
    answer_sent_at: datetime | None,
    now: datetime,
) -> bool:
    """May voting open after consultation?

    Yes when the committee advised (and, if the advice is not followed, got a reasoned
    answer), or when the advice period ended without advice.
    """
    if started_at is None:
        return False
    if advice_received_at is not None:
        return advice_followed is not False or answer_sent_at is not None
    return now >= advice_due(started_at)


def days_left(closes_at: datetime, now: datetime) -> int:
    """Whole days (rounded up) until voting closes; 0 once closed."""
    seconds = (closes_at - now).total_seconds()
    if seconds <= 0:
        return 0
    return int(-(-seconds // 86400))


def voting_window_open(opens_at: datetime, closes_at: datetime, moment: datetime) -> bool:
    return opens_at <= moment < closes_at
