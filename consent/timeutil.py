"""Time conventions: timestamps are timezone-aware UTC; people see Europe/Amsterdam."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """The current time, aware, in UTC (what every timestamp column holds)."""
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    """A timestamp as an aware Europe/Amsterdam time (a naive one is taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(AMSTERDAM)


def from_local(local: datetime) -> datetime:
    """A wall-clock time in Europe/Amsterdam (naive, or aware in any zone) as aware UTC."""
    aware = local if local.tzinfo else local.replace(tzinfo=AMSTERDAM)
    return aware.astimezone(UTC)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 timestamp as aware UTC; without an offset it is Amsterdam time."""
    return from_local(datetime.fromisoformat(text))
