"""The caseload as CSV, without special-category data (care needs are never exported)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from consent.moving.models import MovingSignup
from consent.timeutil import to_local

COLUMNS = (
    "nummer", "aangemeld_op", "kanaal", "status", "reden_gestopt", "regeling", "huurcontract",
    "naam", "email", "telefoon", "adres", "postcode", "plaats", "leeftijd", "huishouden",
    "personen", "woningtype", "verdieping", "kamers", "trap_of_lift", "huur_euro",
    "wens_kamers", "wens_zonder_trap", "wens_winkels", "wens_zorg", "wens_ouderen", "wens_gebied",
    "budget_euro", "contact_via", "contact_wanneer", "talen", "talen_anders", "makelaar",
    "volgende_actie", "verhuisd_op",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """Text for one cell; text that a spreadsheet would run as a formula is defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _euros(cents: int | None) -> str:
    return "" if cents is None else f"{cents // 100}.{cents % 100:02d}"


def caseload_csv(
    rows: Iterable[MovingSignup], broker_names: dict[int, str], tenancy_codes: dict[int, str]
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for s in rows:
        record = (
            s.id, to_local(s.created_at).date().isoformat(), s.channel, s.status, s.stop_reason,
            s.programme_kind, tenancy_codes.get(s.tenancy_id or 0, ""), s.contact_name, s.email,
            s.phone, s.street_address, s.postcode, s.town, s.age_band, s.household, s.persons,
            s.home_type, s.floor, s.rooms, s.access, _euros(s.current_rent_cents), s.wish_rooms,
            s.wish_step_free, s.wish_near_shops, s.wish_near_care, s.wish_clustered, s.wish_area,
            _euros(s.budget_cents), s.contact_by, s.contact_when, s.languages, s.languages_other,
            broker_names.get(s.broker_id or 0, ""), s.next_action_on, s.moved_on,
        )  # fmt: skip
        writer.writerow([_cell(value) for value in record])
    return buffer.getvalue()
