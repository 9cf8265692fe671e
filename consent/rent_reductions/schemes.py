"""Rent-reduction schemes as data: one validated TOML file per scheme."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

SCHEMES_DIR = Path(__file__).parent / "schemes"

IncomePeriod = Literal["year", "last_6_months"]
HouseholdType = Literal["single", "single_pension_age", "multi", "multi_pension_age"]
HOUSEHOLD_TYPES: tuple[HouseholdType, ...] = (
    "single",
    "single_pension_age",
    "multi",
    "multi_pension_age",
)
INCOME_PERIODS: tuple[IncomePeriod, ...] = ("year", "last_6_months")

_T = TypeVar("_T")


@dataclass(frozen=True)
class Evidence:
    """A document the tenant must supply."""

    code: str
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class Conditions:
    """Extra conditions besides rent and income."""

    tenancy_started_on_or_before: dt.date | None = None
    no_earlier_reduction_under: tuple[str, ...] = ()


@dataclass(frozen=True)
class IncomeLimits:
    """Highest qualifying household income per household type, in cents (inclusive)."""

    single: int
    single_pension_age: int
    multi: int
    multi_pension_age: int

    def for_household(self, household_type: HouseholdType) -> int:
        """The limit for one household type."""
        return int(getattr(self, household_type))


@dataclass(frozen=True)
class Scheme:
    """One rent-reduction scheme; amounts in integer euro cents."""

    id: str
    name: str
    name_en: str
    legal_basis: str
    source: str
    valid_from: dt.date
    valid_until: dt.date | None
    on_request: bool
    rent_above_cents: int
    reduced_rent_cents: int
    income_period: IncomePeriod
    income_limits_cents: IncomeLimits
    conditions: Conditions
    evidence: tuple[Evidence, ...]
    response_days: int | None = None
    income_year: int | None = None
    template: bool = False


class _Reader:
    """Typed access to a TOML table that names the file and field on errors."""

    def __init__(self, data: dict[str, Any], path: Path, prefix: str = "") -> None:
        self.data = data
        self.path = path
        self.prefix = prefix
        self.seen: set[str] = set()

    def fail(self, key: str, problem: str) -> ValueError:
        return ValueError(f"{self.path}: field '{self.prefix}{key}': {problem}")

    def get(self, key: str, kind: type[_T], default: Any = ...) -> _T:
        self.seen.add(key)
        if key not in self.data:
            if default is ...:
                raise self.fail(key, "is missing")
            return default  # type: ignore[no-any-return]
        value = self.data[key]
        # bool is a subclass of int and datetime of date: reject those explicitly.
        wrong_bool = kind is int and isinstance(value, bool)
        wrong_dt = kind is dt.date and isinstance(value, dt.datetime)
        if not isinstance(value, kind) or wrong_bool or wrong_dt:
            raise self.fail(key, f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    def cents(self, key: str, default: Any = ...) -> Any:
        value = self.get(key, int, default)
        if value is not None and value < 0:
            raise self.fail(key, "must not be negative")
        return value

    def text(self, key: str) -> str:
        value = self.get(key, str)
        if not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def table(self, key: str, default: Any = ...) -> _Reader:
        sub = self.get(key, dict, default)
        return _Reader(sub or {}, self.path, f"{self.prefix}{key}.")

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            raise self.fail(unknown[0], "is not a known field")


def _evidence(r: _Reader) -> tuple[Evidence, ...]:
    items = r.get("evidence", list, [])
    result = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise r.fail(f"evidence[{i}]", "expected a table with code, label_nl, label_en")
        e = _Reader(item, r.path, f"evidence[{i}].")
        result.append(Evidence(e.text("code"), e.text("label_nl"), e.text("label_en")))
        e.finish()
    codes = [e.code for e in result]
    if len(set(codes)) != len(codes):
        raise r.fail("evidence", "codes must be unique")
    return tuple(result)


def _conditions(r: _Reader) -> Conditions:
    c = r.table("conditions", {})
    ids = c.get("no_earlier_reduction_under", list, [])
    if not all(isinstance(x, str) and x for x in ids):
        raise c.fail("no_earlier_reduction_under", "expected a list of scheme ids")
    cond = Conditions(c.get("tenancy_started_on_or_before", dt.date, None), tuple(ids))
    c.finish()
    return cond


def _limits(r: _Reader) -> IncomeLimits:
    t = r.table("income_limits_cents")
    limits = IncomeLimits(*(t.cents(k) for k in HOUSEHOLD_TYPES))
    t.finish()
    return limits


def load_scheme(path: str | Path) -> Scheme:
    """Read and validate one scheme file; raises ValueError naming file and field."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    r = _Reader(data, path)
    scheme_id = r.text("id")
    if scheme_id != path.stem:
        raise r.fail("id", f"must equal the file name '{path.stem}'")
    period = r.get("income_period", str)
    if period not in INCOME_PERIODS:
        raise r.fail("income_period", f"must be one of {', '.join(INCOME_PERIODS)}")
    scheme = Scheme(
        id=scheme_id,
        name=r.text("name"),
        name_en=r.text("name_en"),
        legal_basis=r.text("legal_basis"),
        source=r.text("source"),
        valid_from=r.get("valid_from", dt.date),
        valid_until=r.get("valid_until", dt.date, None),
        on_request=r.get("on_request", bool),
        rent_above_cents=r.cents("rent_above_cents"),
        reduced_rent_cents=r.cents("reduced_rent_cents"),
        income_period=period,
        income_limits_cents=_limits(r),
        conditions=_conditions(r),
        evidence=_evidence(r),
        response_days=r.get("response_days", int, None),
        income_year=r.get("income_year", int, None),
        template=r.get("template", bool, False),
    )
    r.finish()
    if scheme.valid_until is not None and scheme.valid_until < scheme.valid_from:
        raise r.fail("valid_until", "is before valid_from")
    if scheme.reduced_rent_cents > scheme.rent_above_cents:
        raise r.fail("reduced_rent_cents", "must not exceed rent_above_cents")
    if scheme.response_days is not None and scheme.response_days <= 0:
        raise r.fail("response_days", "must be positive")
    if scheme.on_request and scheme.response_days is None:
        raise r.fail("response_days", "is required when on_request is true")
    if scheme.income_year is not None and scheme.income_period != "year":
        raise r.fail("income_year", "only allowed with income_period = 'year'")
    return scheme


def load_all(directory: str | Path = SCHEMES_DIR) -> dict[str, Scheme]:
    """Load every ``*.toml`` scheme in ``directory``, keyed by id (templates included)."""
    schemes: dict[str, Scheme] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        scheme = load_scheme(path)
        schemes[scheme.id] = scheme
    return schemes


def is_open(scheme: Scheme, on: dt.date) -> bool:
    """True if the scheme accepts new cases on ``on`` (inclusive bounds; never templates)."""
    if scheme.template or on < scheme.valid_from:
        return False
    return scheme.valid_until is None or on <= scheme.valid_until
