"""The security headers are on every response: pages, errors (403, 404, 405, 500), static, API."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from consent.access_codes.models import Purpose
from consent.app import create_app
from consent.settings import Settings
from tests.conftest import Client
from tests.security.sec_checks import browser, url_for
from tests.security.sec_routes import PUBLIC, STAFF, TENANT, of_kind
from tests.security.sec_world import CorpWorld, code

REQUIRED = {
    "content-security-policy": "default-src 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=()",
    "cross-origin-opener-policy": "same-origin",
}


def missing(response: Any, *, static: bool = False) -> list[str]:
    problems = [
        name for name, part in REQUIRED.items() if part not in response.headers.get(name, "")
    ]
    csp = response.headers.get("content-security-policy", "")
    if "unsafe-inline" in csp or "unsafe-eval" in csp or "frame-ancestors 'none'" not in csp:
        problems.append("weak content-security-policy")
    if not static and response.headers.get("cache-control") != "no-store":
        problems.append("cache-control")
    return problems


def test_every_page_has_the_security_headers(
    app: Any, engine: Engine, settings: Settings, make_client: Any,
    corp_a: CorpWorld, corp_b: CorpWorld,
) -> None:  # fmt: skip
    failures = []
    staff = browser(make_client, corp_a.admin_email)
    anonymous = browser(make_client)
    tenant = browser(make_client)
    for purpose in Purpose:
        tenant.submit("/code", {"code": code(engine, settings, corp_a, purpose)})
        tenant._csrf = None
    checked = 0
    for kind, client in ((STAFF, staff), (PUBLIC, anonymous), (TENANT, tenant)):
        for route in of_kind(app, kind):
            if not route.readable:
                continue
            for world in (corp_a, corp_b):  # own objects (200) and B's (403/404)
                response = client.get(url_for(route, world), follow_redirects=False)
                checked += 1
                if problems := missing(response):
                    failures.append((route.name, response.status_code, problems))
    assert checked > 100
    assert not failures


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/bestaat-niet", 404),
        ("GET", "/medewerkers/voorstellen/999999", 303),  # signed out: to sign-in
        ("POST", "/uitloggen", 403),  # no CSRF token
        ("DELETE", "/", 403),  # refused before routing: no CSRF token
        ("GET", "/uitloggen", 405),
        ("GET", "/voorstel/1", 403),  # no personal code
        ("GET", "/api/v1/openapi.json", 200),
        ("GET", "/api/v1/proposals", 401),
        ("GET", "/api/v1/bestaat-niet", 404),
        ("PUT", "/api/v1/proposals", 405),
    ],
)
def test_error_responses_have_the_security_headers(
    client: Any, method: str, path: str, status: int
) -> None:
    response = client.request(method, path, follow_redirects=False)
    assert response.status_code == status
    assert missing(response) == []


def test_static_files_have_the_security_headers_and_keep_their_caching(client: Any) -> None:
    response = client.get("/static/css/consent.css")
    assert response.status_code == 200
    assert missing(response, static=True) == []
    assert response.headers.get("cache-control") != "no-store"
    assert client.get("/static/bestaat-niet.css").status_code == 404


def test_api_responses_have_the_security_headers(
    client: Any, engine: Engine, settings: Settings, corp_a: CorpWorld
) -> None:
    from tests.security.sec_world import token

    headers = token(engine, settings, corp_a.admin_email)
    for path in ("/api/v1/proposals", f"/api/v1/proposals/{corp_a.proposal_id}/tally",
                 "/api/v1/proposals/999999"):  # fmt: skip
        response = client.get(path, headers=headers)
        assert response.headers["content-type"].startswith("application/json")
        assert missing(response) == [], path


def test_an_unhandled_error_page_has_the_security_headers(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from consent.pages import routes as pages

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(pages, "render", broken)
    app = create_app(settings, engine=engine)
    with Client(app, raise_server_exceptions=False) as client:
        response = client.get("/toegankelijkheid")
    assert response.status_code == 500
    assert missing(response) == []
    assert "boom" not in response.text  # no exception details for the visitor


def test_https_only_adds_strict_transport_security(settings: Settings, engine: Engine) -> None:
    from dataclasses import replace

    app = create_app(replace(settings, https_only=True), engine=engine)
    with Client(app, base_url="https://testserver") as client:
        response = client.get("/")
        assert "max-age=31536000" in response.headers["strict-transport-security"]
        cookie = response.headers.get("set-cookie", "")
        assert "secure" in cookie.lower() and "httponly" in cookie.lower()
