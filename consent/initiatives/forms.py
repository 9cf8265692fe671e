"""The initiative form: parse and check what was entered (no database)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from consent.i18n import gettext as _
from consent.initiatives.rules import MAX_OFFER_CENTS
from consent.measures import Measure, parse
from consent.web import text, token

MAX_TITLE = 200
MAX_TEXT = 4000
MONEY = re.compile(r"^(\d{1,4})(?:[.,](\d{1,2}))?$")


def parse_euros(raw: str) -> int | None:
    """'12', '12,5', '12.50' or '€ 12,50' as cents; None when it is not an amount."""
    cleaned = raw.replace("€", "").replace(" ", "").strip()
    match = MONEY.match(cleaned)
    if not match:
        return None
    cents = (match.group(2) or "0").ljust(2, "0")
    return int(match.group(1)) * 100 + int(cents)


@dataclass
class InitiativeForm:
    title: str = ""
    measures: list[Measure] = field(default_factory=list)
    measure_text: str = ""
    reason: str = ""
    offer_cents: int | None = None
    for_home: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


def read(form: FormData, *, allow_home: bool) -> InitiativeForm:
    result = InitiativeForm()
    errors = result.errors
    result.title = text(form, "title", MAX_TITLE, errors)
    result.measure_text = text(form, "measure_text", MAX_TEXT, errors)
    result.reason = text(form, "reason", MAX_TEXT, errors)
    raw_measures = [v for v in form.getlist("measures") if isinstance(v, str)]
    result.measures, unknown = parse(raw_measures)
    scope = token(form, "scope")
    offer = text(form, "offer", 20, errors)
    result.values = {
        "title": result.title,
        "measure_text": result.measure_text,
        "reason": result.reason,
        "measures": [m.value for m in result.measures],
        "scope": scope,
        "offer": offer,
    }
    if not result.title:
        errors["title"] = _("Geef uw initiatief een korte naam")
    if unknown or not result.measures:
        errors["measures"] = _("Kies minstens één maatregel")
    if Measure.OTHER in result.measures and not result.measure_text:
        errors["measure_text"] = _("Schrijf op welke maatregel u bedoelt")
    if not result.reason:
        errors["reason"] = _("Schrijf op waarom u dit vraagt")
    if allow_home:
        if scope not in ("home", "complex"):
            errors["scope"] = _("Kies of het om uw eigen woning of om het hele complex gaat")
        result.for_home = scope == "home"
    if offer:
        cents = parse_euros(offer)
        if cents is None or cents > MAX_OFFER_CENTS:
            errors["offer"] = _("Vul een bedrag in euro in, bijvoorbeeld 12,50")
        else:
            result.offer_cents = cents
    return result
