"""Pure eligibility check for a rent-reduction scheme, with explainable reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from consent.rent_reductions.pension_age import reaches_pension_age
from consent.rent_reductions.schemes import HouseholdType, Scheme, is_open


@dataclass(frozen=True)
class Person:
    """A household member; ``income_cents`` is for the scheme's income period."""

    birth_date: dt.date
    income_cents: int = 0

    def __post_init__(self) -> None:
        if self.income_cents < 0:
            raise ValueError("income_cents must not be negative")


@dataclass(frozen=True)
class Answers:
    """What the tenant told us. Children under 27 count for size, not income."""

    adults: list[Person]
    children_under_27: list[Person] = field(default_factory=list)
    rent_cents: int = 0
    tenancy_start: dt.date | None = None
    earlier_reductions: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.adults:
            raise ValueError("a household needs at least one adult")
        if self.rent_cents < 0:
            raise ValueError("rent_cents must not be negative")


@dataclass(frozen=True)
class Reason:
    """Why (not) eligible, with the figures a page needs to explain it."""

    code: str
    household_type: HouseholdType | None = None
    household_size: int | None = None
    income_cents: int | None = None
    limit_cents: int | None = None
    rent_cents: int | None = None
    rent_above_cents: int | None = None
    reduced_rent_cents: int | None = None
    tenancy_start: dt.date | None = None
    tenancy_started_on_or_before: dt.date | None = None
    earlier_reductions: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class Verdict:
    """``eligible`` is True exactly when ``reasons`` is a single ``ok`` reason."""

    eligible: bool
    reasons: list[Reason]


def household_type(answers: Answers, today: dt.date) -> HouseholdType:
    """single/multi by head count (children included), ``_pension_age`` if any adult is."""
    single = len(answers.adults) + len(answers.children_under_27) == 1
    pension = any(reaches_pension_age(p.birth_date, today) for p in answers.adults)
    if single:
        return "single_pension_age" if pension else "single"
    return "multi_pension_age" if pension else "multi"


def check(scheme: Scheme, answers: Answers, today: dt.date) -> Verdict:
    """Check every condition; a closed scheme refuses at once with ``scheme_closed``."""
    if not is_open(scheme, today):
        closed = Reason(
            "scheme_closed", valid_from=scheme.valid_from, valid_until=scheme.valid_until
        )
        return Verdict(False, [closed])
    htype = household_type(answers, today)
    income = sum(p.income_cents for p in answers.adults)
    limit = scheme.income_limits_cents.for_household(htype)
    figures = Reason(
        "ok",
        household_type=htype,
        household_size=len(answers.adults) + len(answers.children_under_27),
        income_cents=income,
        limit_cents=limit,
        rent_cents=answers.rent_cents,
        rent_above_cents=scheme.rent_above_cents,
        reduced_rent_cents=scheme.reduced_rent_cents,
        tenancy_start=answers.tenancy_start,
        tenancy_started_on_or_before=scheme.conditions.tenancy_started_on_or_before,
    )
    failed: list[str] = []
    if answers.rent_cents <= scheme.rent_above_cents:
        failed.append("rent_not_above")
    if income > limit:
        failed.append("income_above_limit")
    latest = scheme.conditions.tenancy_started_on_or_before
    if latest is not None:
        if answers.tenancy_start is None:
            failed.append("tenancy_start_unknown")
        elif answers.tenancy_start > latest:
            failed.append("tenancy_too_recent")
    earlier = tuple(
        sorted(answers.earlier_reductions & set(scheme.conditions.no_earlier_reduction_under))
    )
    if earlier:
        failed.append("earlier_reduction")
    if not failed:
        return Verdict(True, [figures])
    reasons = [replace(figures, code=code, earlier_reductions=earlier) for code in failed]
    return Verdict(False, reasons)


def new_rent_cents(scheme: Scheme, current_rent_cents: int) -> int:
    """The rent after reduction: the scheme's amount, never more than the current rent."""
    if current_rent_cents > scheme.rent_above_cents:
        return min(current_rent_cents, scheme.reduced_rent_cents)
    return current_rent_cents


def start_date_for(scheme: Scheme, requested_on: dt.date) -> dt.date:
    """First day the reduced rent applies.

    Automatic schemes start on ``valid_from``. On-request schemes start on the first day
    of the month after the request (rent is due per calendar month, so the reduction
    runs from a whole month; a documented platform choice), never before ``valid_from``.
    """
    if not scheme.on_request:
        return scheme.valid_from
    if requested_on.month == 12:
        nxt = dt.date(requested_on.year + 1, 1, 1)
    else:
        nxt = dt.date(requested_on.year, requested_on.month + 1, 1)
    return max(nxt, scheme.valid_from)
