"""Parsing and checking the register rows (IMPORT-FORMAT.md): pure, no database.

The CSV import and the JSON API both check their rows here, so a unit is refused for the
same reasons whichever way it arrives.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from consent.housing.models import LANGUAGES, UnitKind
from consent.security import CONTROL_CHARS

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
DIGITS = re.compile(r"^[0-9]{1,5}$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
LIMITS = {"clusterNaam": 200, "straatnaam": 200, "woonplaats": 100, "huurders": 1000,
          "email": 200, "telefoon": 40, "huisletter": 5, "huisnummerToevoeging": 20}  # fmt: skip
NAME_LIMIT = 200  # one tenant's name (Tenant.name)
NO_TENANCY_KINDS = {UnitKind.SOLD.value, UnitKind.COMMERCIAL.value}
KINDS = tuple(kind.value for kind in UnitKind)

Problem = tuple[str, str]  # (column, message)


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str
    problems: tuple[Problem, ...] = ()


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


def _rent(raw: str) -> int | None:
    """Cents from '612.50'; None when it is not an amount (at most two decimals)."""
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        return None
    exponent = amount.as_tuple().exponent
    if not amount.is_finite() or not isinstance(exponent, int) or exponent < -2:
        return None
    if amount < 0 or amount > 100000 or "e" in raw.lower():
        return None
    return int(amount * 100)


def _tenancy(value: dict[str, str], problems: list[Problem]) -> tuple[date | None, tuple[str, ...]]:
    start: date | None = None
    if value["soort"] in NO_TENANCY_KINDS:
        problems.append(("huurovereenkomstCode", f"a {value['soort']} unit cannot have a tenancy"))
    try:
        if not ISO_DATE.match(value["ingangsdatum"]):
            raise ValueError
        start = date.fromisoformat(value["ingangsdatum"])
    except ValueError:
        message = f"ingangsdatum {value['ingangsdatum']!r} is not a date (YYYY-MM-DD)"
        problems.append(("ingangsdatum", message))
    names = value["huurders"].split("|")
    tenants = tuple(name.strip() for name in names if name.strip())
    if not tenants:
        problems.append(("huurders", "huurders is empty for a tenancy"))
    if any(len(name) > NAME_LIMIT for name in names):
        problems.append(("huurders", f"a name in huurders is longer than {NAME_LIMIT} characters"))
    return start, tenants


def check_record(
    line: int, raw: Mapping[str, str | None]
) -> tuple[RegisterRow | None, list[Problem]]:
    """One unit's fields checked on their own; the row, or None and what is wrong."""
    problems: list[Problem] = []
    value = {key: (raw.get(key) or "").strip() for key in COLUMNS}
    for key in REQUIRED:
        if not value[key]:
            problems.append((key, f"{key} is empty"))
    for key, limit in LIMITS.items():  # spaces around a value count: the limit is on what is sent
        if len(raw.get(key) or "") > limit:
            problems.append((key, f"{key} is longer than {limit} characters"))
    for key in COLUMNS:
        if CONTROL_CHARS.search(value[key]):
            problems.append((key, f"{key} has a control character (a tab, line break or NUL)"))
    for key in ("clusterCode", "eenheidCode", "huurovereenkomstCode"):
        if value[key] and not CODE.match(value[key]):
            message = (
                f"{key} {value[key][:60]!r} is not a code (letters, digits, . _ / -; at most 60)"
            )
            problems.append((key, message))
    number = 0
    if value["huisnummer"]:
        if DIGITS.match(value["huisnummer"]) and int(value["huisnummer"]) > 0:
            number = int(value["huisnummer"])
        else:
            problems.append(
                ("huisnummer", f"huisnummer {value['huisnummer'][:20]!r} is not a number")
            )
    postcode = ""
    if value["postcode"]:
        match = POSTCODE.match(value["postcode"].upper())
        if match:
            postcode = f"{match.group(1)} {match.group(2)}"
        else:
            message = f"postcode {value['postcode'][:20]!r} is not a Dutch postcode (1234 AB)"
            problems.append(("postcode", message))
    if value["soort"] and value["soort"] not in KINDS:
        message = f"soort {value['soort'][:40]!r} is not one of {', '.join(sorted(KINDS))}"
        problems.append(("soort", message))
    tenancy = value["huurovereenkomstCode"]
    start: date | None = None
    tenants: tuple[str, ...] = ()
    if tenancy:
        start, tenants = _tenancy(value, problems)
    elif value["huurders"] or value["ingangsdatum"]:
        message = "huurders or ingangsdatum given without huurovereenkomstCode"
        problems.append(("huurovereenkomstCode", message))
    language = value["taal"].lower() or "nl"
    if language not in LANGUAGES:
        problems.append(
            ("taal", f"taal {value['taal'][:10]!r} is not one of {', '.join(LANGUAGES)}")
        )
    if value["email"] and not EMAIL.match(value["email"]):
        problems.append(("email", f"email {value['email'][:200]!r} is not an email address"))
    rent = _rent(value["kaleHuur"]) if value["kaleHuur"] else None
    if value["kaleHuur"] and rent is None:
        message = f"kaleHuur {value['kaleHuur'][:20]!r} is not an amount like 612.50"
        problems.append(("kaleHuur", message))
    if problems:
        return None, problems
    row = RegisterRow(
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
    return row, []


def check_records(
    records: Iterable[tuple[int, Mapping[str, str | None], list[Problem]]],
) -> tuple[list[RegisterRow], list[RowError]]:
    """Every record checked, and codes checked across records (line, fields, problems so far)."""
    rows: list[RegisterRow] = []
    errors: list[RowError] = []
    units: dict[str, int] = {}
    tenancies: dict[str, int] = {}
    complex_names: dict[str, str] = {}
    for line, raw, earlier in records:
        row, found = check_record(line, raw)
        problems = [*earlier, *found]
        if row is not None:
            if row.unit_code in units:
                message = f"eenheidCode {row.unit_code} is also on line {units[row.unit_code]}"
                problems.append(("eenheidCode", message))
            if row.tenancy_code in tenancies:
                message = (
                    f"huurovereenkomstCode {row.tenancy_code} is also on line "
                    f"{tenancies[row.tenancy_code]}"
                )
                problems.append(("huurovereenkomstCode", message))
            if complex_names.setdefault(row.complex_code, row.complex_name) != row.complex_name:
                message = f"clusterNaam differs from earlier rows of {row.complex_code}"
                problems.append(("clusterNaam", message))
            units.setdefault(row.unit_code, line)
            if row.tenancy_code:
                tenancies.setdefault(row.tenancy_code, line)
        if problems:
            errors.append(RowError(line, "; ".join(m for _, m in problems), tuple(problems)))
        elif row is not None:
            rows.append(row)
    return rows, errors


def _header_error(header: list[str]) -> RowError | None:
    missing = [column for column in REQUIRED if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    doubled = sorted({column for column in header if header.count(column) > 1})
    parts = []
    if missing:
        parts.append(f"missing columns: {', '.join(missing)}")
    if unknown:
        parts.append(f"unknown columns: {', '.join(c[:40] for c in unknown)}")
    if doubled:
        parts.append(f"columns given twice: {', '.join(doubled)}")
    return RowError(1, "; ".join(parts)) if parts else None


def parse(text: str) -> tuple[list[RegisterRow], list[RowError]]:
    """Every row checked; the file is usable only when the error list is empty."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
    except csv.Error as exc:
        return [], [RowError(1, f"the CSV cannot be read: {exc}")]
    header_error = _header_error(header)
    if header_error:
        return [], [header_error]
    unreadable: list[RowError] = []

    def records() -> Iterable[tuple[int, Mapping[str, str | None], list[Problem]]]:
        # A quoted field may span lines: a row is reported by the line it starts on.
        start = reader.line_num + 1
        try:
            for fields in reader:
                line, start = start, reader.line_num + 1
                if not fields:
                    continue  # a blank line
                extra: list[Problem] = []
                if len(fields) > len(header):
                    extra.append(("", "the row has more fields than the header"))
                yield line, dict(zip(header, fields, strict=False)), extra
        except csv.Error as exc:
            unreadable.append(RowError(start, f"the CSV cannot be read: {exc}"))

    rows, errors = check_records(records())
    errors.extend(unreadable)
    if not rows and not errors:
        errors.append(RowError(1, "the file has no rows"))
    return rows, errors
