"""What a project leader enters for a proposal, and its validation (HTML form and API).

Error keys are the HTML field names (the API uses the same names), messages are
translated Dutch sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from consent.i18n import format_money
from consent.i18n import gettext as _
from consent.proposals import rules
from consent.proposals.tally import CountingRule
from consent.web import text_error

TEXT_FIELDS = (
    "title",
    "summary",
    "works",
    "nuisance",
    "temporary_home",
    "rent_justification",
    "energy_text",
    "social_plan",
    "lapse_statement",
)
REQUIRED_TEXT = ("title", "summary")
MAX_TEXT = 10_000
MAX_TITLE = 200
MAX_DESCRIPTION = 500  # of one measure
MAX_MEASURES = 20
MAX_CODE = 60  # a complex's or a unit's code
MAX_REASON = 500  # why a unit does not vote
MAX_QUESTION = 500  # a question with its answer on the tenant's page
MAX_FILE_TITLE = 200


def max_length(name: str) -> int:
    """The most characters one of the TEXT_FIELDS may have."""
    return MAX_TITLE if name == "title" else MAX_TEXT


class InvalidInput(ValueError):
    """Input that cannot be stored; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class MeasureInput:
    category: str
    tag: str
    description: str
    rent_increase_cents: int = 0


@dataclass
class ProposalInput:
    complex: str = ""
    title: str = ""
    summary: str = ""
    works: str = ""
    nuisance: str = ""
    temporary_home: str = ""
    rent_justification: str = ""
    energy_text: str = ""
    social_plan: str = ""
    lapse_statement: str = ""
    planned_start: date | None = None
    planned_end: date | None = None
    working_days: int | None = None
    stay_home: bool = True
    moving_allowance_cents: int | None = None
    energy_change_cents: int | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    counting_rule: str = CountingRule.RESPONDENTS.value
    measures: list[MeasureInput] = field(default_factory=list)
    rent_changes: dict[str, int] = field(default_factory=dict)


def default_lapse_statement(threshold_percent: int) -> str:
    return _(
        "Dit voorstel vervalt als minder dan %(percent)s procent van de huurders akkoord gaat.",
        percent=threshold_percent,
    )


def reference_date(data: ProposalInput) -> date | None:
    """The date dated figures are read for: the planned start, else the opening date."""
    if data.planned_start is not None:
        return data.planned_start
    return data.opens_at.date() if data.opens_at is not None else None


def validate(data: ProposalInput, *, need_complex: bool = True) -> dict[str, str]:
    errors: dict[str, str] = {}
    if need_complex and not data.complex:
        errors["complex"] = _("Kies het complex")
    elif (message := text_error(data.complex, MAX_CODE)) is not None:
        errors["complex"] = message
    if not data.title:
        errors["title"] = _("Vul een titel in")
    if not data.summary:
        errors["summary"] = _("Vul een korte samenvatting in")
    for name in TEXT_FIELDS:
        message = text_error(getattr(data, name), max_length(name))
        if message is not None:
            errors[name] = message
    _validate_window(data, errors)
    _validate_planning(data, errors)
    _validate_moving(data, errors)
    _validate_measures(data, errors)
    for kind in data.rent_changes:
        if kind not in rules.RENT_KINDS:
            errors[f"rent-{kind}"] = _("Onbekende soort woning")
    return errors


def _validate_window(data: ProposalInput, errors: dict[str, str]) -> None:
    if data.opens_at is None and "opens_at" not in errors:
        errors["opens_at"] = _("Vul in wanneer het stemmen begint")
    if data.closes_at is None and "closes_at" not in errors:
        errors["closes_at"] = _("Vul in wanneer het stemmen stopt")
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        errors["closes_at"] = _("Het stemmen moet stoppen na het begin")
    if data.counting_rule not in {r.value for r in CountingRule}:
        errors["counting_rule"] = _("Kies hoe de stemmen worden geteld")


def _validate_planning(data: ProposalInput, errors: dict[str, str]) -> None:
    if data.planned_start and data.planned_end and data.planned_end < data.planned_start:
        errors["planned_end"] = _("Het einde van de werkzaamheden moet na het begin liggen")
    if data.working_days is not None and not 0 <= data.working_days <= 1000:
        errors["working_days"] = _("Vul een aantal werkdagen in tussen 0 en 1000")


def _validate_moving(data: ProposalInput, errors: dict[str, str]) -> None:
    if data.stay_home:
        return
    if not data.temporary_home:
        errors["temporary_home"] = _(
            "Beschrijf de tijdelijke woning: waar, de huur, de grootte en de inrichting"
        )
    on = reference_date(data)
    minimum = rules.moving_allowance_minimum(on) if on else None
    if data.moving_allowance_cents is None and "moving_allowance" not in errors:
        errors["moving_allowance"] = _("Vul de verhuiskostenvergoeding in")
    elif (
        data.moving_allowance_cents is not None
        and minimum is not None
        and data.moving_allowance_cents < minimum
    ):
        errors["moving_allowance"] = _(
            "De verhuiskostenvergoeding is lager dan het wettelijke minimum van %(amount)s",
            amount=format_money(minimum),
        )


def _validate_measures(data: ProposalInput, errors: dict[str, str]) -> None:
    if len(data.measures) > MAX_MEASURES:
        errors["measure-1-description"] = _("Hoogstens %(n)s maatregelen", n=MAX_MEASURES)
    categories = {c.value for c in rules.Category}
    tags = {t.value for t in rules.Tag}
    for index, measure in enumerate(data.measures, start=1):
        prefix = f"measure-{index}-"
        if measure.category not in categories:
            errors[prefix + "category"] = _("Kies verbetering of onderhoud")
        if measure.tag not in tags:
            errors[prefix + "tag"] = _("Kies het soort maatregel")
        if not measure.description:
            errors[prefix + "description"] = _("Beschrijf de maatregel")
        elif (message := text_error(measure.description, MAX_DESCRIPTION)) is not None:
            errors[prefix + "description"] = message
        if measure.rent_increase_cents < 0:
            errors[prefix + "rent"] = _("Een huurverhoging kan niet negatief zijn")
