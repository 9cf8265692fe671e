"""Parsing and checking the register CSV (IMPORT-FORMAT.md): pure, no database."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from consent.housing.models import LANGUAGES, UnitKind

COLUMNS = (
    "clusterCode", "clusterNaam", "eenheidCode", "straatnaam", "huisnummer", "huisletter",
    "huisnummerToevoeging", "postcode", "woonplaats", "soort", "huurovereenkomstCode",
    "ingangsdatum", "huurders", "taal", "email", "telefoon", "kaleHuur",
)  # fmt: skip
REQUIRED = ("clusterCode", "clusterNaam", "eenheidCode", "straatnaam", "huisnummer",
            "postcode", "woonplaats", "soort")  # fmt: skip
POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,59}$")
LIMITS = {"clusterNaam": 200, "straatnaam": 200, "woonplaats": 100, "huurders": 1000,
          "email": 200, "telefoon": 40, "huisletter": 5, "huisnummerToevoeging": 20}  # fmt: skip
NO_TENANCY_KINDS = {UnitKind.SOLD.value, UnitKind.COMMERCIAL.value}


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass(frozen=True)
class RegisterRow:
    line: int
    complex_code: str
    complex_name: str
    unit_code: str
    street: str
    number: int
    letter: str
    addition: str
    postcode: str
    town: str
    kind: str
    tenancy_code: str
    start_date: date | None
    tenants: tuple[str, ...]
    language: str
    email: str
    phone: str
    bare_rent_cents: int | None


def decode(data: bytes) -> str:
    """UTF-8 with an optional BOM; anything else is refused with the byte position."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the file is not UTF-8 (byte {exc.start})") from exc


def _check_row(line: int, raw: dict[str, str], problems: list[str]) -> RegisterRow | None:
    value = {key: (raw.get(key) or "").strip() for key in COLUMNS}
    for key in REQUIRED:
        if not value[key]:
            problems.append(f"{key} is empty")
    for key, limit in LIMITS.items():
        if len(value[key]) > limit:
            problems.append(f"{key} is longer than {limit} characters")
    for key in ("clusterCode", "eenheidCode", "huurovereenkomstCode"):
        if value[key] and not CODE.match(value[key]):
            problems.append(f"{key} {value[key]!r} has characters that are not allowed")
    number = 0
    if value["huisnummer"]:
        if value["huisnummer"].isdigit() and 0 < int(value["huisnummer"]) < 100000:
            number = int(value["huisnummer"])
        else:
            problems.append(f"huisnummer {value['huisnummer']!r} is not a number")
    postcode = ""
    if value["postcode"]:
        match = POSTCODE.match(value["postcode"].upper())
        if match:
            postcode = f"{match.group(1)} {match.group(2)}"
        else:
            problems.append(f"postcode {value['postcode']!r} is not a Dutch postcode (1234 AB)")
    kinds = {kind.value for kind in UnitKind}
    if value["soort"] and value["soort"] not in kinds:
        problems.append(f"soort {value['soort']!r} is not one of {', '.join(sorted(kinds))}")
    tenancy = value["huurovereenkomstCode"]
    start: date | None = None
    tenants: tuple[str, ...] = ()
    if tenancy:
        if value["soort"] in NO_TENANCY_KINDS:
            problems.append(f"a {value['soort']} unit cannot have a tenancy")
        try:
            start = date.fromisoformat(value["ingangsdatum"])
        except ValueError:
            problems.append(f"ingangsdatum {value['ingangsdatum']!r} is not a date (YYYY-MM-DD)")
        tenants = tuple(name.strip() for name in value["huurders"].split("|") if name.strip())
        if not tenants:
            problems.append("huurders is empty for a tenancy")
    elif value["huurders"] or value["ingangsdatum"]:
        problems.append("huurders or ingangsdatum given without huurovereenkomstCode")
    language = value["taal"] or "nl"
    if language not in LANGUAGES:
        problems.append(f"taal {value['taal']!r} is not one of {', '.join(LANGUAGES)}")
    if value["email"] and not EMAIL.match(value["email"]):
        problems.append(f"email {value['email']!r} is not an email address")
    rent: int | None = None
    if value["kaleHuur"]:
        try:
            amount = Decimal(value["kaleHuur"])
            if amount < 0 or amount > 100000 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
                raise InvalidOperation
            rent = int(amount * 100)
        except InvalidOperation:
            problems.append(f"kaleHuur {value['kaleHuur']!r} is not an amount like 612.50")
    if problems:
        return None
    return RegisterRow(
        line=line,
        complex_code=value["clusterCode"],
        complex_name=value["clusterNaam"],
        unit_code=value["eenheidCode"],
        street=value["straatnaam"],
        number=number,
        letter=value["huisletter"],
        addition=value["huisnummerToevoeging"],
        postcode=postcode,
        town=value["woonplaats"],
        kind=value["soort"],
        tenancy_code=tenancy,
        start_date=start,
        tenants=tenants,
        language=language,
        email=value["email"],
        phone=value["telefoon"],
        bare_rent_cents=rent,
    )


def parse(text: str) -> tuple[list[RegisterRow], list[RowError]]:
    """Every row checked; the file is usable only when the error list is empty."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing columns: {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown columns: {', '.join(unknown)}")
        return [], [RowError(1, "; ".join(parts))]
    rows: list[RegisterRow] = []
    errors: list[RowError] = []
    units: dict[str, int] = {}
    tenancies: dict[str, int] = {}
    complex_names: dict[str, str] = {}
    try:
        for raw in reader:
            line = reader.line_num
            problems: list[str] = []
            if None in raw:
                problems.append("the row has more fields than the header")
            row = _check_row(line, raw, problems)
            if row is not None:
                if row.unit_code in units:
                    problems.append(
                        f"eenheidCode {row.unit_code} is also on line {units[row.unit_code]}"
                    )
                if row.tenancy_code and row.tenancy_code in tenancies:
                    problems.append(
                        f"huurovereenkomstCode {row.tenancy_code} is also on line "
                        f"{tenancies[row.tenancy_code]}"
                    )
                name = complex_names.setdefault(row.complex_code, row.complex_name)
                if name != row.complex_name:
                    problems.append(f"clusterNaam differs from earlier rows of {row.complex_code}")
                units.setdefault(row.unit_code, line)
                if row.tenancy_code:
                    tenancies.setdefault(row.tenancy_code, line)
            if problems:
                errors.append(RowError(line, "; ".join(problems)))
            elif row is not None:
                rows.append(row)
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, f"the CSV cannot be read: {exc}"))
    if not rows and not errors:
        errors.append(RowError(1, "the file has no rows"))
    return rows, errors
