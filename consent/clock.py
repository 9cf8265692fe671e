"""The answer clock: when a response to an initiative or case is due.

The period runs in calendar time (weekends and holidays count). Whole days of the period
are added on the local wall clock (default Europe/Amsterdam), so "6 weeks" ends at the
same local time of day even across a daylight-saving change; any sub-day remainder is
added in real elapsed time. Pauses (waiting for requested information) extend the
deadline by their real elapsed length; overlapping pauses count once. A local time that
does not exist (spring-forward gap) resolves to the offset before the change, i.e. one
hour later on the clock; an ambiguous one (fall-back) to its first occurrence.
Results are timezone-aware datetimes in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

Pause = tuple[datetime, datetime | None]


def _utc(value: datetime, name: str) -> datetime:
    """``value`` in UTC; naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value.astimezone(UTC)


def paused_time(pauses: Sequence[Pause], started_at: datetime) -> timedelta | None:
    """Total real time covered by closed pauses (union); None if any pause is open."""
    # Compare in UTC: aware datetimes sharing a tzinfo compare and subtract on the wall clock.
    origin = _utc(started_at, "started_at")
    spans: list[tuple[datetime, datetime]] = []
    for start_at, end_at in pauses:
        start = _utc(start_at, "pause start")
        if start < origin:
            raise ValueError("a pause cannot start before the clock started")
        if end_at is None:
            return None
        end = _utc(end_at, "pause end")
        if end < start:
            raise ValueError("a pause cannot end before it starts")
        spans.append((start, end))
    total = timedelta(0)
    cursor: datetime | None = None
    for start, end in sorted(spans):
        if cursor is not None and start < cursor:
            start = cursor
        if end > start:
            total += end - start
        cursor = end if cursor is None else max(cursor, end)
    return total


def deadline(
    started_at: datetime,
    period: timedelta,
    pauses: Sequence[Pause],
    tz: str = "Europe/Amsterdam",
) -> datetime | None:
    """The due moment in UTC, or None while a pause is open (the clock is stopped)."""
    origin = _utc(started_at, "started_at")
    if period < timedelta(0):
        raise ValueError("period must not be negative")
    paused = paused_time(pauses, started_at)
    if paused is None:
        return None
    days = timedelta(days=period.days)
    due = origin
    if days:
        wall = (started_at.astimezone(ZoneInfo(tz)) + days).replace(fold=0)
        due = wall.astimezone(UTC)
    return due + (period - days) + paused


def remaining(due: datetime, now: datetime) -> timedelta:
    """Real time left until ``due``; negative once overdue."""
    return _utc(due, "due") - _utc(now, "now")


def is_overdue(due: datetime, now: datetime) -> bool:
    """True strictly after ``due``; at the due moment itself it is not yet overdue."""
    return remaining(due, now) < timedelta(0)
