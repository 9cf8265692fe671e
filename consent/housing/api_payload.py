"""JSON for the housing API: a complex in the import's field names, both ways (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from consent.housing.csv_rows import COLUMNS, Problem, RowError
from consent.housing.models import Complex, Tenancy, Tenant, Unit

COMPLEX_FIELDS = ("clusterCode", "clusterNaam")
UNIT_FIELDS = tuple(column for column in COLUMNS if column not in COMPLEX_FIELDS)
UNITS = "eenheden"
NUMBERS = ("huisnummer", "kaleHuur")  # fields that may come as a JSON number
MAX_UNITS = 5000

Record = tuple[int, Mapping[str, str | None], list[Problem]]


def _text(key: str, value: Any) -> str | None:
    """A JSON value as the text a CSV cell would hold; None when it cannot be one.

    null is an empty cell; numbers are taken only where the register has numbers.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if key in NUMBERS and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _unit_record(position: int, head: dict[str, str], unit: Any) -> Record:
    problems: list[Problem] = []
    raw: dict[str, str | None] = dict(head)
    if not isinstance(unit, dict):
        return position, raw, [("", "a unit must be a JSON object")]
    for key, value in unit.items():
        if key not in UNIT_FIELDS:
            problems.append((key, f"unknown field {key[:40]!r}"))
            continue
        if key == "huurders" and isinstance(value, list):
            if not all(isinstance(name, str) and "|" not in name for name in value):
                problems.append((key, "huurders must be a list of names"))
                continue
            value = "|".join(name for name in value if name)
        text = _text(key, value)
        if text is None:
            kind = "text or a number" if key in NUMBERS else "text"
            problems.append((key, f"{key} must be {kind}"))
        else:
            raw[key] = text
    return position, raw, problems


def records(body: dict[str, Any]) -> tuple[list[Record], list[Problem]]:
    """The units of a complex as import records (line = position from 1), or what is wrong."""
    problems: list[Problem] = []
    head: dict[str, str] = {}
    for key in COMPLEX_FIELDS:
        text = _text(key, body.get(key))
        if text is None:
            problems.append((key, f"{key} must be text"))
        head[key] = text or ""
    problems += [
        (key, f"unknown field {key[:40]!r}") for key in body if key not in (*COMPLEX_FIELDS, UNITS)
    ]
    units = body.get(UNITS)
    if not isinstance(units, list) or not units:
        problems.append((UNITS, f"{UNITS} must be a list of at least one unit"))
        return [], problems
    if len(units) > MAX_UNITS:
        problems.append((UNITS, f"at most {MAX_UNITS} units at once"))
        return [], problems
    return [_unit_record(i + 1, head, unit) for i, unit in enumerate(units)], problems


def field_errors(
    errors: Sequence[RowError], problems: Sequence[Problem] = ()
) -> list[dict[str, str]]:
    """Per-field details: complex fields by name, unit fields as eenheden[i].field."""
    details: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(path: str, message: str) -> None:
        if (path, message) not in seen:
            seen.add((path, message))
            details.append({"field": path, "message": message})

    for key, message in problems:
        add(key, message)
    for error in errors:
        for key, message in error.problems or (("", error.reason),):
            if key in COMPLEX_FIELDS:
                add(key, message)
            else:
                unit = f"{UNITS}[{error.line - 1}]"
                add(f"{unit}.{key}" if key else unit, message)
    return details


def _rent(cents: int | None) -> str | None:
    return None if cents is None else str(Decimal(cents) / 100)


def unit_json(
    unit: Unit, tenancy: Tenancy | None, tenants: list[Tenant], personal: bool
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "eenheidCode": unit.code,
        "straatnaam": unit.street,
        "huisnummer": unit.number,
        "huisletter": unit.letter,
        "huisnummerToevoeging": unit.addition,
        "postcode": unit.postcode,
        "woonplaats": unit.town,
        "soort": unit.kind,
        "kaleHuur": _rent(unit.bare_rent_cents),
        "bewoond": tenancy is not None,
    }
    if personal:
        body["huurovereenkomst"] = (
            None
            if tenancy is None
            else {
                "huurovereenkomstCode": tenancy.code,
                "ingangsdatum": tenancy.start_date.isoformat(),
                "taal": tenancy.language,
                "email": tenancy.email,
                "telefoon": tenancy.phone,
                "huurders": [tenant.name for tenant in tenants],
            }
        )
    return body


def complex_json(complex_: Complex, units: list[dict[str, Any]]) -> dict[str, Any]:
    return {"clusterCode": complex_.code, "clusterNaam": complex_.name, UNITS: units}
