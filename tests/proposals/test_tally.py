from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consent import rules_data
from consent.proposals.tally import (
    CountingRule,
    Figure,
    compute_tally,
    count_ballots,
    percent_down,
    reaches,
)

R = CountingRule.RESPONDENTS
A = CountingRule.ALL_TENANTS


def tally(eligible, agree, disagree, *, rule=R, homes=None, threshold=70, excluded=0):
    return compute_tally(
        eligible=eligible,
        excluded=excluded,
        agree=agree,
        disagree=disagree,
        homes=eligible if homes is None else homes,
        counting_rule=rule,
        threshold_percent=threshold,
    )


@pytest.mark.parametrize(
    ("eligible", "agree", "disagree", "rule", "reached"),
    [
        (10, 7, 3, R, True),  # 7 of 10
        (10, 7, 3, A, True),
        (10, 6, 4, R, False),
        (10000, 6999, 3001, R, False),  # 69.99%
        (10000, 6999, 3001, A, False),
        (10000, 7000, 3000, R, True),  # exactly 70%
        (10000, 7000, 3000, A, True),
        (20, 0, 0, R, False),  # zero respondents
        (20, 0, 0, A, False),
        (10, 0, 10, R, False),  # everyone against
        (10, 0, 10, A, False),
        (20, 7, 3, R, True),  # respondents-only reached
        (20, 7, 3, A, False),  # statutory not reached
        (0, 0, 0, R, False),  # nothing to vote on
        (0, 0, 0, A, False),
        (1, 1, 0, R, True),
    ],
)
def test_reached(eligible, agree, disagree, rule, reached):
    result = tally(eligible, agree, disagree, rule=rule)
    assert result.reached is reached
    assert result.counting_rule is rule
    decisive = result.respondents if rule is R else result.statutory
    assert decisive.reached is reached


def test_seven_of_ten_full_result():
    result = tally(12, 7, 3, excluded=2, homes=14)
    assert result.threshold_percent == 70
    assert (result.eligible, result.excluded, result.responded) == (12, 2, 10)
    assert (result.agree, result.disagree, result.non_respondents) == (7, 3, 2)
    assert result.response_rate == Decimal("83.33")
    assert result.respondents == Figure(7, 10, Decimal("70.00"), True, 0)
    assert result.statutory == Figure(7, 12, Decimal("58.33"), False, 2)
    assert result.reached is True
    assert result.presumption_applies is True


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (6999, 10000, "69.99"),
        (69999, 100000, "69.99"),  # 69.999 never rounds up to 70.00
        (7, 10, "70.00"),
        (2, 3, "66.66"),  # ROUND_DOWN, not 66.67
        (1, 3, "33.33"),
        (0, 5, "0.00"),
        (5, 5, "100.00"),
        (1, 7, "14.28"),
        (3, 0, None),
        (0, 0, None),
    ],
)
def test_percent_down(numerator, denominator, expected):
    result = percent_down(numerator, denominator)
    if expected is None:
        assert result is None
    else:
        assert result == Decimal(expected)
        assert str(result) == expected


def test_percent_fields_in_tally():
    result = tally(100000, 69999, 30001)
    assert str(result.respondents.percent_agree) == "69.99"
    assert str(result.statutory.percent_agree) == "69.99"
    assert result.reached is False
    empty = tally(5, 0, 0)
    assert empty.respondents.percent_agree is None
    assert empty.statutory.percent_agree == Decimal("0.00")
    assert tally(0, 0, 0).response_rate is None


@pytest.mark.parametrize(
    ("homes", "applies"),
    [(0, False), (1, False), (9, False), (10, True), (11, True), (500, True)],
)
def test_presumption_needs_ten_homes(homes, applies):
    result = tally(9, 9, 0, homes=homes)
    assert result.presumption_applies is applies
    assert result.reached is True  # reached is reported whatever the presumption


@pytest.mark.parametrize(
    ("eligible", "agree", "disagree", "respondents_needed", "statutory_needed"),
    [
        (10, 7, 3, 0, 0),  # already reached both
        (20, 7, 3, 0, 7),  # statutory: 14 of 20
        (20, 5, 1, 0, 9),
        (10, 6, 3, 1, 1),  # 7 of 10 either way
        (20, 6, 4, 4, 8),  # 10 of 14 = 71.4% (3 more is 9 of 13 = 69.2%); 14 of 20
        (20, 0, 0, 1, 14),  # zero respondents: one agree vote is 100%
        (1, 0, 0, 1, 1),
        (10, 0, 3, 7, 7),  # exactly enough non-respondents for both
        (12, 0, 3, 7, 9),  # statutory ceil(8.4) = 9
        (13, 0, 3, 7, 10),  # statutory ceil(9.1) = 10 == non-respondents
        (30, 0, 4, 10, 21),
        (100, 10, 20, 37, 60),  # 30k >= 1100 -> 37 (47 of 67 = 70.1%)
        (100, 1, 0, 0, 69),
        # None: even all non-respondents agreeing would not reach
        (10, 6, 4, None, None),  # nobody left to vote
        (10, 0, 4, None, None),  # needs 10 and 7 extra, 6 left
        (11, 0, 4, None, None),  # needs 10 and 8 extra, 7 left
        (20, 1, 7, None, None),
        (100, 0, 100, None, None),  # everyone against
        (0, 0, 0, None, None),  # no eligible tenancies
    ],
)
def test_votes_needed(eligible, agree, disagree, respondents_needed, statutory_needed):
    result = tally(eligible, agree, disagree)
    assert result.respondents.votes_needed == respondents_needed
    assert result.statutory.votes_needed == statutory_needed


@pytest.mark.parametrize(
    ("threshold", "agree", "disagree", "eligible", "reached", "needed"),
    [
        (100, 5, 0, 10, True, 0),
        (100, 5, 1, 10, False, None),  # extra agrees never make 100%
        (100, 0, 0, 10, False, 1),
        (50, 5, 5, 10, True, 0),
        (51, 5, 5, 10, False, None),  # needs one more, nobody left
        (51, 5, 5, 11, False, 1),
        (1, 1, 99, 100, True, 0),
    ],
)
def test_other_thresholds(threshold, agree, disagree, eligible, reached, needed):
    result = tally(eligible, agree, disagree, threshold=threshold)
    assert result.threshold_percent == threshold
    assert result.respondents.reached is reached
    assert result.respondents.votes_needed == needed


def test_default_threshold_comes_from_rules_data():
    result = compute_tally(eligible=10, excluded=0, agree=7, disagree=3, homes=10, counting_rule=R)
    assert result.threshold_percent == rules_data.latest_value("consent_threshold_percent")
    assert result.threshold_percent == 70


def test_counting_rule_accepts_plain_string():
    result = tally(10, 7, 3, rule="all_tenants")
    assert result.counting_rule is A


@pytest.mark.parametrize(
    "kwargs",
    [
        {"eligible": -1},
        {"excluded": -1},
        {"agree": -1},
        {"disagree": -1},
        {"homes": -1},
        {"agree": 6, "disagree": 5},  # 11 > 10 eligible
        {"threshold_percent": 0},
        {"threshold_percent": 101},
        {"counting_rule": "majority"},
    ],
)
def test_invalid_input(kwargs):
    args = {
        "eligible": 10,
        "excluded": 0,
        "agree": 5,
        "disagree": 2,
        "homes": 10,
        "counting_rule": R,
        "threshold_percent": 70,
    } | kwargs
    with pytest.raises(ValueError):
        compute_tally(**args)


T0 = datetime(2024, 5, 1, 12, 0)


@pytest.mark.parametrize(
    ("ballots", "expected"),
    [
        ([], (0, 0)),
        ([("t1", "agree", T0), ("t2", "disagree", T0)], (1, 1)),
        # changed vote: the last one counts
        ([("t1", "agree", T0), ("t1", "disagree", T0 + timedelta(hours=1))], (0, 1)),
        ([("t1", "disagree", T0), ("t1", "agree", T0 + timedelta(days=2))], (1, 0)),
        # given out of order: latest cast_at wins, not the last row
        ([("t1", "agree", T0 + timedelta(days=1)), ("t1", "disagree", T0)], (1, 0)),
        # tie on cast_at: later in the input wins
        ([("t1", "agree", T0), ("t1", "disagree", T0)], (0, 1)),
        ([("t1", "disagree", T0), ("t1", "agree", T0)], (1, 0)),
        # co-tenants share one tenancy: one ballot, whoever cast it last
        (
            [
                ("t1", "agree", T0),
                ("t1", "agree", T0 + timedelta(minutes=5)),
                ("t2", "agree", T0),
                ("t2", "disagree", T0 + timedelta(minutes=1)),
                ("t2", "agree", T0 + timedelta(minutes=2)),
                ("t3", "disagree", T0),
            ],
            (2, 1),
        ),
        ([(1, "agree", T0), ("1", "disagree", T0)], (1, 1)),  # ids compared as given
    ],
)
def test_count_ballots(ballots, expected):
    assert count_ballots(ballots) == expected
    assert count_ballots(iter(ballots)) == expected  # any iterable


def test_count_ballots_rejects_unknown_choice():
    with pytest.raises(ValueError, match="abstain"):
        count_ballots([("t1", "abstain", T0)])


# --- properties -------------------------------------------------------------

counts = st.integers(min_value=0, max_value=400).flatmap(
    lambda eligible: st.tuples(
        st.just(eligible),
        st.integers(min_value=0, max_value=eligible).flatmap(
            lambda responded: st.tuples(
                st.just(responded), st.integers(min_value=0, max_value=responded)
            )
        ),
    )
)
thresholds = st.integers(min_value=1, max_value=100)


@given(
    tenancies=st.integers(min_value=0, max_value=30),
    data=st.data(),
)
def test_counted_ballots_never_exceed_eligible(tenancies, data):
    ids = [f"t{i}" for i in range(tenancies)]
    ballot = st.tuples(st.sampled_from(ids), st.sampled_from(["agree", "disagree"]), st.datetimes())
    ballots = data.draw(st.lists(ballot, max_size=100)) if ids else []
    agree, disagree = count_ballots(ballots)
    assert agree + disagree <= tenancies
    assert agree + disagree == len({b[0] for b in ballots})
    result = tally(tenancies, agree, disagree)  # never raises
    assert result.responded <= result.eligible


@given(
    st.integers(min_value=0, max_value=1000).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(min_value=0, max_value=n))
    ),
    thresholds,
)
def test_everyone_responds_figures_agree(pair, threshold):
    eligible, agree = pair
    result = tally(eligible, agree, eligible - agree, threshold=threshold)
    assert result.respondents.percent_agree == result.statutory.percent_agree
    assert result.respondents.reached == result.statutory.reached
    assert result.respondents.votes_needed == result.statutory.votes_needed
    assert tally(eligible, agree, eligible - agree, rule=A, threshold=threshold).reached == (
        result.reached
    )


@given(counts, thresholds)
def test_votes_needed_is_minimal(sample, threshold):
    eligible, (responded, agree) = sample
    disagree = responded - agree
    result = tally(eligible, agree, disagree, threshold=threshold)
    spare = eligible - responded

    def respondents_reach(extra):
        return reaches(agree + extra, responded + extra, threshold)

    def statutory_reach(extra):
        return reaches(agree + extra, eligible, threshold)

    for figure, reach in (
        (result.respondents, respondents_reach),
        (result.statutory, statutory_reach),
    ):
        needed = figure.votes_needed
        assert figure.reached == reach(0)
        if needed is None:
            assert not any(reach(k) for k in range(spare + 1))
        else:
            assert 0 <= needed <= spare
            assert reach(needed)
            if needed > 0:
                assert not reach(needed - 1)
            assert (needed == 0) == figure.reached
        # applying the votes in a fresh tally reaches
        if needed is not None and needed > 0:
            after = tally(eligible, agree + needed, disagree, threshold=threshold)
            fig_after = after.respondents if figure is result.respondents else after.statutory
            assert fig_after.reached and fig_after.votes_needed == 0


@given(counts, thresholds)
def test_votes_needed_none_together(sample, threshold):
    # the best case for both figures is everyone responding and agreeing, where
    # the two figures coincide; so either both can still be reached or neither
    eligible, (responded, agree) = sample
    result = tally(eligible, agree, responded - agree, threshold=threshold)
    assert (result.respondents.votes_needed is None) == (result.statutory.votes_needed is None)
    if result.statutory.votes_needed is not None:
        assert result.respondents.votes_needed <= result.statutory.votes_needed


@given(counts, thresholds)
def test_percent_never_overstates(sample, threshold):
    eligible, (responded, agree) = sample
    result = tally(eligible, agree, responded - agree, threshold=threshold)
    for figure in (result.respondents, result.statutory):
        if figure.denominator == 0:
            assert figure.percent_agree is None
            assert not figure.reached
            continue
        shown = figure.percent_agree
        assert shown is not None and shown.as_tuple().exponent == -2
        exact = Decimal(figure.numerator) * 100 / Decimal(figure.denominator)
        assert shown <= exact < shown + Decimal("0.01")
        # a shown percentage at or above the threshold implies reached
        if shown >= threshold:
            assert figure.reached
