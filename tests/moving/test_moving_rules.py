"""Pure rules: every status transition, who sees care needs, amounts and dates typed in."""

from datetime import date

import pytest

from consent.moving.forms import parse_day
from consent.moving.rules import (
    Status,
    TransitionError,
    may_see_care_needs,
    move_date_ok,
    next_statuses,
    parse_euros,
    transition_error,
)

S = Status
ALLOWED = {
    (S.NEW, S.CONTACTED), (S.NEW, S.STOPPED),
    (S.CONTACTED, S.INTAKE_DONE), (S.CONTACTED, S.STOPPED),
    (S.INTAKE_DONE, S.SEARCHING), (S.INTAKE_DONE, S.STOPPED),
    (S.SEARCHING, S.OFFER_MADE), (S.SEARCHING, S.STOPPED),
    (S.OFFER_MADE, S.MOVED), (S.OFFER_MADE, S.SEARCHING), (S.OFFER_MADE, S.STOPPED),
}  # fmt: skip
PAIRS = [(a, b) for a in Status for b in Status]


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_transition_table(current, target):
    """Every one of the 49 pairs: allowed exactly when it is in the table."""
    error = transition_error(current, target, reason="Wil toch blijven wonen")
    assert (error is None) == ((current, target) in ALLOWED)
    if (current, target) not in ALLOWED:
        assert error is TransitionError.NOT_ALLOWED


@pytest.mark.parametrize("current", [S.NEW, S.CONTACTED, S.INTAKE_DONE, S.SEARCHING, S.OFFER_MADE])
@pytest.mark.parametrize("reason", ["", "   "])
def test_stopping_needs_a_reason(current, reason):
    assert transition_error(current, S.STOPPED, reason) is TransitionError.REASON_REQUIRED
    assert transition_error(current, S.STOPPED, "Overleden partner, wil nu niet") is None


@pytest.mark.parametrize(("current", "target"), [("new", "bogus"), ("bogus", "new"), ("", "")])
def test_unknown_statuses_are_refused(current, target):
    assert transition_error(current, target, "x") is TransitionError.UNKNOWN


def test_final_statuses_have_no_next_step():
    assert next_statuses("moved") == [] and next_statuses("stopped") == []
    assert next_statuses("offer_made") == [S.SEARCHING, S.MOVED, S.STOPPED]
    assert next_statuses("nonsense") == []


@pytest.mark.parametrize(
    ("user_id", "role", "broker_id", "sees"),
    [
        (7, "broker", 7, True),
        (8, "broker", 7, False),  # another broker
        (7, "admin", 7, False),  # admin, even if somehow assigned
        (7, "case_worker", 7, False),
        (7, "project_leader", 7, False),
        (7, "committee", 7, False),
        (7, "broker", None, False),  # not assigned yet
        (None, "broker", None, False),
    ],
)
def test_only_the_assigned_broker_sees_care_needs(user_id, role, broker_id, sees):
    assert may_see_care_needs(user_id, role, broker_id) is sees


@pytest.mark.parametrize(
    ("entered", "cents"),
    [("650", 65000), ("650,5", 65050), ("650,50", 65050), ("1.250,00", 125000), ("€ 1.000", 100000),
     ("612.50", 61250), ("0", 0), ("", None), ("  ", None)],
)  # fmt: skip
def test_parse_euros(entered, cents):
    assert parse_euros(entered) == cents


@pytest.mark.parametrize("entered", ["abc", "12,345", "1.2.3", "-5", "6,5,0"])
def test_parse_euros_refuses_text(entered):
    with pytest.raises(ValueError):
        parse_euros(entered)


def test_parse_day_accepts_iso_and_dutch_order():
    assert parse_day("2026-03-15") == date(2026, 3, 15)
    assert parse_day("15-03-2026") == date(2026, 3, 15)
    assert parse_day("") is None
    for bad in ("31-02-2026", "morgen", "2026/03/15"):
        with pytest.raises(ValueError):
            parse_day(bad)


def test_move_date_lies_between_sign_up_and_today():
    signed, today = date(2026, 1, 10), date(2026, 3, 1)
    assert move_date_ok(signed, date(2026, 1, 10), today)
    assert move_date_ok(signed, today, today)
    assert not move_date_ok(signed, date(2026, 1, 9), today)
    assert not move_date_ok(signed, date(2026, 3, 2), today)
