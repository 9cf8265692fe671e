"""Plain-Dutch labels for the choices in a sign-up and the caseload (translated when shown)."""

from __future__ import annotations

from consent.i18n import LazyString, lazy_gettext
from consent.moving.rules import ProgrammeKind, Status, TransitionError

PROGRAMME_KINDS: dict[str, LazyString] = {
    ProgrammeKind.MID_RENT: lazy_gettext("Verhuizen naar een huurwoning in de middenhuur"),
    ProgrammeKind.BUYING: lazy_gettext("Een huis kopen"),
    ProgrammeKind.STEP_FREE: lazy_gettext("Verhuizen naar een woning zonder trap"),
    ProgrammeKind.CLUSTERED: lazy_gettext("Wonen in een complex met andere ouderen"),
    ProgrammeKind.CARE: lazy_gettext("Verhuizen naar een woning met zorg dichtbij"),
}
AGE_BANDS: dict[str, LazyString] = {
    "under_55": lazy_gettext("Jonger dan 55 jaar"),
    "55_64": lazy_gettext("55 tot 65 jaar"),
    "65_74": lazy_gettext("65 tot 75 jaar"),
    "75_84": lazy_gettext("75 tot 85 jaar"),
    "85_plus": lazy_gettext("85 jaar of ouder"),
}
HOUSEHOLDS: dict[str, LazyString] = {
    "alone": lazy_gettext("Ik woon alleen"),
    "couple": lazy_gettext("Ik woon met mijn partner"),
    "children": lazy_gettext("Ik woon met kinderen"),
    "other": lazy_gettext("Anders"),
}
HOME_TYPES: dict[str, LazyString] = {
    "apartment": lazy_gettext("Flat of appartement"),
    "house": lazy_gettext("Eengezinswoning (een huis met een trap binnen)"),
    "ground_floor": lazy_gettext("Benedenwoning"),
    "upper": lazy_gettext("Bovenwoning of maisonnette"),
    "other": lazy_gettext("Anders"),
}
ACCESS: dict[str, LazyString] = {
    "ground": lazy_gettext("Ik hoef geen trap op: ik woon op de begane grond"),
    "lift": lazy_gettext("Er is een lift"),
    "stairs": lazy_gettext("Er is alleen een trap, geen lift"),
}
CONTACT_BY: dict[str, LazyString] = {
    "phone": lazy_gettext("Telefoon"),
    "email": lazy_gettext("E-mail"),
    "letter": lazy_gettext("Brief"),
    "visit": lazy_gettext("Iemand komt bij mij thuis"),
}
CONTACT_WHEN: dict[str, LazyString] = {
    "morning": lazy_gettext("In de ochtend"),
    "afternoon": lazy_gettext("In de middag"),
    "evening": lazy_gettext("In de avond"),
    "any": lazy_gettext("Maakt niet uit"),
}
STATUSES: dict[str, LazyString] = {
    Status.NEW: lazy_gettext("Nieuw"),
    Status.CONTACTED: lazy_gettext("Contact gehad"),
    Status.INTAKE_DONE: lazy_gettext("Intake gedaan"),
    Status.SEARCHING: lazy_gettext("Zoekt een woning"),
    Status.OFFER_MADE: lazy_gettext("Woning aangeboden"),
    Status.MOVED: lazy_gettext("Verhuisd"),
    Status.STOPPED: lazy_gettext("Gestopt"),
}
TRANSITION_ERRORS: dict[str, LazyString] = {
    TransitionError.UNKNOWN: lazy_gettext("Kies een nieuwe status."),
    TransitionError.NOT_ALLOWED: lazy_gettext(
        "Deze stap kan nu niet. Kies een van de stappen in de lijst."
    ),
    TransitionError.REASON_REQUIRED: lazy_gettext("Schrijf op waarom de begeleiding stopt."),
}


def options(labels: dict[str, LazyString]) -> list[tuple[str, str]]:
    """(value, label) pairs for the radios and select macros, in the reader's language."""
    return [(value, str(label)) for value, label in labels.items()]


ACTIONS: dict[str, LazyString] = {
    "moving.signup_created": lazy_gettext("Aangemeld"),
    "moving.status_changed": lazy_gettext("Status veranderd"),
    "moving.assigned": lazy_gettext("Makelaar gekozen"),
    "moving.next_action_set": lazy_gettext("Volgende actie gepland"),
    "moving.note_added": lazy_gettext("Notitie geschreven"),
    "moving.tenancy_linked": lazy_gettext("Huurcontract gekoppeld"),
    "moving.care_needs_erased": lazy_gettext("Informatie over zorg gewist"),
    "moving.reminder_queued": lazy_gettext("Herinnering gestuurd"),
}
