"""The staff proposal form: parse posted fields into a ProposalInput, and back again.

Dates are entered as YYYY-MM-DD, the voting window as Europe/Amsterdam wall-clock
times, amounts in euros (``7.428,00``, ``7428`` or ``-12,50``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from starlette.datastructures import FormData

from consent.i18n import gettext as _
from consent.proposals import rules
from consent.proposals.inputs import (
    MAX_CODE,
    MAX_DESCRIPTION,
    TEXT_FIELDS,
    MeasureInput,
    ProposalInput,
    default_lapse_statement,
    max_length,
    validate,
)
from consent.timeutil import from_local, to_local
from consent.web import text, values

BLANK_MEASURE_ROWS = 3
MONEY = re.compile(r"^([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$")
MONEY_DOT_DECIMAL = re.compile(r"^([+-]?)(\d+)\.(\d{1,2})$")


def parse_euros(raw: str) -> int:
    """Euro text as cents: '7.428,00' -> 742800, '12,5' -> 1250, '-3.50' -> -350."""
    cleaned = raw.replace("€", "").replace(" ", "").replace("\u00a0", "")
    match = MONEY_DOT_DECIMAL.match(cleaned)
    if match:
        sign, whole, part = match.groups()
    else:
        match = MONEY.match(cleaned)
        if not match:
            raise ValueError(raw)
        sign, whole, part = match.groups()
    cents = int(whole.replace(".", "")) * 100 + int((part or "0").ljust(2, "0"))
    return -cents if sign == "-" else cents


def euros_text(cents: int | None) -> str:
    """Cents as the form shows them: 742800 -> '7428,00'."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def local_input(moment: datetime | None) -> str:
    return to_local(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


def measure_rows(form_values: dict[str, Any]) -> int:
    """How many measure rows the form shows: the filled ones plus blank rows."""
    numbers = [
        int(m.group(1))
        for key in form_values
        if (m := re.match(r"^measure-(\d+)-", key)) and int(m.group(1)) < 100
    ]
    return max(numbers, default=0) + BLANK_MEASURE_ROWS


class _Parser:
    def __init__(self, form: FormData) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def text(self, name: str, max_length: int) -> str:
        return text(self.form, name, max_length, self.errors)

    def date(self, name: str) -> date | None:
        raw = self.text(name, 20)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[name] = _("Vul een geldige datum in, bijvoorbeeld 2026-03-01")
            return None

    def moment(self, name: str) -> datetime | None:
        raw = self.text(name, 30)
        if not raw:
            return None
        try:
            return from_local(datetime.fromisoformat(raw))
        except ValueError:
            self.errors[name] = _("Vul een geldige datum en tijd in")
            return None

    def integer(self, name: str) -> int | None:
        raw = self.text(name, 12)
        if not raw:
            return None
        if not re.fullmatch(r"-?\d{1,9}", raw):
            self.errors[name] = _("Vul een heel getal in")
            return None
        return int(raw)

    def euros(self, name: str) -> int | None:
        raw = self.text(name, 20)
        if not raw:
            return None
        try:
            return parse_euros(raw)
        except ValueError:
            self.errors[name] = _("Vul een bedrag in euro in, bijvoorbeeld 25,50")
            return None


def parse(form: FormData, *, need_complex: bool = True) -> tuple[ProposalInput, dict[str, str]]:
    """The entered proposal and every error (parse errors first, then validation)."""
    p = _Parser(form)
    data = ProposalInput(complex=p.text("complex", MAX_CODE))
    for name in TEXT_FIELDS:
        setattr(data, name, p.text(name, max_length(name)))
    data.planned_start, data.planned_end = p.date("planned_start"), p.date("planned_end")
    data.working_days = p.integer("working_days")
    data.stay_home = text(form, "stay_home", 10, {}) != "move"
    data.moving_allowance_cents = p.euros("moving_allowance")
    data.energy_change_cents = p.euros("energy_change")
    data.opens_at, data.closes_at = p.moment("opens_at"), p.moment("closes_at")
    data.counting_rule = text(form, "counting_rule", 20, {})
    for kind in rules.RENT_KINDS:
        cents = p.euros(f"rent-{kind}")
        if cents is not None:
            data.rent_changes[kind] = cents
    for index in range(1, measure_rows(values(form))):
        prefix = f"measure-{index}-"
        description = p.text(prefix + "description", MAX_DESCRIPTION)
        rent = p.euros(prefix + "rent")
        if not description and not rent:
            continue  # a blank row
        data.measures.append(
            MeasureInput(
                category=text(form, prefix + "category", 20, {}),
                tag=text(form, prefix + "tag", 30, {}),
                description=description,
                rent_increase_cents=rent or 0,
            )
        )
    if not data.stay_home and data.moving_allowance_cents is None:
        on = data.planned_start or (data.opens_at.date() if data.opens_at else None)
        data.moving_allowance_cents = rules.moving_allowance_minimum(on) if on else None
    errors = validate(data, need_complex=need_complex) | p.errors
    return data, errors


def initial_values(today: date, threshold_percent: int) -> dict[str, Any]:
    return {
        "stay_home": "stay",
        "counting_rule": "respondents",
        "moving_allowance": euros_text(rules.moving_allowance_minimum(today)),
        "lapse_statement": default_lapse_statement(threshold_percent),
    }


def values_of(proposal: Any, measures: list[Any], rent_changes: list[Any]) -> dict[str, Any]:
    """A stored proposal as form values, for the edit form."""
    result: dict[str, Any] = {name: getattr(proposal, name) for name in TEXT_FIELDS}
    result |= {
        "planned_start": proposal.planned_start.isoformat() if proposal.planned_start else "",
        "planned_end": proposal.planned_end.isoformat() if proposal.planned_end else "",
        "working_days": "" if proposal.working_days is None else str(proposal.working_days),
        "stay_home": "stay" if proposal.stay_home else "move",
        "moving_allowance": euros_text(proposal.moving_allowance_cents),
        "energy_change": euros_text(proposal.energy_change_cents),
        "opens_at": local_input(proposal.opens_at),
        "closes_at": local_input(proposal.closes_at),
        "counting_rule": proposal.counting_rule,
    }
    for change in rent_changes:
        result[f"rent-{change.unit_kind}"] = euros_text(change.monthly_change_cents)
    for index, measure in enumerate(measures, start=1):
        prefix = f"measure-{index}-"
        result[prefix + "category"] = measure.category
        result[prefix + "tag"] = measure.tag
        result[prefix + "description"] = measure.description
        result[prefix + "rent"] = euros_text(measure.rent_increase_cents or None)
    return result
