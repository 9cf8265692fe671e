"""Pure rules: transitions, support share, the answer clock with pauses, next steps, input parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from consent import measures
from consent.initiatives import rules, uploads
from consent.initiatives.forms import parse_euros
from consent.initiatives.models import Status

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 2, 9, tzinfo=AMS)


def test_transitions_follow_the_lifecycle() -> None:
    assert rules.can_move("draft", Status.COLLECTING)
    assert rules.can_move("collecting", Status.SUBMITTED)
    assert rules.can_move("submitted", Status.MORE_INFO_NEEDED)
    assert rules.can_move("more_info_needed", Status.SUBMITTED)
    assert not rules.can_move("draft", Status.ACCEPTED)
    assert not rules.can_move("accepted", Status.REJECTED)
    assert not rules.can_move("rejected", Status.SUBMITTED)
    assert not rules.can_collect("draft", for_home=True)


def test_support_share_rounds_down_and_threshold_is_exact() -> None:
    assert rules.Support(5, 12).percent == Decimal("41.66")
    assert rules.Support(0, 0).percent == Decimal("0.00")
    assert rules.threshold_reached(6, 12, 50)
    assert not rules.threshold_reached(5, 12, 42)  # 41.67% < 42%
    assert not rules.threshold_reached(12, 12, None)


def test_due_date_is_six_weeks_across_daylight_saving() -> None:
    due = rules.due_at(START, 42, [])
    assert due is not None
    assert due.astimezone(AMS).replace(tzinfo=None) == datetime(2026, 4, 13, 9)  # after DST start


def test_pause_extends_the_deadline_and_open_pause_stops_it() -> None:
    paused_from = START + timedelta(days=10)
    assert rules.due_at(START, 42, [(paused_from, None)]) is None
    due = rules.due_at(START, 42, [(paused_from, paused_from + timedelta(days=5, hours=3))])
    plain = rules.due_at(START, 42, [])
    assert due is not None and plain is not None
    assert due - plain == timedelta(days=5, hours=3)
    assert rules.due_at(None, 42, []) is None


def test_overdue_only_when_submitted_and_after_the_due_moment() -> None:
    due = datetime(2026, 4, 13, 7, tzinfo=UTC)
    assert not rules.is_overdue("submitted", due, due)
    assert rules.is_overdue("submitted", due, due + timedelta(seconds=1))
    assert not rules.is_overdue("more_info_needed", due, due + timedelta(days=3))
    assert not rules.is_overdue("accepted", due, due + timedelta(days=3))
    assert not rules.is_overdue("submitted", None, due)


def test_where_next_names_the_court_only_for_art_7_243_measures() -> None:
    assert rules.where_next(["solar_panels"]) == ["tenant_organisation"]
    assert rules.where_next(["roof", "solar_panels"]) == ["tenant_organisation", "court"]


def test_measures_are_one_list_in_canonical_order() -> None:
    known, unknown = measures.parse(["roof", "facade", "roof", "sauna"])
    assert known == [measures.Measure.FACADE, measures.Measure.ROOF]
    assert unknown == ["sauna"]
    assert measures.decode(measures.encode(known)) == known
    assert len(measures.choices()) == 11
    assert measures.is_art_7_243(["glazing"]) and not measures.is_art_7_243(["heat_pump"])


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        ("12", 1200),
        ("12,5", 1250),
        ("12.50", 1250),
        ("€ 7,05", 705),
        ("abc", None),
        ("1,234", None),
    ],
)
def test_offer_in_euros(raw: str, cents: int | None) -> None:
    assert parse_euros(raw) == cents


def test_uploads_are_recognised_by_content_not_name() -> None:
    assert uploads.sniff(b"%PDF-1.4 ...") == ("application/pdf", ".pdf")
    assert uploads.sniff(b"\xff\xd8\xff\xe0....") == ("image/jpeg", ".jpg")
    assert uploads.sniff(b"\x89PNG\r\n\x1a\n....") == ("image/png", ".png")
    assert uploads.sniff(b"<html><script>") is None
    with pytest.raises(uploads.UploadError, match="too_large"):
        uploads.check(b"%PDF-" + b"x" * uploads.MAX_BYTES)
    with pytest.raises(uploads.UploadError, match="empty"):
        uploads.check(b"")
    assert uploads.clean_name("../../etc/passwd<script>.exe", ".png") == "passwdscript.png"
