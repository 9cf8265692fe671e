"""Plain-language explanations of eligibility reasons and request statuses."""

from __future__ import annotations

import datetime as dt

from consent.i18n import format_date, format_money, lazy_gettext
from consent.i18n import gettext as _
from consent.rent_reductions import registry
from consent.rent_reductions.eligibility import Reason
from consent.rent_reductions.models import Status
from consent.rent_reductions.schemes import Scheme

HOUSEHOLD_LABELS = {
    "single": lazy_gettext("Alleenstaand"),
    "single_pension_age": lazy_gettext("Alleenstaand, met AOW-leeftijd"),
    "multi": lazy_gettext("Twee of meer personen"),
    "multi_pension_age": lazy_gettext("Twee of meer personen, iemand met AOW-leeftijd"),
}
# The same household types as the end of a sentence: "Dat is de grens als ...".
HOUSEHOLD_CLAUSES = {
    "single": lazy_gettext("u alleen woont"),
    "single_pension_age": lazy_gettext("u alleen woont en de AOW-leeftijd heeft"),
    "multi": lazy_gettext("u met meer mensen woont"),
    "multi_pension_age": lazy_gettext("u met meer mensen woont en iemand de AOW-leeftijd heeft"),
}

STATUS_LABELS = {
    Status.DRAFT.value: lazy_gettext("Nog niet verstuurd"),
    Status.SUBMITTED.value: lazy_gettext("Ontvangen, wordt bekeken"),
    Status.MORE_INFO.value: lazy_gettext("Wij wachten op informatie van u"),
    Status.APPROVED.value: lazy_gettext("Toegekend"),
    Status.REJECTED.value: lazy_gettext("Afgewezen"),
}

PERIOD_LABELS = {
    "year": lazy_gettext("per jaar"),
    "last_6_months": lazy_gettext("in de laatste 6 maanden samen (bruto)"),
}


def day(iso: str | None) -> str:
    """An ISO date string from stored answers in the reader's format ('' when empty)."""
    if not iso:
        return ""
    try:
        return format_date(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def closed_message(scheme: Scheme) -> str:
    """Why a scheme takes no new requests: ended, or not started yet."""
    if scheme.valid_until is not None and registry.today() > scheme.valid_until:
        return _(
            "Deze regeling is gestopt. U kon tot en met %(date)s een verzoek doen. "
            "Een nieuw verzoek is niet meer mogelijk.",
            date=format_date(scheme.valid_until),
        )
    return _("Deze regeling begint op %(date)s.", date=format_date(scheme.valid_from))


def reason_text(reason: Reason, scheme: Scheme) -> str:
    """One sentence per reason, with the amounts and dates in the reader's format."""
    code = reason.code
    if code == "ok":
        return _(
            "U komt waarschijnlijk in aanmerking. Uw huur wordt dan %(rent)s per maand.",
            rent=format_money(min(reason.rent_cents or 0, scheme.reduced_rent_cents)),
        )
    if code == "scheme_closed":
        return closed_message(scheme)
    if code == "rent_not_above":
        return _(
            "Uw huur is %(rent)s. De huur moet hoger zijn dan %(limit)s.",
            rent=format_money(reason.rent_cents),
            limit=format_money(reason.rent_above_cents),
        )
    if code == "income_above_limit":
        return _(
            "Uw inkomen is %(income)s. Dat is meer dan %(limit)s. "
            "Dat is de grens als %(household)s.",
            income=format_money(reason.income_cents),
            limit=format_money(reason.limit_cents),
            household=str(HOUSEHOLD_CLAUSES[reason.household_type or "single"]),
        )
    if code == "tenancy_start_unknown":
        return _(
            "Vul in wanneer uw huurcontract begon. Het moet begonnen zijn op of voor %(date)s.",
            date=format_date(reason.tenancy_started_on_or_before),
        )
    if code == "tenancy_too_recent":
        return _(
            "Uw huurcontract begon op %(start)s. Het moet begonnen zijn op of voor %(date)s.",
            start=format_date(reason.tenancy_start),
            date=format_date(reason.tenancy_started_on_or_before),
        )
    if code == "earlier_reduction":
        names = [scheme_label(scheme_id) for scheme_id in reason.earlier_reductions]
        return _(
            "U kreeg al huurverlaging via: %(schemes)s. Dan kunt u deze niet krijgen.",
            schemes=", ".join(names),
        )
    return code


def scheme_label(scheme_id: str) -> str:
    scheme = registry.get(scheme_id)
    return registry.scheme_name(scheme) if scheme else scheme_id


def limit_rows(scheme: Scheme) -> list[tuple[str, int]]:
    """The income limits as (household label, cents) rows for a table."""
    return [
        (str(label), scheme.income_limits_cents.for_household(kind))  # type: ignore[arg-type]
        for kind, label in HOUSEHOLD_LABELS.items()
    ]


GENERIC_KIND_LABELS = {
    "payslip": lazy_gettext("Loonstrook"),
    "benefit_statement": lazy_gettext("Uitkeringsspecificatie"),
    "ib60": lazy_gettext("Inkomensverklaring van de Belastingdienst (IB60)"),
    "population_register": lazy_gettext("Uittreksel uit de Basisregistratie Personen (BRP)"),
}


def kind_label(scheme: Scheme | None, kind: str) -> str:
    """What an evidence kind is called: the scheme's own label, else a general one."""
    if scheme is not None:
        for item in scheme.evidence:
            if item.code == kind:
                return registry.evidence_label(item)
    return str(GENERIC_KIND_LABELS.get(kind, kind))
