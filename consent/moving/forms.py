"""Parse and check the sign-up and programme forms: values in, (data, errors) out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from consent.i18n import LANGUAGES
from consent.i18n import gettext as _
from consent.moving import labels
from consent.moving.rules import ProgrammeKind, parse_euros
from consent.web import text

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
POSTCODE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})$")
WISHES = ("wish_step_free", "wish_near_shops", "wish_near_care", "wish_clustered")


@dataclass
class SignupInput:
    programme_kind: str
    age_band: str
    household: str
    persons: int
    home_type: str
    floor: int
    rooms: int
    access: str
    contact_by: str
    contact_when: str
    current_rent_cents: int | None = None
    wish_rooms: int | None = None
    wish_area: str = ""
    wishes: dict[str, bool] = field(default_factory=dict)
    budget_cents: int | None = None
    languages: list[str] = field(default_factory=list)
    languages_other: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    street_address: str = ""
    postcode: str = ""
    town: str = ""
    care_needs: str = ""
    care_consent: bool = False


class _Reader:
    def __init__(self, form: FormData) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def text(self, name: str, max_length: int) -> str:
        return text(self.form, name, max_length, self.errors)

    def choice(self, name: str, allowed: dict[str, Any], message: str) -> str:
        value = self.text(name, 40)
        if value not in allowed:
            self.errors[name] = message
        return value

    def number(
        self, name: str, low: int, high: int, message: str, required: bool = True
    ) -> int | None:
        raw = self.text(name, 10)
        if not raw and not required:
            return None
        if not raw.isdigit() or not low <= int(raw) <= high:
            self.errors[name] = message
            return None
        return int(raw)

    def euros(self, name: str, message: str) -> int | None:
        try:
            cents = parse_euros(self.text(name, 30))
        except ValueError:
            self.errors[name] = message
            return None
        if cents is not None and cents > 100_000_000:
            self.errors[name] = message
            return None
        return cents

    def ticked(self, name: str) -> bool:
        return self.form.get(name) in ("1", "on", "true")


def parse_signup(form: FormData, *, open_signup: bool) -> tuple[SignupInput | None, dict[str, str]]:
    """The sign-up as entered, or the errors per field (the form's ids)."""
    r = _Reader(form)
    data = SignupInput(
        programme_kind=r.choice("programme_kind", labels.PROGRAMME_KINDS, _("Kies wat u zoekt")),
        age_band=r.choice("age_band", labels.AGE_BANDS, _("Kies uw leeftijd")),
        household=r.choice("household", labels.HOUSEHOLDS, _("Kies met wie u woont")),
        persons=r.number("persons", 1, 20, _("Vul in met hoeveel mensen u woont, als getal")) or 1,
        home_type=r.choice("home_type", labels.HOME_TYPES, _("Kies wat voor woning u nu heeft")),
        floor=r.number("floor", 0, 60, _("Vul de verdieping in als getal. De begane grond is 0.")) or 0,
        rooms=r.number("rooms", 1, 20, _("Vul het aantal kamers in als getal")) or 0,
        access=r.choice("access", labels.ACCESS, _("Kies of er een trap of een lift is")),
        current_rent_cents=r.euros("current_rent", _("Vul de huur in als bedrag, bijvoorbeeld 650,00")),
        wish_rooms=r.number("wish_rooms", 1, 20, _("Vul het aantal kamers in als getal"), required=False),
        wish_area=r.text("wish_area", 200),
        wishes={name: r.ticked(name) for name in WISHES},
        budget_cents=r.euros("budget", _("Vul het bedrag in, bijvoorbeeld 750,00")),
        contact_by=r.choice("contact_by", labels.CONTACT_BY, _("Kies hoe wij contact met u opnemen")),
        contact_when=r.choice("contact_when", labels.CONTACT_WHEN, _("Kies wanneer wij u het best kunnen bereiken")),
        languages=[code for code in LANGUAGES if r.ticked(f"lang_{code}")],
        languages_other=r.text("languages_other", 200),
        contact_name=r.text("contact_name", 200),
        email=r.text("email", 200).lower(),
        phone=r.text("phone", 40),
        care_needs=r.text("care_needs", 2000),
        care_consent=r.ticked("care_consent"),
    )  # fmt: skip
    _check_contact(r, data, open_signup)
    if data.care_needs and not data.care_consent:
        r.errors["care_consent"] = _(
            "U schreef iets over zorg of een beperking. Geef toestemming, of maak het veld leeg."
        )
    return (None, r.errors) if r.errors else (data, {})


def _check_contact(r: _Reader, data: SignupInput, open_signup: bool) -> None:
    if data.email and not EMAIL.match(data.email):
        r.errors["email"] = _(
            "Dit e-mailadres klopt niet. Een e-mailadres ziet er zo uit: naam@voorbeeld.nl"
        )
    elif data.contact_by == "email" and not data.email:
        r.errors["email"] = _("Vul uw e-mailadres in, of kies een andere manier van contact")
    if data.contact_by == "phone" and not data.phone:
        r.errors["phone"] = _("Vul uw telefoonnummer in, of kies een andere manier van contact")
    if not open_signup:
        return
    if not data.contact_name:
        r.errors["contact_name"] = _("Vul uw naam in")
    data.street_address = r.text("street_address", 200)
    data.town = r.text("town", 100)
    postcode = POSTCODE.match(r.text("postcode", 10))
    data.postcode = f"{postcode.group(1)} {postcode.group(2).upper()}" if postcode else ""
    if not data.street_address:
        r.errors["street_address"] = _("Vul uw straat en huisnummer in")
    if not postcode:
        r.errors["postcode"] = _("Vul uw postcode in, bijvoorbeeld 1234 AB")
    if not data.town:
        r.errors["town"] = _("Vul uw woonplaats in")
    if not data.email and not data.phone:
        r.errors.setdefault("phone", _("Vul een telefoonnummer of e-mailadres in"))


@dataclass
class ProgrammeInput:
    kind: str
    name: str
    description: str
    priority_65_step_free: bool
    keep_old_rent: bool
    moving_allowance_cents: int | None
    phased_rent_years: int | None
    phased_rent_threshold_cents: int | None
    active: bool


def parse_programme(form: FormData) -> tuple[ProgrammeInput | None, dict[str, str]]:
    r = _Reader(form)
    kinds = {kind.value: kind for kind in ProgrammeKind}
    data = ProgrammeInput(
        kind=r.choice("kind", kinds, _("Kies voor welke verhuizing de regeling is")),
        name=r.text("name", 200),
        description=r.text("description", 4000),
        priority_65_step_free=r.ticked("priority_65_step_free"),
        keep_old_rent=r.ticked("keep_old_rent"),
        moving_allowance_cents=r.euros("moving_allowance", _("Vul het bedrag in, bijvoorbeeld 1.000,00")),
        phased_rent_years=r.number("phased_rent_years", 1, 10, _("Vul een aantal jaren in van 1 tot en met 10"), required=False),
        phased_rent_threshold_cents=r.euros("phased_rent_threshold", _("Vul het bedrag in, bijvoorbeeld 50,00")),
        active=r.ticked("active"),
    )  # fmt: skip
    if not data.name:
        r.errors["name"] = _("Vul een naam in")
    half_phased = (data.phased_rent_years is None) != (data.phased_rent_threshold_cents is None)
    if half_phased and not {"phased_rent_years", "phased_rent_threshold"} & r.errors.keys():
        r.errors["phased_rent_threshold"] = _(
            "Vul voor huurgewenning allebei in: het aantal jaren en het bedrag"
        )
    return (None, r.errors) if r.errors else (data, {})


_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def parse_day(entered: str) -> date | None:
    """A date typed as 2026-03-15 (the date field) or 15-03-2026; ValueError otherwise."""
    entered = entered.strip()
    if not entered:
        return None
    match = _DAY.match(entered)
    if match:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    return date.fromisoformat(entered)
