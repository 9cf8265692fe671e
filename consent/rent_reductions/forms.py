"""Parse and check the rent-reduction forms: amounts, dates, household, incomes.

Pure functions on the entered text (a mapping of field name to value); each returns the
parsed values and a dict of field name to a Dutch message for the error summary.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from consent import web
from consent.i18n import gettext as _
from consent.rent_reductions.eligibility import Answers, Person
from consent.rent_reductions.pension_age import add_months

MAX_ADULTS = 4
MAX_CHILDREN = 6
MAX_NAME = 200
MAX_CENTS = 100_000_000_00  # EUR 100 million: anything above is a typing error
CHILD_AGE_LIMIT_MONTHS = 27 * 12
_AMOUNT = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^(\d+|\d{1,3}([.,]\d{3})+)$")


def parse_money(raw: str) -> int | None:
    """Euros as typed ('1.234,56', '1234.56', '€ 980') to cents; None if not an amount."""
    text = raw.replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    comma, dot = text.rfind(","), text.rfind(".")
    decimal_at = max(comma, dot)
    both = comma >= 0 and dot >= 0
    if both or (decimal_at >= 0 and len(text) - decimal_at - 1 in (1, 2)):
        whole, fraction = text[:decimal_at], text[decimal_at + 1 :]
        if text[decimal_at] in whole:  # '12,345,6': one mark cannot be both
            return None
    else:
        whole, fraction = text, ""
    if not _GROUPED.match(whole or "0") or (fraction and not _AMOUNT.match(fraction)):
        return None
    whole = whole.replace(".", "").replace(",", "")
    cents = int(whole or "0") * 100 + int((fraction + "00")[:2] or "0")
    return cents if cents <= MAX_CENTS else None


def parse_date(raw: str) -> dt.date | None:
    """'2024-01-31' (a date field) or '31-01-2024' / '31/1/2024'; None if not a date."""
    text = raw.strip()
    try:
        if re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", text):
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
        match = re.match(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def _amount(values: Mapping[str, str], name: str, errors: dict[str, str], label: str) -> int:
    raw = values.get(name, "").strip()
    cents = parse_money(raw)
    if not raw:
        errors[name] = _("Vul %(label)s in", label=label)
    elif cents is None:
        errors[name] = _(
            "Vul bij %(label)s een bedrag in euro in, bijvoorbeeld 1250,00", label=label
        )
    return cents or 0


def _birth(values: Mapping[str, str], name: str, today: dt.date, errors: dict[str, str]) -> dt.date:
    raw = values.get(name, "").strip()
    day = parse_date(raw)
    if day is None:
        errors[name] = _("Vul een geboortedatum in, bijvoorbeeld 31-01-1980")
    elif day > today or day.year < 1900:
        errors[name] = _("Deze geboortedatum kan niet kloppen")
    return day or today


def adult_rows(values: Mapping[str, str]) -> list[int]:
    """Numbers of the adult rows with something filled in (row 1 always counts)."""
    rows = [1]
    for i in range(2, MAX_ADULTS + 1):
        if any(values.get(f"adult{i}_{part}", "").strip() for part in ("name", "birth")):
            rows.append(i)
    return rows


def check_form(
    values: Mapping[str, str], earlier: list[str], today: dt.date, period_fields: dict[str, str]
) -> tuple[dict[str, Answers], dict[str, str]]:
    """The anonymous check: one Answers per income field in ``period_fields``.

    ``period_fields`` maps an income period ('year', 'last_6_months') to the field suffix
    holding that income per adult.
    """
    errors: dict[str, str] = {}
    births = {i: _birth(values, f"adult{i}_birth", today, errors) for i in adult_rows(values)}
    incomes: dict[str, dict[int, int]] = {}
    for period, suffix in period_fields.items():
        incomes[period] = {
            i: _amount(
                values,
                f"adult{i}_{suffix}",
                errors,
                _("het inkomen van persoon %(n)s", n=i),
            )
            for i in births
        }
    children = _count(values.get("children", ""), "children", errors)
    rent = _amount(values, "rent", errors, _("uw huur"))
    start_raw = values.get("tenancy_start", "").strip()
    start = parse_date(start_raw) if start_raw else None
    if start_raw and start is None:
        errors["tenancy_start"] = _("Vul de datum in, bijvoorbeeld 01-03-2020")
    answers = {
        period: Answers(
            adults=[Person(births[i], by_row[i]) for i in births],
            children_under_27=[Person(today)] * children,
            rent_cents=rent,
            tenancy_start=start,
            earlier_reductions=set(earlier),
        )
        for period, by_row in incomes.items()
    }
    return answers, errors


def _count(raw: str, name: str, errors: dict[str, str]) -> int:
    text = raw.strip() or "0"
    if not text.isdigit() or int(text) > 20:
        errors[name] = _("Vul een aantal in, bijvoorbeeld 0 of 2")
        return 0
    return int(text)


def household_form(
    values: Mapping[str, str], earlier: list[str], today: dt.date
) -> tuple[dict[str, Any], dict[str, str]]:
    """The request's household step: adults (name, birth date), children, rent."""
    errors: dict[str, str] = {}
    adults = []
    for i in adult_rows(values):
        name = web.text(values, f"adult{i}_name", MAX_NAME, errors)
        if not name:
            errors[f"adult{i}_name"] = _("Vul de naam van persoon %(n)s in", n=i)
        birth = _birth(values, f"adult{i}_birth", today, errors)
        adults.append({"name": name, "birth_date": birth.isoformat(), "income_cents": None})
    children = []
    for j in range(1, MAX_CHILDREN + 1):
        field = f"child{j}_birth"
        if not values.get(field, "").strip():
            continue
        birth = _birth(values, field, today, errors)
        if field not in errors and add_months(birth, CHILD_AGE_LIMIT_MONTHS) <= today:
            errors[field] = _("Dit kind is 27 jaar of ouder. Vul het in als volwassene.")
        children.append({"birth_date": birth.isoformat()})
    rent = _amount(values, "rent", errors, _("uw huur"))
    data = {"adults": adults, "children": children, "rent_cents": rent, "earlier": earlier}
    return data, errors


def income_form(
    values: Mapping[str, str], adults: list[dict[str, Any]], today: dt.date
) -> tuple[dict[str, Any], dict[str, str]]:
    """The income step: income per adult for the scheme's period, and the date it dropped."""
    errors: dict[str, str] = {}
    incomes = []
    for i, adult in enumerate(adults, start=1):
        label = _("het inkomen van %(name)s", name=adult.get("name") or str(i))
        incomes.append(_amount(values, f"adult{i}_income", errors, label))
    raw = values.get("income_dropped_on", "").strip()
    dropped = parse_date(raw)
    if dropped is None:
        errors["income_dropped_on"] = _("Vul de datum in, bijvoorbeeld 01-03-2024")
    elif dropped > today:
        errors["income_dropped_on"] = _("Deze datum ligt in de toekomst")
    data = {"incomes": incomes, "income_dropped_on": dropped.isoformat() if dropped else ""}
    return data, errors


def answers_from_draft(data: dict[str, Any], tenancy_start: dt.date | None) -> Answers | None:
    """The eligibility Answers held in a draft, or None while it is incomplete."""
    adults = data.get("adults") or []
    if not adults or any(a.get("income_cents") is None for a in adults):
        return None
    return Answers(
        adults=[
            Person(dt.date.fromisoformat(a["birth_date"]), int(a["income_cents"])) for a in adults
        ],
        children_under_27=[
            Person(dt.date.fromisoformat(c["birth_date"])) for c in data.get("children", [])
        ],
        rent_cents=int(data.get("rent_cents") or 0),
        tenancy_start=tenancy_start,
        earlier_reductions=set(data.get("earlier", [])),
    )
