"""Overlong text is refused, never cut: the form comes back with a message next to the field
and everything that was typed, nothing is stored, and the field's maxlength is the limit.

One case per free-text form of every domain (the vote comment and the paper forms are
tested with their own domains). The JSON API refuses overlong text with 400 or 422.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy.engine import Engine

from consent.access_codes.models import Purpose
from consent.settings import Settings
from tests.security.sec_checks import browser, changed_tables, snapshot
from tests.security.sec_world import CorpWorld, code, signup_fields, token

World = CorpWorld


@dataclass(frozen=True)
class Form:
    domain: str
    page: Callable[[World], str]  # where the form is shown
    action: Callable[[World], str]  # where it is sent
    name: str  # the overlong field
    limit: int
    who: str | Purpose = "staff"  # staff (the admin), a tenant code's purpose, or "public"
    fields: Callable[[World], dict[str, str]] = field(default=lambda w: {})


FORMS = [
    Form("moving", lambda w: f"/medewerkers/verhuizen/{w.signup_id}",
         lambda w: f"/medewerkers/verhuizen/{w.signup_id}/notitie", "body", 4000),
    Form("moving", lambda w: "/medewerkers/verhuizen/regelingen/nieuw",
         lambda w: "/medewerkers/verhuizen/regelingen/nieuw", "description", 4000,
         fields=lambda w: {"kind": "step_free", "name": "Doorstromen"}),
    Form("moving", lambda w: f"/verhuizen/aanmelden/{w.slug}",
         lambda w: f"/verhuizen/aanmelden/{w.slug}", "care_needs", 2000, who="public",
         fields=lambda w: signup_fields(street_address="Lindelaan 1", postcode="3521 KL",
                                        town="Utrecht", care_consent="1")),
    Form("rent_reductions", lambda w: f"/medewerkers/huurverlaging/{w.rr_request_id}",
         lambda w: f"/medewerkers/huurverlaging/{w.rr_request_id}/informatie", "question", 4000),
    Form("initiatives", lambda w: f"/initiatieven/complex/{w.complex_id}/nieuw",
         lambda w: f"/initiatieven/complex/{w.complex_id}/nieuw", "title", 200,
         who=Purpose.INITIATIVE,
         fields=lambda w: {"measures": "solar_panels", "reason": "Koud", "scope": "complex"}),
    Form("code_requests", lambda w: "/code-aanvragen", lambda w: "/code-aanvragen",
         "addition", 20, who="public",
         fields=lambda w: {"postcode": "3521 KL", "number": "1", "purpose": "initiative"}),
    Form("accounts", lambda w: "/medewerkers/account", lambda w: "/medewerkers/account/wachtwoord",
         "new_password", 500,
         fields=lambda w: {"current_password": "correct horse battery staple"}),
    Form("proposals", lambda w: "/medewerkers/voorstellen/nieuw",
         lambda w: "/medewerkers/voorstellen/nieuw", "summary", 10_000,
         fields=lambda w: {"complex": w.complex_code, "title": "Dak", "counting_rule": "respondents",
                           "opens_at": "2030-01-01T10:00", "closes_at": "2030-02-01T10:00"}),
    Form("proposals", lambda w: f"/medewerkers/voorstellen/{w.draft_proposal_id}",
         lambda w: f"/medewerkers/voorstellen/{w.draft_proposal_id}/vragen", "question", 500,
         fields=lambda w: {"answer": "Ja.", "question_language": "nl"}),
    Form("proposals", lambda w: f"/medewerkers/voorstellen/{w.draft_proposal_id}/vertaling/en",
         lambda w: f"/medewerkers/voorstellen/{w.draft_proposal_id}/vertaling/en", "title", 200,
         fields=lambda w: {"summary": "Roof"}),
]  # fmt: skip


def client_for(make_client: Any, engine: Engine, settings: Settings, world: World, who: Any) -> Any:
    if who == "staff":
        return browser(make_client, world.admin_email)
    client = browser(make_client)
    if isinstance(who, Purpose):
        assert (
            client.submit("/code", {"code": code(engine, settings, world, who)}).status_code == 303
        )
        client._csrf = None
    return client


def entered(response: Any, name: str) -> tuple[str, str | None]:
    """The value the form shows for field `name`, and its maxlength."""
    page = BeautifulSoup(response.text, "html.parser")
    found = page.find(["input", "textarea"], attrs={"name": name})
    assert found is not None, name
    value = found.get("value", "") if found.name == "input" else found.get_text()
    return value, found.get("maxlength")


def error_of(response: Any, name: str) -> str:
    found = BeautifulSoup(response.text, "html.parser").find(id=f"{name}-error")
    return found.get_text(" ", strip=True) if found else ""


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f"{f.domain}-{f.name}")
def test_an_overlong_field_is_refused_whole_and_nothing_is_stored(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld, form: Form
) -> None:
    client = client_for(make_client, engine, settings, corp_a, form.who)
    page = client.get(form.page(corp_a))
    assert page.status_code == 200
    assert entered(page, form.name)[1] == str(form.limit)  # the browser stops at the limit
    typed = "Een lange tekst.\n" * (form.limit // 17) + "x" * (form.limit % 17 + 1)
    before = snapshot(engine)
    response = client.submit(form.action(corp_a), form.fields(corp_a) | {form.name: typed})
    assert response.status_code == 400
    limit, count = f"{form.limit:,}".replace(",", "."), f"{form.limit + 1:,}".replace(",", ".")
    assert error_of(response, form.name) == (
        f"Fout: Deze tekst is te lang. Gebruik maximaal {limit} tekens; u gebruikte er {count}."
    )
    summary = BeautifulSoup(response.text, "html.parser").select_one(".error-summary")
    assert summary is not None and summary.find("a", href=f"#{form.name}") is not None
    if form.name != "new_password":  # a password is never shown again
        assert entered(response, form.name)[0].replace("\r\n", "\n") == typed
    assert changed_tables(before, snapshot(engine)) == []
    at_limit = client.submit(form.action(corp_a), form.fields(corp_a) | {form.name: typed[:-1]})
    assert "te lang" not in error_of(at_limit, form.name)


def test_line_breaks_count_once_as_the_browser_counts_them(
    app: Any, engine: Engine, make_client: Any, corp_a: CorpWorld
) -> None:
    """A browser sends a textarea's line breaks as CR LF but counts them as one character."""
    staff = browser(make_client, corp_a.admin_email)
    note = "regel\r\n" * 666 + "eind"  # 4000 characters as the browser counts them
    response = staff.submit(f"/medewerkers/verhuizen/{corp_a.signup_id}/notitie", {"body": note})
    assert response.status_code == 303


def test_a_nul_character_is_refused_with_a_message(
    app: Any, engine: Engine, make_client: Any, corp_a: CorpWorld
) -> None:
    """PostgreSQL cannot store NUL in text: it is refused before it reaches the database."""
    staff = browser(make_client, corp_a.admin_email)
    before = snapshot(engine)
    url = f"/medewerkers/verhuizen/{corp_a.signup_id}/notitie"
    response = staff.submit(url, {"body": "Gebeld\x00"})
    assert response.status_code == 400
    assert "Deze tekst bevat een teken dat niet is toegestaan" in error_of(response, "body")
    assert changed_tables(before, snapshot(engine)) == []


API = [
    ("housing", "/api/v1/complexes", 422,
     lambda w: {"clusterCode": "C-lang", "clusterNaam": "n" * 201, "eenheden": [
         {"eenheidCode": "E-lang-1", "straatnaam": "Lindelaan", "huisnummer": 1,
          "postcode": "3521 KL", "woonplaats": "Utrecht", "soort": "sociale_huur"}]}),
    ("proposals", "/api/v1/proposals", 422,
     lambda w: {"complex": w.complex_code, "title": "t" * 201, "summary": "s",
                "opens_at": "2030-01-01T10:00:00Z", "closes_at": "2030-02-01T10:00:00Z"}),
    ("proposals", "/api/v1/proposals/{draft}/exclusions", 422,
     lambda w: {"unit": "E-1", "reason": "r" * 501}),
    ("initiatives", "/api/v1/initiatives/{initiative}/answer", 400,
     lambda w: {"decision": "more_info", "reasons": "r" * 4001}),
    ("proposals", "/api/v1/proposals", 422,
     lambda w: {"complex": w.complex_code, "title": "Dak\x00", "summary": "s",
                "opens_at": "2030-01-01T10:00:00Z", "closes_at": "2030-02-01T10:00:00Z"}),
]  # fmt: skip


@pytest.mark.parametrize(("domain", "path", "status", "body"), API, ids=[a[0] for a in API])
def test_the_api_refuses_overlong_text(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld,
    domain: str, path: str, status: int, body: Callable[[World], dict[str, Any]],
) -> None:  # fmt: skip
    client = browser(make_client)
    headers = token(engine, settings, corp_a.admin_email) | {"content-type": "application/json"}
    url = path.format(draft=corp_a.draft_proposal_id, initiative=corp_a.initiative_id)
    before = snapshot(engine)
    response = client.post(url, content=json.dumps(body(corp_a)), headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["error"]
    assert changed_tables(before, snapshot(engine)) == []
