"""The measure tags shared by renovation proposals and tenant initiatives (one list, one place).

Stored as their string values; a set of tags is kept in one text column as a
comma-separated list (`encode` / `decode`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from consent.i18n import LazyString, lazy_gettext


class Measure(StrEnum):
    FACADE = "facade"
    ROOF = "roof"
    FLOOR_INSULATION = "floor_insulation"
    GLAZING = "glazing"
    DRAUGHT_PROOFING = "draught_proofing"
    VENTILATION = "ventilation"
    HEAT_PUMP = "heat_pump"
    HYBRID_HEAT_PUMP = "hybrid_heat_pump"
    DISTRICT_HEATING = "district_heating"
    SOLAR_PANELS = "solar_panels"
    OTHER = "other"


LABELS: dict[Measure, LazyString] = {
    Measure.FACADE: lazy_gettext("Isolatie van de gevel"),
    Measure.ROOF: lazy_gettext("Isolatie van het dak"),
    Measure.FLOOR_INSULATION: lazy_gettext("Isolatie van de vloer"),
    Measure.GLAZING: lazy_gettext("Isolerend glas (dubbel glas of beter)"),
    Measure.DRAUGHT_PROOFING: lazy_gettext("Kieren en naden dichten"),
    Measure.VENTILATION: lazy_gettext("Ventilatie"),
    Measure.HEAT_PUMP: lazy_gettext("Warmtepomp"),
    Measure.HYBRID_HEAT_PUMP: lazy_gettext("Hybride warmtepomp"),
    Measure.DISTRICT_HEATING: lazy_gettext("Stadsverwarming (warmtenet)"),
    Measure.SOLAR_PANELS: lazy_gettext("Zonnepanelen"),
    Measure.OTHER: lazy_gettext("Iets anders"),
}

# Art. 7:243 BW: insulation of walls, roof and windows, and floor insulation above the
# crawl space; a tenant may ask for these offering a reasonable rent increase, and if the
# landlord refuses, the kantonrechter decides. (The boiler case of the article has no tag.)
ART_7_243 = frozenset({Measure.FACADE, Measure.ROOF, Measure.GLAZING, Measure.FLOOR_INSULATION})


def choices() -> list[tuple[str, LazyString]]:
    """(value, label) pairs in display order, for checkboxes and selects."""
    return [(measure.value, LABELS[measure]) for measure in Measure]


def parse(values: Iterable[str]) -> tuple[list[Measure], list[str]]:
    """Known tags in canonical order without duplicates, and the unknown values."""
    given = [value.strip() for value in values if value.strip()]
    known = {m.value for m in Measure}
    unknown = [value for value in given if value not in known]
    return [m for m in Measure if m.value in given], unknown


def encode(measures: Iterable[Measure | str]) -> str:
    return ",".join(str(m) for m in measures)


def decode(stored: str) -> list[Measure]:
    return parse(stored.split(","))[0]


def label(measure: Measure | str) -> str:
    return str(LABELS[Measure(measure)])


def is_art_7_243(measures: Iterable[Measure | str]) -> bool:
    """True when any measure is one a single tenant can claim under art. 7:243 BW."""
    return any(Measure(m) in ART_7_243 for m in measures)
