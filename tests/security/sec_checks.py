"""Shared helpers for the security tests: signed-in browsers, route URLs and database snapshots."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from consent.models import load_all
from tests.factories import sign_in
from tests.security.sec_routes import AppRoute
from tests.security.sec_world import CorpWorld

# Path values that depend on the route, not on the corporation.
ROUTE_VALUES: dict[str, dict[str, str]] = {
    "initiative_action": {"action": "ondertekenen"},
    "staff_initiative_action": {"action": "informatie"},
    "rr_act": {"action": "hervatten"},
    "proposal_step": {"step": "close"},
}
# A plausible form for each state-changing route (the handler must refuse it for another
# corporation's object, whatever the body says).
FORMS: dict[str, dict[str, str]] = {
    "proposal_exclusion_add": {"unit": "x", "reason": "verkocht"},
    "proposal_question_add": {"question": "Vraag?", "answer": "Antwoord.", "language": "nl"},
    "proposal_translation": {"title": "Title", "summary": "Summary"},
    "staff_initiative_answer": {"decision": "accepted", "reasons": "Goed idee"},
    "staff_initiative_action": {"text": "Meer informatie"},
    "moving_case_status": {"status": "contacted"},
    "moving_case_assign": {"broker_id": ""},
    "moving_case_next_action": {"next_action_on": "2030-01-01", "next_action_note": "bellen"},
    "moving_case_note": {"body": "Gebeld"},
    "moving_case_link": {"tenancy_code": "x"},
    "rr_act": {},
    "tenant_vote": {"choice": "agree"},
    "rent_reduction_answer": {"answer": "Hier is het"},
}
# JSON bodies for the API's state-changing routes (valid, so the handler reaches the lookup).
API_BODIES: dict[str, dict[str, Any]] = {
    "api_proposal_exclusions": {"unit": "E-1", "reason": "verkocht"},
    "api_initiative_answer": {"decision": "more_info", "reasons": "Welk dak?"},
}
# Path parameters that name no object of a corporation (a global scheme, a step, a language).
NEUTRAL_PARAMS = {"scheme_id", "step", "lang", "action"}
# Tables whose rows change on any request (rate-limit counters).
VOLATILE_TABLES = {"throttle"}


def url_for(route: AppRoute, world: CorpWorld) -> str:
    values = world.params() | ROUTE_VALUES.get(route.name, {})
    if "object_id" in route.params:
        values["object_id"] = world.object_id_for(route.name)
    if "attachment_id" in route.params:
        values["attachment_id"] = world.attachment_for(route.name)
    return route.url(values)


def names_objects(route: AppRoute) -> bool:
    """Whether the path names an object that belongs to one corporation."""
    return bool(set(route.params) - NEUTRAL_PARAMS)


def form_for(route: AppRoute) -> dict[str, str]:
    return dict(FORMS.get(route.name, {}))


def browser(make_client: Any, email: str | None = None) -> Any:
    """A new browser; signed in as `email` when given."""
    client = make_client()
    if email:
        sign_in(client, email)
        client._csrf = None
    return client


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the rate-limit counters), to prove nothing changed."""
    tables = [t for t in load_all().sorted_tables if t.name not in VOLATILE_TABLES]
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in tables:
            rows = connection.execute(text(f'SELECT * FROM "{table.name}"')).all()
            found[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return found


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in after if before.get(name) != after[name]]
