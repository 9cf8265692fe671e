"""Eligibility, state pension age, new rent and start date, driven by the scheme files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consent.rent_reductions.eligibility import (
    Answers,
    Person,
    Verdict,
    check,
    household_type,
    new_rent_cents,
    start_date_for,
)
from consent.rent_reductions.pension_age import add_months, load_table, reaches_pension_age
from consent.rent_reductions.schemes import HOUSEHOLD_TYPES, Scheme, load_all

SCHEMES = load_all()
STATUTORY = [SCHEMES["huurverlaging-2023"], SCHEMES["huurverlaging-2024"]]
S24 = SCHEMES["huurverlaging-2024"]
DAY = dt.timedelta(days=1)
YOUNG = dt.date(1985, 5, 5)
OLD = dt.date(1940, 5, 5)


def today_in(scheme: Scheme) -> dt.date:
    return scheme.valid_from + dt.timedelta(days=30)


def base_answers(scheme: Scheme, **changes: object) -> Answers:
    """A household meeting every condition of ``scheme`` except as changed."""
    latest = scheme.conditions.tenancy_started_on_or_before
    values: dict[str, object] = {
        "adults": [Person(YOUNG, 0)],
        "children_under_27": [],
        "rent_cents": scheme.rent_above_cents + 1,
        "tenancy_start": latest or dt.date(2010, 1, 1),
        "earlier_reductions": set(),
    }
    values.update(changes)
    return Answers(**values)  # type: ignore[arg-type]


def household(kind: str, income: int) -> dict[str, object]:
    """Adults and children making a household of ``kind`` with total ``income``."""
    first = OLD if kind.endswith("pension_age") else YOUNG
    if kind.startswith("single"):
        return {"adults": [Person(first, income)]}
    return {"adults": [Person(first, income // 2), Person(YOUNG, income - income // 2)]}


def codes(verdict: Verdict) -> list[str]:
    return [r.code for r in verdict.reasons]


# --- income limits: at, one cent under, one cent over, every type, both schemes ---

LIMIT_CASES = [
    (scheme, kind, delta)
    for scheme in STATUTORY
    for kind in HOUSEHOLD_TYPES
    for delta in (-1, 0, 1)
]


@pytest.mark.parametrize(
    ("scheme", "kind", "delta"),
    LIMIT_CASES,
    ids=[f"{s.id}-{k}-{d:+d}" for s, k, d in LIMIT_CASES],
)
def test_income_limit_boundaries(scheme: Scheme, kind: str, delta: int) -> None:
    limit = scheme.income_limits_cents.for_household(kind)  # type: ignore[arg-type]
    answers = base_answers(scheme, **household(kind, limit + delta))
    verdict = check(scheme, answers, today_in(scheme))
    assert verdict.reasons[0].household_type == kind
    assert verdict.reasons[0].limit_cents == limit
    assert verdict.reasons[0].income_cents == limit + delta
    if delta <= 0:
        assert verdict.eligible and codes(verdict) == ["ok"]
    else:
        assert not verdict.eligible and codes(verdict) == ["income_above_limit"]


@pytest.mark.parametrize("scheme", STATUTORY, ids=lambda s: s.id)
def test_children_count_for_size_not_income(scheme: Scheme) -> None:
    multi = scheme.income_limits_cents.multi
    rich_child = Person(dt.date(2005, 1, 1), 10**9)
    at = base_answers(scheme, adults=[Person(YOUNG, multi)], children_under_27=[rich_child])
    verdict = check(scheme, at, today_in(scheme))
    assert verdict.eligible
    assert verdict.reasons[0].household_type == "multi"
    assert verdict.reasons[0].household_size == 2
    assert verdict.reasons[0].income_cents == multi
    over = base_answers(scheme, adults=[Person(YOUNG, multi + 1)], children_under_27=[rich_child])
    assert codes(check(scheme, over, today_in(scheme))) == ["income_above_limit"]
    alone = base_answers(scheme, adults=[Person(YOUNG, multi)])
    assert codes(check(scheme, alone, today_in(scheme))) == ["income_above_limit"]


def test_children_do_not_make_a_pension_household() -> None:
    answers = base_answers(S24, children_under_27=[Person(OLD, 0)])
    assert household_type(answers, today_in(S24)) == "multi"


# --- state pension age ---

# (born, first day of pension age) from the SVB table: the edges of each age step.
SVB_EDGES = [
    (dt.date(1955, 8, 31), dt.date(2021, 12, 31)),
    (dt.date(1955, 9, 1), dt.date(2022, 4, 1)),
    (dt.date(1956, 5, 31), dt.date(2022, 12, 31)),
    (dt.date(1956, 6, 1), dt.date(2023, 4, 1)),
    (dt.date(1957, 2, 28), dt.date(2023, 12, 28)),
    (dt.date(1957, 3, 1), dt.date(2024, 3, 1)),
    (dt.date(1960, 12, 31), dt.date(2027, 12, 31)),
    (dt.date(1961, 1, 1), dt.date(2028, 4, 1)),
]


@pytest.mark.parametrize(("born", "reached"), SVB_EDGES, ids=[str(b) for b, _ in SVB_EDGES])
def test_pension_age_day_before_and_on(born: dt.date, reached: dt.date) -> None:
    assert not reaches_pension_age(born, reached - DAY)
    assert reaches_pension_age(born, reached)


def test_every_table_row_is_used() -> None:
    for year, months in load_table():
        born = add_months(dt.date(year, 6, 15), -months)
        assert not reaches_pension_age(born, dt.date(year, 6, 14))
        assert reaches_pension_age(born, dt.date(year, 6, 15))


def test_pension_age_outside_the_data() -> None:
    first, last = load_table()[0][0], load_table()[-1][0]
    assert reaches_pension_age(dt.date(1940, 1, 1), dt.date(first, 1, 1))
    with pytest.raises(ValueError, match="before"):
        reaches_pension_age(dt.date(1940, 1, 1), dt.date(first - 1, 12, 31))
    assert not reaches_pension_age(dt.date(1990, 1, 1), dt.date(last + 10, 1, 1))
    assert reaches_pension_age(dt.date(1961, 6, 1), dt.date(last + 1, 1, 1))
    with pytest.raises(ValueError, match="after"):
        reaches_pension_age(dt.date(1962, 1, 1), dt.date(last + 1, 6, 1))


def test_month_end_birthdays_clamp() -> None:
    assert add_months(dt.date(1960, 2, 29), 67 * 12) == dt.date(2027, 2, 28)
    assert add_months(dt.date(1955, 5, 31), 66 * 12 + 4) == dt.date(2021, 9, 30)
    assert add_months(dt.date(2020, 1, 31), -2) == dt.date(2019, 11, 30)


def test_bad_pension_table(tmp_path: Path) -> None:
    path = tmp_path / "ages.toml"
    path.write_text("[ages]\n2020 = [66, 4]\n2022 = [66, 7]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ages.2022"):
        load_table(path)
    path.write_text("[ages]\n2020 = [66, 12]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ages.2020"):
        load_table(path)


@given(
    st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(1990, 12, 31)),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2028, 12, 31)),
    st.integers(min_value=0, max_value=4000),
)
def test_pension_age_once_reached_stays_reached(born: dt.date, on: dt.date, later: int) -> None:
    if reaches_pension_age(born, on):
        after = on + dt.timedelta(days=later)
        if after.year <= 2028:
            assert reaches_pension_age(born, after)


def test_pension_boundary_switches_the_limit() -> None:
    born = dt.date(1957, 6, 15)  # reaches 67 on 2024-06-15
    reached = dt.date(2024, 6, 15)
    limits = S24.income_limits_cents
    income = limits.single + 1
    assert income <= limits.single_pension_age
    answers = base_answers(S24, adults=[Person(born, income)])
    before = check(S24, answers, reached - DAY)
    on = check(S24, answers, reached)
    assert before.reasons[0].household_type == "single"
    assert codes(before) == ["income_above_limit"]
    assert on.reasons[0].household_type == "single_pension_age"
    assert on.eligible


def test_one_pension_age_adult_is_enough() -> None:
    answers = base_answers(S24, adults=[Person(YOUNG), Person(OLD)])
    assert household_type(answers, today_in(S24)) == "multi_pension_age"


# --- other conditions ---


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-1, ["ok"]), (0, ["ok"]), (1, ["tenancy_too_recent"])],
)
def test_tenancy_start(offset: int, expected: list[str]) -> None:
    latest = S24.conditions.tenancy_started_on_or_before
    assert latest == dt.date(2023, 3, 1)
    answers = base_answers(S24, tenancy_start=latest + dt.timedelta(days=offset))
    verdict = check(S24, answers, today_in(S24))
    assert codes(verdict) == expected
    assert verdict.reasons[0].tenancy_started_on_or_before == latest


def test_tenancy_start_unknown() -> None:
    verdict = check(S24, base_answers(S24, tenancy_start=None), today_in(S24))
    assert codes(verdict) == ["tenancy_start_unknown"]


def test_no_tenancy_condition_in_2023() -> None:
    s23 = SCHEMES["huurverlaging-2023"]
    answers = base_answers(s23, tenancy_start=None)
    assert check(s23, answers, today_in(s23)).eligible


def test_earlier_reduction() -> None:
    answers = base_answers(S24, earlier_reductions={"huurverlaging-2023", "something-else"})
    verdict = check(S24, answers, today_in(S24))
    assert codes(verdict) == ["earlier_reduction"]
    assert verdict.reasons[0].earlier_reductions == ("huurverlaging-2023",)
    other = base_answers(S24, earlier_reductions={"something-else"})
    assert check(S24, other, today_in(S24)).eligible


@pytest.mark.parametrize("scheme", STATUTORY, ids=lambda s: s.id)
@pytest.mark.parametrize(("delta", "eligible"), [(0, False), (1, True), (-1, False)])
def test_rent_must_be_above(scheme: Scheme, delta: int, eligible: bool) -> None:
    answers = base_answers(scheme, rent_cents=scheme.rent_above_cents + delta)
    verdict = check(scheme, answers, today_in(scheme))
    assert verdict.eligible is eligible
    if not eligible:
        assert codes(verdict) == ["rent_not_above"]
        assert verdict.reasons[0].rent_above_cents == scheme.rent_above_cents


def test_all_failures_are_reported_with_figures() -> None:
    answers = base_answers(
        S24,
        adults=[Person(YOUNG, S24.income_limits_cents.single + 1)],
        rent_cents=S24.rent_above_cents,
        tenancy_start=dt.date(2024, 1, 1),
        earlier_reductions={"huurverlaging-2023"},
    )
    verdict = check(S24, answers, today_in(S24))
    assert not verdict.eligible
    assert codes(verdict) == [
        "rent_not_above",
        "income_above_limit",
        "tenancy_too_recent",
        "earlier_reduction",
    ]
    for reason in verdict.reasons:
        assert reason.limit_cents == S24.income_limits_cents.single
        assert reason.income_cents == S24.income_limits_cents.single + 1
        assert reason.reduced_rent_cents == S24.reduced_rent_cents


# --- closed schemes ---


@pytest.mark.parametrize("scheme", STATUTORY, ids=lambda s: s.id)
def test_closed_scheme(scheme: Scheme) -> None:
    assert scheme.valid_until is not None
    answers = base_answers(scheme)
    assert check(scheme, answers, scheme.valid_until).eligible
    for day in (scheme.valid_until + DAY, scheme.valid_from - DAY):
        verdict = check(scheme, answers, day)
        assert not verdict.eligible
        assert codes(verdict) == ["scheme_closed"]
        assert verdict.reasons[0].valid_until == scheme.valid_until


def test_template_is_refused() -> None:
    template = SCHEMES["template-hardship"]
    verdict = check(template, base_answers(template), today_in(template))
    assert codes(verdict) == ["scheme_closed"]


# --- answers validation ---


def test_answers_need_an_adult() -> None:
    with pytest.raises(ValueError, match="adult"):
        Answers(adults=[])


def test_negative_figures_rejected() -> None:
    with pytest.raises(ValueError, match="income"):
        Person(YOUNG, -1)
    with pytest.raises(ValueError, match="rent"):
        Answers(adults=[Person(YOUNG)], rent_cents=-1)


# --- new rent and start date ---


@pytest.mark.parametrize("scheme", STATUTORY, ids=lambda s: s.id)
def test_new_rent(scheme: Scheme) -> None:
    above = scheme.rent_above_cents
    assert new_rent_cents(scheme, above + 1) == scheme.reduced_rent_cents
    assert new_rent_cents(scheme, above + 50000) == scheme.reduced_rent_cents
    assert new_rent_cents(scheme, above) == above
    assert new_rent_cents(scheme, 40000) == 40000


@given(st.sampled_from(list(SCHEMES.values())), st.integers(min_value=0, max_value=10**7))
def test_new_rent_never_raises_rent(scheme: Scheme, rent: int) -> None:
    new = new_rent_cents(scheme, rent)
    assert new <= rent
    assert new == rent or new == scheme.reduced_rent_cents


@pytest.mark.parametrize(
    ("requested", "start"),
    [
        (dt.date(2024, 3, 15), dt.date(2024, 4, 1)),
        (dt.date(2024, 5, 1), dt.date(2024, 6, 1)),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 1)),
        (dt.date(2024, 12, 30), dt.date(2025, 1, 1)),
        (dt.date(2023, 11, 20), dt.date(2024, 1, 1)),  # never before valid_from
    ],
)
def test_start_date_on_request(requested: dt.date, start: dt.date) -> None:
    assert start_date_for(S24, requested) == start


def test_start_date_automatic() -> None:
    s23 = SCHEMES["huurverlaging-2023"]
    assert start_date_for(s23, dt.date(2023, 9, 9)) == s23.valid_from


@given(
    st.sampled_from(HOUSEHOLD_TYPES),
    st.integers(min_value=0, max_value=10**8),
    st.integers(min_value=0, max_value=10**8),
)
def test_lower_income_never_hurts(kind: str, income: int, less: int) -> None:
    lower = max(0, income - less)
    today = today_in(S24)
    high = check(S24, base_answers(S24, **household(kind, income)), today)
    low = check(S24, base_answers(S24, **household(kind, lower)), today)
    assert low.eligible or not high.eligible
