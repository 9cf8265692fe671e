"""The answer clock: calendar periods, pauses, daylight saving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from consent.clock import deadline, is_overdue, paused_time, remaining

AMS = ZoneInfo("Europe/Amsterdam")
WEEK = timedelta(weeks=1)


def ams(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def local(value: datetime | None) -> datetime:
    assert value is not None
    assert value.utcoffset() == timedelta(0)  # results are in UTC
    return value.astimezone(AMS)


def test_six_weeks_across_spring_forward() -> None:
    due = deadline(ams(2026, 3, 20, 10), 6 * WEEK, [])
    assert due == datetime(2026, 5, 1, 8, tzinfo=UTC)
    assert local(due).replace(tzinfo=None) == datetime(2026, 5, 1, 10)


def test_one_week_across_fall_back() -> None:
    due = deadline(ams(2026, 10, 20, 10), WEEK, [])
    assert local(due).replace(tzinfo=None) == datetime(2026, 10, 27, 10)
    assert local(due) - ams(2026, 10, 20, 10) == WEEK  # wall-clock difference
    assert local(due).astimezone(UTC) - ams(2026, 10, 20, 10) == WEEK + timedelta(hours=1)


def test_weekends_count() -> None:
    friday = ams(2026, 1, 9, 17)
    assert local(deadline(friday, timedelta(days=1), [])) == ams(2026, 1, 10, 17)
    assert local(deadline(friday, timedelta(days=3), [])) == ams(2026, 1, 12, 17)


def test_input_in_other_zone_gives_same_moment() -> None:
    start = ams(2026, 3, 20, 10)
    assert deadline(start.astimezone(UTC), 6 * WEEK, []) == deadline(start, 6 * WEEK, [])


def test_other_timezone_parameter() -> None:
    start = datetime(2026, 3, 20, 10, tzinfo=UTC)
    assert deadline(start, 6 * WEEK, [], tz="UTC") == start + 6 * WEEK


def test_pause_extends_by_its_length() -> None:
    start = ams(2026, 1, 5, 9)
    pause = (ams(2026, 1, 10, 12), ams(2026, 1, 12, 15))
    due = deadline(start, 6 * WEEK, [pause])
    assert due == deadline(start, 6 * WEEK, []) + timedelta(days=2, hours=3)  # type: ignore[operator]


def test_pause_across_dst_counts_real_time() -> None:
    start = ams(2026, 3, 1, 12)
    pause = (ams(2026, 3, 28, 12), ams(2026, 3, 30, 12))  # 47 real hours
    assert paused_time([pause], start) == timedelta(hours=47)
    base = deadline(start, 6 * WEEK, [])
    assert deadline(start, 6 * WEEK, [pause]) == base + timedelta(hours=47)  # type: ignore[operator]


def test_overlapping_pauses_count_once() -> None:
    start = ams(2026, 1, 5, 9)
    pauses = [
        (ams(2026, 1, 6, 9), ams(2026, 1, 8, 9)),
        (ams(2026, 1, 7, 9), ams(2026, 1, 9, 9)),
        (ams(2026, 1, 7, 10), ams(2026, 1, 7, 11)),
        (ams(2026, 1, 20, 9), ams(2026, 1, 21, 9)),
    ]
    assert paused_time(pauses, start) == timedelta(days=4)


def test_open_pause_stops_the_clock() -> None:
    start = ams(2026, 1, 5, 9)
    assert deadline(start, WEEK, [(ams(2026, 1, 6, 9), None)]) is None
    closed = (ams(2026, 1, 6, 9), ams(2026, 1, 7, 9))
    assert deadline(start, WEEK, [closed, (ams(2026, 1, 8, 9), None)]) is None


def test_sub_day_remainder_is_real_time() -> None:
    due = deadline(ams(2026, 3, 28, 12), timedelta(hours=36), [])
    # one wall-clock day (23 real hours) to 2026-03-29 12:00, then 12 real hours
    assert local(due) == ams(2026, 3, 30, 0)


def test_nonexistent_local_time_moves_forward() -> None:
    due = deadline(ams(2026, 3, 22, 2, 30), WEEK, [])  # 2026-03-29 02:30 does not exist
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert local(due).hour == 3


def test_ambiguous_local_time_takes_first() -> None:
    due = deadline(ams(2026, 10, 18, 2, 30), WEEK, [])  # 2026-10-25 02:30 happens twice
    assert due == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "period", "pauses", "message"),
    [
        (datetime(2026, 1, 1), WEEK, [], "started_at"),
        (ams(2026, 1, 1), -WEEK, [], "period"),
        (ams(2026, 1, 5), WEEK, [(ams(2026, 1, 4), ams(2026, 1, 6))], "before the clock"),
        (ams(2026, 1, 5), WEEK, [(ams(2026, 1, 7), ams(2026, 1, 6))], "end before"),
        (ams(2026, 1, 5), WEEK, [(ams(2026, 1, 6), datetime(2026, 1, 7))], "pause end"),
    ],
)
def test_bad_input(
    start: datetime,
    period: timedelta,
    pauses: list[tuple[datetime, datetime | None]],
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        deadline(start, period, pauses)


def test_remaining_and_overdue() -> None:
    due = deadline(ams(2026, 3, 20, 10), 6 * WEEK, [])
    assert due is not None
    assert remaining(due, due) == timedelta(0)
    assert not is_overdue(due, due)
    assert is_overdue(due, due + timedelta(microseconds=1))
    assert remaining(due, due - timedelta(days=2)) == timedelta(days=2)
    assert remaining(due, due + timedelta(hours=1)) == -timedelta(hours=1)
    # both in local time across the fall-back night: real time, not wall-clock difference
    assert remaining(ams(2026, 10, 25, 4), ams(2026, 10, 25, 1)) == timedelta(hours=4)
    assert is_overdue(ams(2026, 10, 25, 2, 30), ams(2026, 10, 25, 2, 10).replace(fold=1))
    with pytest.raises(ValueError, match="now"):
        remaining(due, datetime(2026, 1, 1))


# --- properties ---

moments = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.just(AMS),
    allow_imaginary=False,
)
periods = st.integers(min_value=0, max_value=400).map(lambda d: timedelta(days=d))


@st.composite
def pauses_after(draw: st.DrawFn, start: datetime) -> list[tuple[datetime, datetime | None]]:
    result: list[tuple[datetime, datetime | None]] = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        begin = start + timedelta(minutes=draw(st.integers(min_value=0, max_value=10**6)))
        length = timedelta(minutes=draw(st.integers(min_value=0, max_value=10**5)))
        result.append((begin, begin + length))
    return result


def utc_spans(pauses: list[tuple[datetime, datetime | None]]) -> list[tuple[datetime, datetime]]:
    return [(b.astimezone(UTC), e.astimezone(UTC)) for b, e in pauses if e is not None]


@given(st.data(), moments, periods)
def test_pause_never_shortens_the_deadline(
    data: st.DataObject, start: datetime, period: timedelta
) -> None:
    pauses = data.draw(pauses_after(start))
    base = deadline(start, period, [])
    due = deadline(start, period, pauses)
    assert base is not None and due is not None
    assert due >= base
    total = sum((e - b for b, e in utc_spans(pauses)), timedelta(0))
    assert due - base <= total
    more = data.draw(pauses_after(start))
    extended = deadline(start, period, pauses + more)
    assert extended is not None and extended >= due


@given(moments, periods)
def test_whole_days_keep_local_wall_time(start: datetime, period: timedelta) -> None:
    assume(start.astimezone(AMS).hour != 2)  # 02:xx may not exist on the due day
    due = deadline(start, period, [])
    wall = local(due).replace(tzinfo=None, fold=0)
    assert wall == start.replace(tzinfo=None, fold=0) + period


@given(moments, periods, periods)
def test_more_days_never_earlier(start: datetime, a: timedelta, b: timedelta) -> None:
    short, long = sorted((a, b))
    first, second = deadline(start, short, []), deadline(start, long, [])
    assert first is not None and second is not None
    assert first <= second


@given(moments, periods)
def test_deadline_is_never_before_start(start: datetime, period: timedelta) -> None:
    due = deadline(start, period, [])
    assert due is not None
    assert due >= start
    if period >= timedelta(days=1):
        assert due > start
