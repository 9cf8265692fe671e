from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consent.proposals.eligibility import (
    Eligibility,
    TenancySnapshot,
    UnitKind,
    UnitSnapshot,
    current_tenancy,
    eligible_units,
)
from consent.proposals.tally import CountingRule, compute_tally

OPENS = date(2024, 6, 1)
BEFORE = date(2020, 1, 1)


def unit(unit_id, kind="sociale_huur", *tenancies):
    return UnitSnapshot(unit_id, kind, list(tenancies))


def tenancy(tenancy_id, start=BEFORE, end=None):
    return TenancySnapshot(tenancy_id, start, end)


@pytest.mark.parametrize(
    ("start", "end", "current"),
    [
        (BEFORE, None, True),
        (OPENS, None, True),  # starting on the opening day counts
        (OPENS + timedelta(days=1), None, False),  # not yet started
        (BEFORE, OPENS + timedelta(days=1), True),
        (BEFORE, OPENS, False),  # ended on the opening day
        (BEFORE, OPENS - timedelta(days=1), False),
    ],
)
def test_tenancy_current_at_opening(start, end, current):
    assert tenancy("t", start, end).is_current(OPENS) is current
    result = eligible_units([unit("u1", "sociale_huur", tenancy("t", start, end))], {}, OPENS)
    if current:
        assert result == Eligibility(ballots=[("u1", "t")], excluded=[])
    else:
        assert result == Eligibility(ballots=[], excluded=[("u1", "vacant", "")])


@pytest.mark.parametrize(
    ("kind", "has_tenancy", "expected"),
    [
        ("sociale_huur", True, ("ballot",)),
        ("middenhuur", True, ("ballot",)),
        ("vrije_sector", True, ("excluded", "not_social_or_mid_rent")),
        ("koop", True, ("excluded", "sold")),
        ("bedrijfsruimte", True, ("excluded", "commercial")),
        ("sociale_huur", False, ("excluded", "vacant")),
        ("middenhuur", False, ("excluded", "vacant")),
        ("vrije_sector", False, ("excluded", "vacant")),
        ("koop", False, ("excluded", "sold")),
        ("bedrijfsruimte", False, ("excluded", "commercial")),
        (UnitKind.MIDDENHUUR, True, ("ballot",)),  # enum member works too
    ],
)
def test_unit_kinds(kind, has_tenancy, expected):
    tenancies = [tenancy("t1")] if has_tenancy else []
    result = eligible_units([unit("u1", kind, *tenancies)], {}, OPENS)
    if expected[0] == "ballot":
        assert result.ballots == [("u1", "t1")]
        assert result.excluded == []
    else:
        assert result.ballots == []
        assert result.excluded == [("u1", expected[1], "")]


def test_project_leader_exclusions():
    units = [
        unit("u1", "sociale_huur", tenancy("t1")),
        unit("u2", "sociale_huur", tenancy("t2")),
        unit("u3", "sociale_huur"),  # vacant and also excluded by the project leader
        unit("u4", "koop", tenancy("t4")),
    ]
    exclusions = {
        "u2": "Tenant moves out for demolition, separate agreement",
        "u3": "Used as site office",
        "u4": "Owner-occupied, VvE",
        "u9": "Not in this complex",  # unknown units are ignored
    }
    result = eligible_units(units, exclusions, OPENS)
    assert result.ballots == [("u1", "t1")]
    assert result.excluded == [
        ("u2", "excluded", "Tenant moves out for demolition, separate agreement"),
        ("u3", "vacant", "Used as site office"),  # structural reason wins, note kept
        ("u4", "sold", "Owner-occupied, VvE"),
    ]


def test_empty_note_still_excludes():
    result = eligible_units([unit("u1", "sociale_huur", tenancy("t1"))], {"u1": ""}, OPENS)
    assert result == Eligibility(ballots=[], excluded=[("u1", "excluded", "")])


def test_co_tenants_share_one_ballot():
    # Co-tenants are one tenancy (one rental contract): one ballot for the unit.
    result = eligible_units([unit("u1", "sociale_huur", tenancy("t-joint"))], {}, OPENS)
    assert result.ballots == [("u1", "t-joint")]


@pytest.mark.parametrize(
    ("tenancies", "expected"),
    [
        # old tenancy ended, new one current
        ([tenancy("old", BEFORE, date(2023, 1, 1)), tenancy("new", date(2023, 1, 1))], "new"),
        # data error: two current tenancies; the one that started latest wins
        ([tenancy("a", date(2021, 1, 1)), tenancy("b", date(2022, 1, 1))], "b"),
        ([tenancy("b", date(2022, 1, 1)), tenancy("a", date(2021, 1, 1))], "b"),
        # same start date: the later one in the list wins
        ([tenancy("a", date(2021, 1, 1)), tenancy("b", date(2021, 1, 1))], "b"),
        # a future tenancy does not count
        ([tenancy("now", BEFORE), tenancy("future", OPENS + timedelta(days=30))], "now"),
        ([], None),
    ],
)
def test_one_ballot_per_unit(tenancies, expected):
    u = unit("u1", "sociale_huur", *tenancies)
    found = current_tenancy(u, OPENS)
    assert (found.tenancy_id if found else None) == expected
    result = eligible_units([u], {}, OPENS)
    assert len(result.ballots) + len(result.excluded) == 1
    if expected is not None:
        assert result.ballots == [("u1", expected)]


def test_integer_ids_and_order_preserved():
    units = [
        unit(3, "middenhuur", tenancy(30)),
        unit(1, "koop"),
        unit(2, "sociale_huur", tenancy(20)),
    ]
    result = eligible_units(units, {}, OPENS)
    assert result.ballots == [(3, 30), (2, 20)]
    assert result.excluded == [(1, "sold", "")]


def test_duplicate_unit_rejected():
    with pytest.raises(ValueError, match="twice"):
        eligible_units([unit("u1"), unit("u1")], {}, OPENS)


def test_unknown_kind_rejected():
    with pytest.raises(ValueError, match="garage"):
        eligible_units([unit("u1", "garage", tenancy("t1"))], {}, OPENS)


def test_feeds_tally():
    units = [unit(f"u{i}", "sociale_huur", tenancy(f"t{i}")) for i in range(12)]
    units += [unit("shop", "bedrijfsruimte", tenancy("ts")), unit("empty", "sociale_huur")]
    result = eligible_units(units, {"u0": "Long-term hospital stay, asked to be left out"}, OPENS)
    tally = compute_tally(
        eligible=len(result.ballots),
        excluded=len(result.excluded),
        agree=8,
        disagree=2,
        homes=13,
        counting_rule=CountingRule.RESPONDENTS,
    )
    assert (tally.eligible, tally.excluded, tally.non_respondents) == (11, 3, 1)
    assert tally.reached and tally.presumption_applies


# --- properties -------------------------------------------------------------

days = st.integers(min_value=-400, max_value=400).map(lambda d: OPENS + timedelta(days=d))
tenancy_st = st.builds(
    lambda tid, start, length: TenancySnapshot(
        tid, start, None if length is None else start + timedelta(days=length)
    ),
    st.text(min_size=1, max_size=4),
    days,
    st.none() | st.integers(min_value=1, max_value=800),
)
units_st = st.lists(
    st.tuples(st.sampled_from(list(UnitKind)), st.lists(tenancy_st, max_size=3)),
    max_size=25,
).map(lambda rows: [UnitSnapshot(f"u{i}", kind, ts) for i, (kind, ts) in enumerate(rows)])


@given(units_st, st.data())
def test_every_unit_accounted_for_once(units, data):
    ids = [u.unit_id for u in units]
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True) if ids else st.just([]))
    exclusions = {unit_id: f"note {unit_id}" for unit_id in chosen}
    result = eligible_units(units, exclusions, OPENS)
    ballot_units = [unit_id for unit_id, _ in result.ballots]
    excluded_units = [unit_id for unit_id, _, _ in result.excluded]
    assert sorted(ballot_units + excluded_units) == sorted(ids)
    assert set(ballot_units).isdisjoint(chosen)
    by_id = {u.unit_id: u for u in units}
    for unit_id, tenancy_id in result.ballots:
        u = by_id[unit_id]
        assert u.kind in ("sociale_huur", "middenhuur")
        assert any(t.tenancy_id == tenancy_id and t.is_current(OPENS) for t in u.tenancies)
    for unit_id, reason, note in result.excluded:
        assert note == exclusions.get(unit_id, "")
        assert reason in {"vacant", "sold", "commercial", "not_social_or_mid_rent", "excluded"}
