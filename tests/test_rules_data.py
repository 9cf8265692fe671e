from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consent import rules_data
from consent.rules_data import RuleEntry, entries, entry_on, parse_rules, value_on

EXPECTED_NAMES = {
    "consent_threshold_percent",
    "presumption_min_homes",
    "moving_allowance_min_cents",
    "objection_period_weeks",
    "committee_advice_weeks",
    "committee_answer_days",
}


def test_all_names_present():
    assert set(rules_data.names()) >= EXPECTED_NAMES


@pytest.mark.parametrize(
    ("name", "on", "value"),
    [
        ("consent_threshold_percent", date(2003, 8, 1), 70),
        ("consent_threshold_percent", date(2024, 6, 1), 70),
        ("presumption_min_homes", date(2024, 6, 1), 10),
        ("objection_period_weeks", date(2024, 6, 1), 8),
        ("committee_advice_weeks", date(2024, 6, 1), 6),
        ("committee_answer_days", date(2024, 6, 1), 14),
        ("moving_allowance_min_cents", date(2019, 3, 1), 609500),
        ("moving_allowance_min_cents", date(2020, 2, 29), 609500),
        ("moving_allowance_min_cents", date(2020, 3, 1), 625300),
        ("moving_allowance_min_cents", date(2021, 3, 1), 633400),
        ("moving_allowance_min_cents", date(2022, 12, 31), 650500),
        ("moving_allowance_min_cents", date(2023, 3, 1), 715600),
        ("moving_allowance_min_cents", date(2024, 2, 29), 715600),
        ("moving_allowance_min_cents", date(2024, 3, 1), 742800),
        ("moving_allowance_min_cents", date(2030, 1, 1), 742800),  # latest known value
    ],
)
def test_value_on(name, on, value):
    assert value_on(name, on) == value
    assert entry_on(name, on).value == value


@pytest.mark.parametrize(
    ("name", "on", "message"),
    [
        ("moving_allowance_min_cents", date(2019, 2, 28), "2019-02-28"),
        ("consent_threshold_percent", date(2003, 7, 31), "consent_threshold_percent"),
        ("no_such_rule", date(2024, 1, 1), "unknown rule data 'no_such_rule'"),
    ],
)
def test_lookup_errors(name, on, message):
    with pytest.raises(LookupError, match=message):
        value_on(name, on)


def test_entry_carries_source():
    entry = entry_on("consent_threshold_percent", date(2024, 6, 1))
    assert entry == RuleEntry(
        name="consent_threshold_percent",
        value=70,
        valid_from=date(2003, 8, 1),
        valid_until=None,
        source=entry.source,
        note="",
    )
    assert "7:220 lid 3" in entry.source
    assert "7:220 lid 5" in entry_on("moving_allowance_min_cents", date(2024, 6, 1)).source


def test_every_entry_is_sourced_and_sorted():
    for name in rules_data.names():
        items = entries(name)
        assert items, name
        assert [e.valid_from for e in items] == sorted(e.valid_from for e in items)
        for entry in items:
            assert entry.source.strip()
            assert entry.valid_until is None or entry.valid_until > entry.valid_from


def test_moving_allowance_windows_are_contiguous():
    items = entries("moving_allowance_min_cents")
    assert [e.valid_from.year for e in items] == [2019, 2020, 2021, 2022, 2023, 2024]
    for earlier, later in zip(items, items[1:]):
        assert earlier.valid_until == later.valid_from
    assert items[-1].valid_until is None


def test_loaded_once():
    assert rules_data._table() is rules_data._table()


GOOD = {"value": 1, "valid_from": date(2020, 1, 1), "source": "x"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"a": []}, "non-empty list"),
        ({"a": "x"}, "non-empty list"),
        ({"a": ["x"]}, "table"),
        ({"a": [GOOD | {"value": "70"}]}, "integer"),
        ({"a": [GOOD | {"value": True}]}, "integer"),
        ({"a": [GOOD | {"valid_from": "2020-01-01"}]}, "valid_from"),
        ({"a": [GOOD | {"valid_until": date(2020, 1, 1)}]}, "valid_until"),
        ({"a": [GOOD | {"valid_until": "later"}]}, "valid_until"),
        ({"a": [{k: v for k, v in GOOD.items() if k != "source"}]}, "source"),
        ({"a": [GOOD | {"source": "  "}]}, "source"),
        ({"a": [GOOD | {"note": 3}]}, "note"),
        ({"a": [GOOD, GOOD | {"value": 2}]}, "two entries"),
    ],
)
def test_parse_rules_rejects_bad_data(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_rules(raw)


def test_parse_rules_sorts_and_respects_valid_until():
    table = parse_rules(
        {
            "a": [
                GOOD | {"valid_from": date(2022, 1, 1), "value": 3},
                GOOD | {"valid_until": date(2021, 1, 1)},
            ]
        }
    )
    assert [e.value for e in table["a"]] == [1, 3]
    assert table["a"][0].applies_on(date(2020, 12, 31))
    assert not table["a"][0].applies_on(date(2021, 1, 1))  # valid_until is exclusive
    assert not table["a"][1].applies_on(date(2021, 6, 1))  # gap between entries


@given(st.dates(min_value=date(2019, 3, 1), max_value=date(2100, 12, 31)))
def test_moving_allowance_defined_from_2019(on):
    entry = entry_on("moving_allowance_min_cents", on)
    assert entry.applies_on(on)
    later = [e for e in entries("moving_allowance_min_cents") if e.valid_from > entry.valid_from]
    assert all(e.valid_from > on for e in later)  # it is the latest that started


@given(st.dates(max_value=date(2019, 2, 28)))
def test_moving_allowance_undefined_before_2019(on):
    with pytest.raises(LookupError):
        value_on("moving_allowance_min_cents", on)


@given(st.dates(min_value=date(2003, 8, 1)))
def test_threshold_is_seventy_since_2003(on):
    assert value_on("consent_threshold_percent", on) == 70
