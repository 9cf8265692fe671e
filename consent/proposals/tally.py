"""Counting consent ballots for a renovation proposal (art. 7:220 lid 3 BW).

Integer arithmetic only: a figure reaches the threshold when
``100 * agree >= threshold_percent * denominator`` and the denominator is not 0.
Two figures are always computed side by side (RULES.md section 1):

* respondents: agree / (agree + disagree), non-respondents left out;
* statutory: agree / eligible tenancies, non-respondents count as "not agreed".
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from consent import rules_data

THRESHOLD_NAME = "consent_threshold_percent"
MIN_HOMES_NAME = "presumption_min_homes"


class CountingRule(StrEnum):
    """Which denominator decides whether a proposal reached the threshold."""

    RESPONDENTS = "respondents"
    ALL_TENANTS = "all_tenants"


class Choice(StrEnum):
    """A ballot choice."""

    AGREE = "agree"
    DISAGREE = "disagree"


@dataclass(frozen=True)
class Figure:
    """One way of counting: agree votes over a denominator."""

    numerator: int
    denominator: int
    percent_agree: Decimal | None
    reached: bool
    votes_needed: int | None


@dataclass(frozen=True)
class Tally:
    """The result of a consent ballot, with both figures side by side."""

    counting_rule: CountingRule
    threshold_percent: int
    eligible: int
    excluded: int
    responded: int
    agree: int
    disagree: int
    non_respondents: int
    response_rate: Decimal | None
    respondents: Figure
    statutory: Figure
    reached: bool
    presumption_applies: bool


def percent_down(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` as a percentage with two decimals, rounded down.

    Rounding down means 69.999% shows as 69.99, never as a false 70.00.
    """
    if denominator == 0:
        return None
    hundredths = (10_000 * numerator) // denominator
    return Decimal(hundredths).scaleb(-2)


def reaches(numerator: int, denominator: int, threshold_percent: int) -> bool:
    """Inclusive threshold test; a zero denominator never reaches."""
    return denominator > 0 and 100 * numerator >= threshold_percent * denominator


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _respondents_votes_needed(agree: int, responded: int, spare: int, threshold: int) -> int | None:
    """Fewest extra agree votes (each grows numerator and denominator) to reach."""
    if reaches(agree, responded, threshold):
        return 0
    if threshold == 100:
        # Extra agree votes cannot lift a ratio below 100% to 100%; with no
        # respondents yet, one agree vote is 100%.
        needed: int | None = 1 if responded == 0 else None
    else:
        # 100 (a + k) >= t (r + k)  <=>  k (100 - t) >= t r - 100 a
        needed = max(1, _ceil_div(threshold * responded - 100 * agree, 100 - threshold))
    return needed if needed is not None and needed <= spare else None


def _statutory_votes_needed(agree: int, eligible: int, spare: int, threshold: int) -> int | None:
    """Fewest extra agree votes (only the numerator grows) to reach."""
    if reaches(agree, eligible, threshold):
        return 0
    if eligible == 0:
        return None
    needed = _ceil_div(threshold * eligible - 100 * agree, 100)
    return needed if needed <= spare else None


def compute_tally(
    *,
    eligible: int,
    excluded: int,
    agree: int,
    disagree: int,
    homes: int,
    counting_rule: CountingRule,
    threshold_percent: int | None = None,
    presumption_min_homes: int | None = None,
) -> Tally:
    """Compute both figures for a ballot.

    ``threshold_percent`` and ``presumption_min_homes`` should come from dated data
    (``rules_data.value_on``) for the proposal's date; when omitted the latest known
    values are used (70% and 10 homes, art. 7:220 lid 3 BW).
    """
    if threshold_percent is None:
        threshold_percent = rules_data.latest_value(THRESHOLD_NAME)
    if presumption_min_homes is None:
        presumption_min_homes = rules_data.latest_value(MIN_HOMES_NAME)
    counts = {"eligible": eligible, "excluded": excluded, "agree": agree}
    counts |= {"disagree": disagree, "homes": homes}
    for label, number in counts.items():
        if number < 0:
            raise ValueError(f"{label} must not be negative, got {number}")
    if not 1 <= threshold_percent <= 100:
        raise ValueError(f"threshold_percent must be 1..100, got {threshold_percent}")
    responded = agree + disagree
    if responded > eligible:
        raise ValueError(f"{responded} ballots counted but only {eligible} eligible")
    rule = CountingRule(counting_rule)
    spare = eligible - responded

    respondents = Figure(
        numerator=agree,
        denominator=responded,
        percent_agree=percent_down(agree, responded),
        reached=reaches(agree, responded, threshold_percent),
        votes_needed=_respondents_votes_needed(agree, responded, spare, threshold_percent),
    )
    statutory = Figure(
        numerator=agree,
        denominator=eligible,
        percent_agree=percent_down(agree, eligible),
        reached=reaches(agree, eligible, threshold_percent),
        votes_needed=_statutory_votes_needed(agree, eligible, spare, threshold_percent),
    )
    decisive = respondents if rule is CountingRule.RESPONDENTS else statutory
    return Tally(
        counting_rule=rule,
        threshold_percent=threshold_percent,
        eligible=eligible,
        excluded=excluded,
        responded=responded,
        agree=agree,
        disagree=disagree,
        non_respondents=spare,
        response_rate=percent_down(responded, eligible),
        respondents=respondents,
        statutory=statutory,
        reached=decisive.reached,
        presumption_applies=homes >= presumption_min_homes,
    )


def count_ballots(ballots: Iterable[tuple[Hashable, str, datetime]]) -> tuple[int, int]:
    """Count (agree, disagree), keeping only the latest ballot per tenancy.

    A later ``cast_at`` wins; on equal ``cast_at`` the ballot given later wins.
    """
    latest: dict[Hashable, tuple[datetime, Choice]] = {}
    for tenancy_id, choice, cast_at in ballots:
        try:
            parsed = Choice(choice)
        except ValueError:
            raise ValueError(f"unknown ballot choice {choice!r}") from None
        current = latest.get(tenancy_id)
        if current is None or cast_at >= current[0]:
            latest[tenancy_id] = (cast_at, parsed)
    agree = sum(1 for _, choice in latest.values() if choice is Choice.AGREE)
    return agree, len(latest) - agree
