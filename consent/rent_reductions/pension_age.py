"""Statutory state pension (AOW) age, read from dated data in ``pension_age.toml``."""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path

PENSION_AGE_FILE = Path(__file__).parent / "pension_age.toml"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; a day missing in the target month becomes its last day.

    So someone born on 29 February or the 31st reaches an age on the last day of the
    month when that month is shorter (a choice: the AOW act does not spell it out).
    """
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


@lru_cache(maxsize=8)
def load_table(path: Path = PENSION_AGE_FILE) -> tuple[tuple[int, int], ...]:
    """Rows ``(calendar year, age in months)``, consecutive years, ages never decreasing."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    rows: list[tuple[int, int]] = []
    for key, value in data.get("ages", {}).items():
        ok = isinstance(value, list) and len(value) == 2
        ok = ok and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        if not (key.isdigit() and ok and 0 <= value[1] < 12):
            raise ValueError(f"{path}: field 'ages.{key}': expected [years, months]")
        rows.append((int(key), value[0] * 12 + value[1]))
    rows.sort()
    if not rows:
        raise ValueError(f"{path}: field 'ages': no rows")
    for (y1, m1), (y2, m2) in zip(rows, rows[1:], strict=False):
        if y2 != y1 + 1 or m2 < m1:
            raise ValueError(f"{path}: field 'ages.{y2}': years must be consecutive, ages rising")
    return tuple(rows)


def reaches_pension_age(birth_date: dt.date, on: dt.date, path: Path = PENSION_AGE_FILE) -> bool:
    """True if someone born on ``birth_date`` has reached AOW age on ``on`` (inclusive).

    One reaches it on the day, in calendar year Y, one reaches the age set for Y. Raises
    ValueError when the answer depends on years missing from the data file.
    """
    table = load_table(path)
    first_year, last_year = table[0][0], table[-1][0]
    if on.year < first_year:
        raise ValueError(f"no state pension age data before {first_year}")
    for year, months in table:
        reached = add_months(birth_date, months)
        if reached.year <= year:
            # reached.year < first_year: reached before the data starts (ages were lower).
            return on >= reached
    if on.year <= last_year:
        return False
    # Ages never decrease, so someone younger than the last known age has not reached it.
    if add_months(birth_date, table[-1][1]) > on:
        return False
    raise ValueError(f"no state pension age data after {last_year} for {birth_date}")
