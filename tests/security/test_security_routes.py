"""Every route, read from the routing table: classified, CSRF-protected, signed-in, corporation-scoped.

Each test walks all routes of one kind and collects every failure, so one run lists
every route that breaks a rule (not only the first).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from consent.app import create_app
from consent.audit.models import AuditEvent
from consent.db import new_session
from consent.rent_reductions import registry
from consent.settings import Settings
from tests.security.sec_checks import (
    API_BODIES,
    browser,
    changed_tables,
    form_for,
    names_objects,
    snapshot,
    url_for,
)
from tests.security.sec_routes import API, PUBLIC, ROUTE_KINDS, STAFF, TENANT, app_routes, of_kind
from tests.security.sec_world import CorpWorld

# Routes whose page for the signed-in corporation's own object is legitimately not 200
# in the fixtures' state (the check that A's ids are valid ids skips them).
OWN_OBJECT_NOT_200 = {
    "rr_letter": 404,  # there is a letter only after a decision
    "proposal_edit": 409,  # the proposal is open: its content is locked
    "staff_initiative_new": 403,  # only a committee member with a complex starts one here
    "paper_certificate": 409,  # the result certificate exists once voting is decided
}


def _bare_app() -> Any:
    return create_app(Settings(secret_key="x" * 32, database_url="sqlite://"))


def _h1(response: Any) -> str:
    h1 = BeautifulSoup(response.text, "html.parser").find("h1")
    return h1.get_text(strip=True) if h1 else ""


def _audit_rows(engine: Engine, corporation_id: int) -> int:
    with new_session(engine) as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.corporation_id == corporation_id)
            ).one()
        )


def test_every_route_is_classified() -> None:
    """A new route fails here until it is added to ROUTE_KINDS (and so to every check)."""
    routes = app_routes(_bare_app())
    names = [r.name for r in routes]
    unclassified = sorted(set(names) - set(ROUTE_KINDS))
    stale = sorted(set(ROUTE_KINDS) - set(names))
    assert not unclassified, (
        f"classify these routes in tests/security/sec_routes.py: {unclassified}"
    )
    assert not stale, f"these classified routes no longer exist: {stale}"
    duplicates = sorted({n for n in names if names.count(n) > 1})
    # One name may serve GET and POST on the same path (the API does); never two paths.
    for name in duplicates:
        assert len({r.path for r in routes if r.name == name}) == 1, name


def test_the_kinds_agree_with_the_paths() -> None:
    """Staff pages live under /medewerkers, the API under /api/v1, and nowhere else."""
    wrong = []
    for route in app_routes(_bare_app()):
        under_staff = route.path == "/medewerkers" or route.path.startswith("/medewerkers/")
        if (route.kind == STAFF) != under_staff:
            wrong.append((route.name, route.kind, route.path))
        if route.kind == API and not route.is_api:
            wrong.append((route.name, route.kind, route.path))
        if route.is_api and route.kind not in (API, PUBLIC):
            wrong.append((route.name, route.kind, route.path))
    assert not wrong


def test_state_changing_routes_refuse_a_request_without_csrf_token(
    app: Any, engine: Engine, make_client: Any, corp_a: CorpWorld, corp_b: CorpWorld
) -> None:
    routes = [r for r in app_routes(app) if r.state_changing and not r.is_api]
    assert len(routes) > 30  # the walk found the app's forms
    staff = browser(make_client, corp_a.admin_email)
    staff.csrf()  # the session has a token; the requests below leave it out
    before = snapshot(engine)
    failures = []
    for route in routes:
        url = url_for(route, corp_a)
        for label, kwargs in (
            ("no token", {"data": form_for(route)}),
            ("wrong token", {"data": form_for(route) | {"csrf_token": "x" * 43}}),
            ("wrong header", {"data": form_for(route), "headers": {"X-CSRF-Token": "x" * 43}}),
            ("json body", {"json": form_for(route)}),
        ):
            for method in sorted(route.state_changing):
                response = staff.request(method, url, follow_redirects=False, **kwargs)
                if response.status_code != 403 or _h1(response) != "Uw formulier is verlopen":
                    failures.append((route.name, method, label, response.status_code))
    assert not failures
    assert changed_tables(before, snapshot(engine)) == []


def test_a_csrf_token_of_another_session_is_refused(
    app: Any, engine: Engine, make_client: Any, corp_a: CorpWorld
) -> None:
    mine, theirs = browser(make_client, corp_a.admin_email), browser(make_client)
    url = f"/medewerkers/verhuizen/{corp_a.signup_id}/notitie"
    response = mine.post(url, data={"body": "x", "csrf_token": theirs.csrf()})
    assert response.status_code == 403 and _h1(response) == "Uw formulier is verlopen"
    accepted = mine.submit(url, {"body": "Gebeld"})
    assert accepted.status_code == 303  # the same form with its own token goes through


def test_staff_routes_send_the_signed_out_to_sign_in(
    app: Any, engine: Engine, make_client: Any, corp_a: CorpWorld
) -> None:
    anonymous = browser(make_client)
    before = snapshot(engine)
    failures = []
    for route in of_kind(app, STAFF):
        url = url_for(route, corp_a)
        responses = []
        if route.readable:
            responses.append(("GET", anonymous.get(url, follow_redirects=False)))
        for method in sorted(route.state_changing):
            responses.append((method, anonymous.submit(url, form_for(route))))
        for method, response in responses:
            target = urlsplit(response.headers.get("location", ""))
            if response.status_code != 303 or target.path != "/inloggen":
                failures.append((route.name, method, response.status_code))
            elif f"next={urlsplit(url).path}" not in target.query.replace("%2F", "/"):
                failures.append((route.name, method, "no next", target.query))
    assert not failures
    assert changed_tables(before, snapshot(engine)) == []


def test_staff_see_nothing_of_another_corporation(
    app: Any, make_client: Any, corp_a: CorpWorld, corp_b: CorpWorld
) -> None:
    """Admin of A (every role) opens every staff page with B's ids: 403 or 404, no B data."""
    staff = browser(make_client, corp_a.admin_email)
    failures = []
    readable = [r for r in of_kind(app, STAFF) if r.readable]
    for route in readable:
        own = staff.get(url_for(route, corp_a))
        expected = OWN_OBJECT_NOT_200.get(route.name, 200)
        if own.status_code != expected:
            failures.append((route.name, "own object", own.status_code))
        if corp_b.marker in own.text:
            failures.append((route.name, "B's data on A's page", own.status_code))
        if not names_objects(route):
            continue
        theirs = staff.get(url_for(route, corp_b))
        if theirs.status_code not in (403, 404) or corp_b.marker in theirs.text:
            failures.append((route.name, "B's object", theirs.status_code))
    assert not failures
    # The lists and dashboards (no ids in the path) were checked above for B's marker.
    assert any(not r.params for r in readable)


def test_staff_change_nothing_of_another_corporation(
    app: Any, engine: Engine, make_client: Any, corp_a: CorpWorld, corp_b: CorpWorld
) -> None:
    staff = browser(make_client, corp_a.admin_email)
    routes = [r for r in of_kind(app, STAFF) if r.state_changing and names_objects(r)]
    assert len(routes) > 15
    before, b_events = snapshot(engine), _audit_rows(engine, corp_b.corporation_id)
    failures = []
    for route in routes:
        response = staff.submit(url_for(route, corp_b), form_for(route))
        if response.status_code not in (403, 404) or corp_b.marker in response.text:
            failures.append((route.name, response.status_code))
    assert not failures
    assert changed_tables(before, snapshot(engine)) == []
    # The same requests on A's own objects reach the handler (so B's ids were the reason).
    for route in routes:
        response = staff.submit(url_for(route, corp_a), form_for(route))
        if response.status_code == 404:
            failures.append((route.name, "own object", response.status_code))
    assert not failures
    assert _audit_rows(engine, corp_b.corporation_id) == b_events


def test_staff_forms_do_not_reach_into_another_corporation(
    app: Any, engine: Engine, make_client: Any, corp_a: CorpWorld, corp_b: CorpWorld
) -> None:
    """Forms without ids in the path but naming B's complex or tenancy in the body."""
    staff = browser(make_client, corp_a.admin_email)
    b_events = _audit_rows(engine, corp_b.corporation_id)
    proposal = staff.submit(
        "/medewerkers/voorstellen/nieuw",
        {"complex": corp_b.complex_code, "title": "Dak", "summary": "Nieuw dak",
         "opens_at": "2030-01-01", "closes_at": "2030-02-01", "counting_rule": "respondents"},
    )  # fmt: skip
    assert proposal.status_code == 400
    assert "Dit complex bestaat niet" in proposal.text or corp_b.complex_code not in proposal.text
    code = staff.submit("/medewerkers/verhuizen/code", {"tenancy_code": "beta-HO-C-beta-0001"})
    assert code.status_code == 400
    # Switching a (nationwide) scheme off changes only the own corporation's choice.
    toggled = staff.submit("/medewerkers/huurverlaging/regelingen/huurverlaging-2024", {})
    assert toggled.status_code == 303
    with new_session(engine) as session:
        assert registry.enabled_ids(session, corp_a.corporation_id) == set()
        assert registry.enabled_ids(session, corp_b.corporation_id) == {"huurverlaging-2024"}
    assert _audit_rows(engine, corp_b.corporation_id) == b_events


def test_tenant_routes_need_a_code(
    app: Any, engine: Engine, make_client: Any, corp_a: CorpWorld
) -> None:
    anonymous = browser(make_client)
    before = snapshot(engine)
    failures = []
    for route in of_kind(app, TENANT):
        url = url_for(route, corp_a)
        responses = [("GET", anonymous.get(url, follow_redirects=False))] if route.readable else []
        responses += [(m, anonymous.submit(url, form_for(route))) for m in route.state_changing]
        for method, response in responses:
            refused = response.status_code in (403, 404) or (
                response.status_code == 303 and urlsplit(response.headers["location"]).path == "/"
            )
            if not refused or corp_a.marker in response.text:
                failures.append((route.name, method, response.status_code))
    assert not failures
    assert changed_tables(before, snapshot(engine)) == []


def test_api_routes_need_a_bearer_token(
    app: Any, engine: Engine, make_client: Any, corp_a: CorpWorld
) -> None:
    client = browser(make_client)
    failures = []
    routes = of_kind(app, API)
    assert len(routes) >= 15
    before = snapshot(engine)
    for route in routes:
        url = url_for(route, corp_a)
        for header in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}):
            for method in sorted(route.methods - {"HEAD"}):
                response = client.request(method, url, headers=header, json={})
                body = response.json()
                if (
                    response.status_code != 401
                    or "error" not in body
                    or response.headers.get("www-authenticate") != "Bearer"
                ):
                    failures.append((route.name, method, header, response.status_code))
    assert not failures
    assert changed_tables(before, snapshot(engine)) == []


def test_api_tokens_see_nothing_of_another_corporation(
    app: Any, engine: Engine, settings: Settings, make_client: Any,
    corp_a: CorpWorld, corp_b: CorpWorld,
) -> None:  # fmt: skip
    from tests.security.sec_world import token

    client = browser(make_client)
    headers = token(engine, settings, corp_a.admin_email)
    failures = []
    before, b_events = snapshot(engine), _audit_rows(engine, corp_b.corporation_id)
    for route in of_kind(app, API):
        for method in sorted(route.methods - {"HEAD"}):
            if method == "GET":
                own = client.get(url_for(route, corp_a), headers=headers)
                if own.status_code != 200 or corp_b.marker in own.text:
                    failures.append((route.name, "own", own.status_code))
            if not names_objects(route):
                continue
            body = API_BODIES.get(route.name, {})
            theirs = client.request(method, url_for(route, corp_b), headers=headers, json=body)
            if theirs.status_code != 404 or corp_b.marker in theirs.text:
                failures.append((route.name, method, theirs.status_code))
    assert not failures
    assert _audit_rows(engine, corp_b.corporation_id) == b_events
    assert not [t for t in changed_tables(before, snapshot(engine)) if t != "auditevent"]
