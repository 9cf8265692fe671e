"""Pure rules of the paper domain: form codes, the signed date as a moment, who prints."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from consent.paper.rules import (
    cast_moment,
    form_code,
    may_print,
    parse_form_code,
    signed_date_problem,
)
from consent.timeutil import from_local

KEY = "test-secret-key-for-the-suite"


def test_form_code_round_trip_and_forgiving_input():
    code = form_code(KEY, 12, 345)
    assert code.startswith("P12-T345-") and len(code.rsplit("-", 1)[1]) == 8
    for typed in (code, code.lower(), f"  {code} ", code.replace("-", ""), code.replace("-", " - ")):
        found = parse_form_code(KEY, typed)
        assert found is not None and (found.proposal_id, found.tenancy_id) == (12, 345)


@pytest.mark.parametrize(
    "typed",
    ["", "P12-T345", "P12-T346-" + "0" * 8, "X12-T345-12345678", "P12-T345-1234567Z"],
)
def test_form_code_refuses_anything_not_signed(typed):
    assert parse_form_code(KEY, typed) is None


def test_form_code_tampered_or_other_key_is_refused():
    code = form_code(KEY, 12, 345)
    assert parse_form_code("another-key-entirely", code) is None
    assert parse_form_code(KEY, code.replace("T345", "T346")) is None


def test_form_code_does_not_contain_the_personal_code_alphabet_only():
    # The form code is made from ids and a signature: nothing of a personal code.
    assert set(form_code(KEY, 1, 2)) <= set("PT-0123456789ABCDEF")


OPENS = from_local(datetime(2026, 5, 4, 9, 0))
CLOSES = from_local(datetime(2026, 5, 18, 17, 0))


@pytest.mark.parametrize(
    ("signed", "expected"),
    [
        (date(2026, 5, 3), None),  # before voting opened
        (date(2026, 5, 4), OPENS),  # the opening day counts from the opening moment
        (date(2026, 5, 10), from_local(datetime(2026, 5, 10, 0, 0))),  # start of the day
        (date(2026, 5, 18), from_local(datetime(2026, 5, 18, 0, 0))),  # closing day
        (date(2026, 5, 19), None),  # after closing
    ],
)
def test_cast_moment_is_the_start_of_the_signed_day_inside_the_window(signed, expected):
    assert cast_moment(signed, OPENS, CLOSES) == expected


def test_same_day_online_vote_is_later_than_the_paper_form():
    online = from_local(datetime(2026, 5, 10, 8, 15))
    paper = cast_moment(date(2026, 5, 10), OPENS, CLOSES)
    assert paper is not None and online > paper


@pytest.mark.parametrize(
    ("signed", "problem"),
    [
        (date(2026, 5, 12), "future"),
        (date(2026, 5, 3), "before"),
        (date(2026, 5, 11), ""),
        (date(2026, 5, 4), ""),
    ],
)
def test_signed_date_problem(signed, problem):
    now = datetime(2026, 5, 11, 12, 0, tzinfo=UTC)
    assert signed_date_problem(signed, OPENS, CLOSES, now) == problem


def test_signed_date_after_closing():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert signed_date_problem(date(2026, 5, 20), OPENS, CLOSES, now) == "after"


@pytest.mark.parametrize(
    ("role", "template", "allowed"),
    [
        ("admin", "rent_reduction_decision", True),
        ("project_leader", "proposal_notice", True),
        ("case_worker", "proposal_notice", False),
        ("case_worker", "rent_reduction_more_info", True),
        ("project_leader", "rent_reduction_more_info", False),
        ("project_leader", "code_request", True),
        ("broker", "code_request", False),
    ],
)
def test_who_prints_which_letters(role, template, allowed):
    assert may_print(role, template) is allowed
