"""Words shown for statuses, notices and errors (translated when shown)."""

from __future__ import annotations

from consent.i18n import LazyString, lazy_gettext

STATUS: dict[str, LazyString] = {
    "draft": lazy_gettext("Concept"),
    "collecting": lazy_gettext("Steun verzamelen"),
    "submitted": lazy_gettext("Ingediend, wacht op antwoord"),
    "more_info_needed": lazy_gettext("Meer informatie nodig"),
    "accepted": lazy_gettext("Aangenomen"),
    "rejected": lazy_gettext("Afgewezen"),
}

NOTICES: dict[str, LazyString] = {
    "created": lazy_gettext("Uw initiatief is bewaard als concept."),
    "signed": lazy_gettext("Dank u wel. Uw steun is geteld."),
    "already": lazy_gettext("Uw huishouden steunt dit initiatief al. Eén keer tekenen is genoeg."),
    "opened": lazy_gettext("Uw buren kunnen nu tekenen."),
    "submitted": lazy_gettext("Het initiatief is ingediend bij de woningcorporatie."),
    "info": lazy_gettext("Uw antwoord is verstuurd. De klok loopt weer."),
    "file": lazy_gettext("Het bestand is toegevoegd."),
    "answered": lazy_gettext("Het antwoord is bewaard en verstuurd."),
}

ERRORS: dict[str, LazyString] = {
    "state": lazy_gettext("Dit kan nu niet meer. Kijk naar de status hieronder."),
    "closed": lazy_gettext("U kunt dit initiatief niet (meer) steunen."),
    "not_allowed": lazy_gettext("Alleen huurders uit dit complex kunnen tekenen."),
    "reasons": lazy_gettext("Schrijf de redenen op"),
    "text": lazy_gettext("Schrijf uw antwoord op"),
    "decision": lazy_gettext("Kies een antwoord"),
    "type": lazy_gettext("Kies een foto (JPG of PNG) of een PDF"),
    "too_large": lazy_gettext("Het bestand is te groot. Het mag hoogstens 10 MB zijn."),
    "empty": lazy_gettext("Kies een bestand"),
    "count": lazy_gettext("Er zijn al 10 bestanden. Meer kan niet."),
}


def status(value: str) -> str:
    return str(STATUS.get(value, value))
