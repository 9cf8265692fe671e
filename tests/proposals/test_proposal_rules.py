"""Pure proposal rules: clocks, dated amounts, warnings, money input, file checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from consent.proposals import attachments, exports, rules
from consent.proposals.forms import euros_text, parse_euros
from consent.proposals.inputs import MeasureInput, ProposalInput, validate
from consent.timeutil import AMSTERDAM


def test_advice_clock_is_six_weeks_on_the_amsterdam_wall_clock():
    sent = datetime(2025, 3, 1, 9, 0, tzinfo=AMSTERDAM)  # winter time; due in summer time
    due = rules.advice_due(sent.astimezone(UTC))
    assert due.astimezone(AMSTERDAM) == datetime(2025, 4, 12, 9, 0, tzinfo=AMSTERDAM)


def test_answer_clock_is_fourteen_days():
    received = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
    assert rules.answer_due(received) == received + timedelta(days=14)


@pytest.mark.parametrize(
    ("notice", "deadline"),
    [(date(2025, 1, 6), date(2025, 3, 3)), (date(2024, 12, 31), date(2025, 2, 25))],
)
def test_objection_deadline_is_eight_weeks_after_the_notice(notice, deadline):
    assert rules.objection_deadline(notice) == deadline


@pytest.mark.parametrize(
    ("on", "cents"),
    [
        (date(2023, 2, 28), 650_500),
        (date(2023, 3, 1), 715_600),
        (date(2024, 3, 1), 742_800),
        (date(2030, 1, 1), 742_800),
        (date(2018, 1, 1), None),
    ],
)
def test_moving_allowance_minimum_from_dated_data(on, cents):
    assert rules.moving_allowance_minimum(on) == cents


@pytest.mark.parametrize(
    ("measures", "completed", "warning"),
    [
        ([("facade", 1000)], date(2025, 1, 1), date(2023, 1, 1)),
        ([("draught_proofing", 1)], date(2023, 1, 1), date(2023, 1, 1)),
        ([("facade", 1000)], date(2022, 12, 31), None),  # completed before free insulation
        ([("facade", 0), ("solar_panels", 2000)], date(2025, 1, 1), None),
        ([("heat_pump", 2000)], None, None),
        ([("glazing", 500)], None, date(2023, 1, 1)),  # no date: warn by the latest rule
    ],
)
def test_insulation_rent_warning(measures, completed, warning):
    assert rules.insulation_rent_warning(measures, completed) == warning


def test_days_left_rounds_up_and_stops_at_zero():
    now = datetime(2025, 1, 1, 12, tzinfo=UTC)
    assert rules.days_left(now + timedelta(days=2, hours=1), now) == 3
    assert rules.days_left(now + timedelta(days=2), now) == 2
    assert rules.days_left(now - timedelta(seconds=1), now) == 0


def test_consultation_complete():
    start = datetime(2025, 1, 1, tzinfo=UTC)
    done = rules.consultation_complete
    kwargs = {
        "started_at": start,
        "advice_received_at": None,
        "advice_followed": None,
        "answer_sent_at": None,
    }
    assert not done(**kwargs, now=start + timedelta(days=41))
    assert done(**kwargs, now=start + timedelta(days=42))
    advised = kwargs | {"advice_received_at": start + timedelta(days=3)}
    assert done(**advised | {"advice_followed": True}, now=start + timedelta(days=4))
    assert not done(**advised | {"advice_followed": False}, now=start + timedelta(days=60))
    assert done(**advised | {"advice_followed": False, "answer_sent_at": start}, now=start)
    assert not done(**kwargs | {"started_at": None}, now=start)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("7.428,00", 742_800),
        ("7428", 742_800),
        ("12,5", 1250),
        ("-3.50", -350),
        ("€ 25", 2500),
        ("1.000", 100_000),
        ("0,05", 5),
        ("+10", 1000),
    ],  # fmt: skip
)
def test_parse_euros(text, cents):
    assert parse_euros(text) == cents


@pytest.mark.parametrize("text", ["twaalf", "1,234,5", "12.345.6", "", "--3"])
def test_parse_euros_refuses(text):
    with pytest.raises(ValueError):
        parse_euros(text)


def test_euros_text_round_trips():
    for cents in (742_800, -350, 5, 0):
        assert parse_euros(euros_text(cents)) == cents


def test_validate_collects_every_error():
    now = datetime(2025, 1, 1, tzinfo=UTC)
    data = ProposalInput(
        complex="C-1", title="x" * 201, summary="s", opens_at=now, closes_at=now,
        counting_rule="majority", planned_start=date(2025, 5, 1), planned_end=date(2025, 4, 1),
        working_days=-1, stay_home=False, moving_allowance_cents=100,
        measures=[MeasureInput("upgrade", "rocket", "", -5)], rent_changes={"kasteel": 10},
    )  # fmt: skip
    errors = validate(data)
    assert set(errors) == {
        "title", "closes_at", "counting_rule", "planned_end", "working_days", "temporary_home",
        "moving_allowance", "measure-1-category", "measure-1-tag", "measure-1-description",
        "measure-1-rent", "rent-kasteel",
    }  # fmt: skip
    assert "7.428,00" in errors["moving_allowance"]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.4 ...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n...", "image/png"),
        (b"\xff\xd8\xff\xe0...", "image/jpeg"),
        (b"GIF89a", None),
        (b"<svg/>", None),
        (b"", None),
    ],  # fmt: skip
)
def test_sniff_by_magic_bytes(data, kind):
    found = attachments.sniff(data)
    assert (found[0] if found else None) == kind


def test_safe_filename():
    assert attachments.safe_filename("../../etc/passwd", ".pdf") == "passwd.pdf"
    assert attachments.safe_filename("C:\\docs\\plan v2.PDF", ".pdf") == "plan v2.pdf"
    assert attachments.safe_filename("<script>.png", ".png") == "_script_.png"
    assert attachments.safe_filename("", ".jpg") == "document.jpg"


def test_csv_cells_cannot_become_formulas():
    assert exports._cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert exports._cell("@SUM(A1)") == "'@SUM(A1)"
    assert exports._cell("-2+3") == "'-2+3"  # a sum would be evaluated
    assert exports._cell("-cmd|x") == "'-cmd|x"
    assert exports._cell("+31 6 1234 5678") == "+31 6 1234 5678"
    assert exports._cell("Lindelaan 2") == "Lindelaan 2"
