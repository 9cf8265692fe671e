"""Translatable labels for the proposal domain's codes (Dutch msgids, B1 level)."""

from __future__ import annotations

from consent.i18n import LazyString, lazy_gettext
from consent.measures import LABELS

STATUS: dict[str, LazyString] = {
    "draft": lazy_gettext("Concept"),
    "consultation": lazy_gettext("Overleg met de bewonerscommissie"),
    "open": lazy_gettext("Stemmen is open"),
    "closed": lazy_gettext("Stemmen is gesloten"),
    "decided": lazy_gettext("Uitslag vastgesteld"),
    "notices_sent": lazy_gettext("Brieven over de uitslag verstuurd"),
}

CATEGORY: dict[str, LazyString] = {
    "improvement": lazy_gettext("Verbetering"),
    "maintenance": lazy_gettext("Onderhoud"),
}

TAG: dict[str, LazyString] = {m.value: label for m, label in LABELS.items()}

COUNTING_RULE: dict[str, LazyString] = {
    "respondents": lazy_gettext("Alleen wie heeft gestemd telt mee"),
    "all_tenants": lazy_gettext("Alle huurders tellen mee (wettelijke telling)"),
}

CHANNEL: dict[str, LazyString] = {
    "online": lazy_gettext("Online"),
    "paper": lazy_gettext("Op papier"),
    "home_visit": lazy_gettext("Bij huisbezoek"),
}

CHOICE: dict[str, LazyString] = {
    "agree": lazy_gettext("Ik ga akkoord"),
    "disagree": lazy_gettext("Ik ga niet akkoord"),
}

EXCLUSION_REASON: dict[str, LazyString] = {
    "vacant": lazy_gettext("Leeg: er woont niemand"),
    "sold": lazy_gettext("Verkocht (koopwoning)"),
    "commercial": lazy_gettext("Bedrijfsruimte"),
    "not_social_or_mid_rent": lazy_gettext("Geen sociale huur of middenhuur"),
    "excluded": lazy_gettext("Uitgesloten door de projectleider"),
}

UNIT_KIND: dict[str, LazyString] = {
    "sociale_huur": lazy_gettext("Sociale huurwoning"),
    "middenhuur": lazy_gettext("Middenhuurwoning"),
    "vrije_sector": lazy_gettext("Vrije-sectorwoning"),
    "koop": lazy_gettext("Koopwoning"),
    "bedrijfsruimte": lazy_gettext("Bedrijfsruimte"),
}

FIELD: dict[str, LazyString] = {
    "title": lazy_gettext("Titel"),
    "summary": lazy_gettext("Korte samenvatting in eenvoudige taal"),
    "works": lazy_gettext("Wat gaat er gebeuren? De werkzaamheden"),
    "nuisance": lazy_gettext("Overlast: wat merkt de huurder van het werk?"),
    "temporary_home": lazy_gettext("De tijdelijke woning: waar, huur, grootte en inrichting"),
    "rent_justification": lazy_gettext("Uitleg over de huurverandering"),
    "energy_text": lazy_gettext("Uitleg over de energiekosten"),
    "social_plan": lazy_gettext("Sociaal plan dat voor dit voorstel geldt"),
    "lapse_statement": lazy_gettext("Wat gebeurt er als niet genoeg huurders akkoord gaan?"),
}
