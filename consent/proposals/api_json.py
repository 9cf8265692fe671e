"""JSON in and out for the proposals API (field names as in the issue and OpenAPI)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from consent.api.auth import ApiError
from consent.proposals import service
from consent.proposals.inputs import (
    MAX_CODE,
    MAX_DESCRIPTION,
    TEXT_FIELDS,
    MeasureInput,
    ProposalInput,
    max_length,
)
from consent.proposals.models import Proposal
from consent.proposals.tally import Figure, Tally
from consent.timeutil import parse_instant
from consent.web import text_error


def _instant(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def proposal_json(session: Session, proposal: Proposal) -> dict[str, Any]:
    pid = proposal.id or 0
    body: dict[str, Any] = {
        "id": pid,
        "complex": service.complex_of(session, proposal).code,
        "status": proposal.status,
        "counting_rule": proposal.counting_rule,
    }
    body |= {name: getattr(proposal, name) for name in TEXT_FIELDS}
    body |= {
        "opens_at": _instant(proposal.opens_at),
        "closes_at": _instant(proposal.closes_at),
        "planned_start": _day(proposal.planned_start),
        "planned_end": _day(proposal.planned_end),
        "working_days": proposal.working_days,
        "stay_home": proposal.stay_home,
        "moving_allowance_cents": proposal.moving_allowance_cents,
        "energy_change_cents": proposal.energy_change_cents,
        "measures": [
            {
                "category": m.category,
                "tag": m.tag,
                "description": m.description,
                "rent_increase_cents": m.rent_increase_cents,
            }
            for m in service.measures_of(session, pid)
        ],
        "rent_changes": [
            {"unit_kind": r.unit_kind, "monthly_change_cents": r.monthly_change_cents}
            for r in service.rent_changes_of(session, pid)
        ],
        "consultation_started_at": _instant(proposal.consultation_started_at),
        "consultation_skipped_at": _instant(proposal.consultation_skipped_at),
        "opened_at": _instant(proposal.opened_at),
        "closed_at": _instant(proposal.closed_at),
        "decided_at": _instant(proposal.decided_at),
        "reached": proposal.reached,
        "created_at": _instant(proposal.created_at),
    }
    return body


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "percent_agree": _percent(figure.percent_agree),
        "reached": figure.reached,
        "votes_needed": figure.votes_needed,
    }


def tally_json(proposal: Proposal, tally: Tally) -> dict[str, Any]:
    return {
        "proposal": proposal.id,
        "status": proposal.status,
        "counting_rule": tally.counting_rule.value,
        "threshold_percent": tally.threshold_percent,
        "eligible": tally.eligible,
        "excluded": tally.excluded,
        "responded": tally.responded,
        "agree": tally.agree,
        "disagree": tally.disagree,
        "non_respondents": tally.non_respondents,
        "response_rate": _percent(tally.response_rate),
        "presumption_applies": tally.presumption_applies,
        "reached": tally.reached,
        "respondents": _figure(tally.respondents),
        "statutory": _figure(tally.statutory),
    }


class _Reader:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.errors: dict[str, str] = {}

    def text(self, name: str, max_length: int | None = None) -> str:
        """The text trimmed; longer than `max_length` as sent (spaces count): an error."""
        value = self.body.get(name, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.errors[name] = "Must be a string"
            return ""
        if max_length is not None and (message := text_error(value, max_length)):
            self.errors[name] = message
        return value.strip()

    def integer(self, name: str) -> int | None:
        value = self.body.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors[name] = "Must be an integer"
            return None
        return value

    def instant(self, name: str) -> datetime | None:
        value = self.body.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return parse_instant(value)
            except ValueError:
                pass
        self.errors[name] = "Must be an ISO 8601 date and time"
        return None

    def day(self, name: str) -> date | None:
        value = self.body.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.errors[name] = "Must be an ISO 8601 date (YYYY-MM-DD)"
        return None


def parse_proposal(body: dict[str, Any]) -> ProposalInput:
    """The API body as a ProposalInput; type errors raise ApiError 400 at once."""
    r = _Reader(body)
    data = ProposalInput(complex=r.text("complex", MAX_CODE))
    for name in TEXT_FIELDS:
        setattr(data, name, r.text(name, max_length(name)))
    if body.get("counting_rule") is not None:
        data.counting_rule = r.text("counting_rule")
    data.opens_at, data.closes_at = r.instant("opens_at"), r.instant("closes_at")
    data.planned_start, data.planned_end = r.day("planned_start"), r.day("planned_end")
    data.working_days = r.integer("working_days")
    data.moving_allowance_cents = r.integer("moving_allowance_cents")
    data.energy_change_cents = r.integer("energy_change_cents")
    stay = body.get("stay_home", True)
    if not isinstance(stay, bool):
        r.errors["stay_home"] = "Must be true or false"
    data.stay_home = stay is not False
    data.measures = _measures(body.get("measures", []), r.errors)
    data.rent_changes = _rent_changes(body.get("rent_changes", []), r.errors)
    if r.errors:
        raise invalid("The proposal is not valid", r.errors)
    return data


def invalid(message: str, errors: dict[str, str]) -> ApiError:
    """422 with the shared ValidationError shape: a list of {field, message}."""
    details = [{"field": field, "message": text} for field, text in errors.items()]
    return ApiError(422, message, details)


def _measures(raw: Any, errors: dict[str, str]) -> list[MeasureInput]:
    if not isinstance(raw, list) or not all(isinstance(m, dict) for m in raw):
        errors["measures"] = "Must be a list of objects"
        return []
    found = []
    for m in raw:
        rent = m.get("rent_increase_cents", 0)
        if isinstance(rent, bool) or not isinstance(rent, int):
            errors["measures"] = "rent_increase_cents must be an integer"
            rent = 0
        texts = [m.get(name, "") for name in ("category", "tag", "description")]
        if not all(isinstance(value, str) for value in texts):
            errors["measures"] = "category, tag and description must be strings"
            continue
        category, tag, description = texts
        if len(description) > MAX_DESCRIPTION:
            errors["measures"] = f"a description has at most {MAX_DESCRIPTION} characters"
        found.append(MeasureInput(category, tag, description.strip(), rent))
    return found


def _rent_changes(raw: Any, errors: dict[str, str]) -> dict[str, int]:
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        errors["rent_changes"] = "Must be a list of objects"
        return {}
    found = {}
    for r in raw:
        cents = r.get("monthly_change_cents")
        if isinstance(cents, bool) or not isinstance(cents, int):
            errors["rent_changes"] = "monthly_change_cents must be an integer"
            continue
        found[str(r.get("unit_kind", ""))] = cents
    return found
