"""Monthly figures for the move-on programme: a pure function of plain sign-up facts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import median

# A move out of a home with this many rooms or more frees a family home (RULES.md §4:
# the Eemnes scheme "Van Groot Naar Beter" counts 4+ rooms as a family home).
FAMILY_HOME_MIN_ROOMS = 4
ROOM_BUCKETS = ("1", "2", "3", "4", "5+")


@dataclass(frozen=True)
class SignupFacts:
    signed_up_on: date
    moved_on: date | None
    rooms: int


@dataclass
class MonthFigures:
    month: date  # the first day of the month
    signups: int = 0
    moves: int = 0
    family_homes_freed: int = 0
    moves_by_rooms: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROOM_BUCKETS, 0))
    median_days_to_move: float | None = None


@dataclass
class Report:
    months: list[MonthFigures]
    total: MonthFigures


def room_bucket(rooms: int) -> str:
    last = ROOM_BUCKETS[-1]
    return last if rooms >= int(last.rstrip("+")) else str(max(rooms, 1))


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first`'s month to `last`'s month, inclusive."""
    months = []
    current = month_start(first)
    while current <= month_start(last):
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _median(values: Sequence[int]) -> float | None:
    return float(median(values)) if values else None


def monthly_report(
    facts: Iterable[SignupFacts],
    first: date,
    last: date,
    family_min_rooms: int = FAMILY_HOME_MIN_ROOMS,
) -> Report:
    """Sign-ups (by sign-up month), moves, family homes freed and rooms (by move month),
    and the median days from sign-up to move, for every month from `first` to `last`."""
    months = {month: MonthFigures(month) for month in months_between(first, last)}
    total = MonthFigures(month_start(first))
    durations: dict[date, list[int]] = {month: [] for month in months}
    all_durations: list[int] = []
    for fact in facts:
        signed = months.get(month_start(fact.signed_up_on))
        if signed is not None:
            signed.signups += 1
            total.signups += 1
        if fact.moved_on is None:
            continue
        moved = months.get(month_start(fact.moved_on))
        if moved is None:
            continue
        days = (fact.moved_on - fact.signed_up_on).days
        bucket = room_bucket(fact.rooms)
        for figures in (moved, total):
            figures.moves += 1
            figures.moves_by_rooms[bucket] += 1
            if fact.rooms >= family_min_rooms:
                figures.family_homes_freed += 1
        durations[moved.month].append(days)
        all_durations.append(days)
    for month, figures in months.items():
        figures.median_days_to_move = _median(durations[month])
    total.median_days_to_move = _median(all_durations)
    return Report(list(months.values()), total)
