"""Security headers on every response, CSRF on every state-changing form, and the settings."""

from __future__ import annotations

import importlib
import re
import sys
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup
from starlette.routing import BaseRoute, Mount, Route
from starlette.testclient import TestClient

from consent.app import create_app
from consent.settings import DEMO_SECRET, ConfigError, Settings
from tests.factories import corporation_with_complex, sign_in, staff

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def check_headers(response) -> None:  # type: ignore[no-untyped-def]
    headers = response.headers
    csp = headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_pages_redirects_and_errors_carry_the_headers(client, engine):
    corporation_with_complex(engine, "acme", homes=1)
    responses = [
        client.get("/"),
        client.get("/inloggen"),
        client.get("/medewerkers", follow_redirects=False),
        client.get("/bestaat-niet"),
        client.post("/code", data={"code": "x"}),  # no CSRF token: 403 page
        client.get("/api/v1/openapi.json"),
        client.get("/api/v1/complexes"),
        client.put("/inloggen", data={}),
    ]
    assert [r.status_code for r in responses] == [200, 200, 303, 404, 403, 200, 401, 403]
    for response in responses:
        check_headers(response)
        assert response.headers["cache-control"] == "no-store"


def test_static_files_carry_the_headers_and_may_be_cached(client):
    for path in ("/static/css/consent.css", "/static/js/consent.js", "/static/nothing.css"):
        response = client.get(path)
        check_headers(response)
        assert response.headers.get("cache-control") != "no-store"


def test_an_unhandled_error_gets_the_error_page_with_the_headers(app):
    async def boom(request):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret detail")

    app.router.routes.append(Route("/boom", boom))
    api = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/api/v1")
    api.routes.append(Route("/boom", boom))
    with TestClient(app, raise_server_exceptions=False) as browser:
        page = browser.get("/boom")
        api = browser.get("/api/v1/boom")
    assert page.status_code == api.status_code == 500
    assert BeautifulSoup(page.text, "html.parser").h1.get_text(strip=True) == "Er ging iets mis"
    assert "secret detail" not in page.text and "RuntimeError" not in page.text
    assert api.json() == {"error": "Internal error"}
    check_headers(page)
    check_headers(api)


def test_https_only_adds_hsts_and_secure_cookies(settings, engine):
    app = create_app(replace(settings, https_only=True), engine=engine)
    with TestClient(app, base_url="https://testserver") as browser:
        response = browser.get("/")
    assert response.headers["strict-transport-security"].startswith("max-age=")
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_the_session_cookie_is_httponly_and_samesite(client):
    cookie = client.get("/").headers["set-cookie"].lower()
    assert cookie.startswith("consent_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_pages_have_no_inline_script_or_style(client, engine):
    corporation_with_complex(engine, "acme", homes=1)
    sign_in(client, staff(engine, "acme", "admin").email)
    for url in (
        "/",
        "/inloggen",
        "/medewerkers",
        "/medewerkers/complexen",
        "/toegankelijkheid",
        "/x",
    ):
        page = BeautifulSoup(client.get(url).text, "html.parser")
        assert all(script.get("src") for script in page.find_all("script")), url
        assert not page.find_all(style=True) and not page.find_all("style"), url
        assert not [
            tag for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)
        ], url


def _form_routes(routes: list[BaseRoute], prefix: str = "") -> list[tuple[str, str]]:
    """(method, path) of every state-changing HTML route, with its parameters filled in."""
    found = []
    for route in routes:
        if isinstance(route, Mount) and route.path != "/api/v1":
            found += _form_routes(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            path = re.sub(r"\{\w+:int\}", "1", prefix + route.path)
            path = re.sub(r"\{\w+(:\w+)?\}", "x", path)
            found += [
                (method, path) for method in sorted((route.methods or set()) & STATE_CHANGING)
            ]
    return found


def test_every_form_route_is_checked(app):
    routes = _form_routes(app.routes)
    assert ("POST", "/inloggen") in routes and ("POST", "/code") in routes
    assert len(routes) >= 3


@pytest.fixture
def signed_in(client, engine):  # type: ignore[no-untyped-def]
    corporation_with_complex(engine, "acme", homes=1)
    sign_in(client, staff(engine, "acme", "admin").email)
    client.csrf()  # a session with a token exists
    return client


def test_every_state_changing_request_without_a_token_is_refused(app, signed_in):
    for method, path in _form_routes(app.routes):
        for data in ({}, {"csrf_token": "wrong"}, {"csrf_token": "é"}):
            response = signed_in.request(method, path, data=data, follow_redirects=False)
            assert response.status_code == 403, (method, path, data)
            h1 = BeautifulSoup(response.text, "html.parser").h1.get_text(strip=True)
            assert h1 == "Uw formulier is verlopen", (method, path)


def test_a_token_from_another_session_is_refused(client, make_client):
    other = make_client()
    response = client.post("/code", data={"code": "x", "csrf_token": other.csrf()})
    assert response.status_code == 403


def test_the_token_may_come_in_a_header(signed_in):
    response = signed_in.post(
        "/uitloggen", headers={"X-CSRF-Token": signed_in.csrf()}, follow_redirects=False
    )
    assert response.status_code == 303
    assert signed_in.get("/medewerkers", follow_redirects=False).status_code == 303


def test_a_broken_form_body_is_refused_not_an_error(signed_in):
    headers = {"content-type": "multipart/form-data; boundary=x"}
    response = signed_in.post("/code", content=b"--x\r\nbroken", headers=headers)
    assert response.status_code == 403


def test_a_very_large_form_is_refused(signed_in):
    response = signed_in.post("/code", content=b"a" * (25 * 1024 * 1024 + 10),
                              headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert response.status_code == 413


def test_the_api_is_exempt_from_csrf_but_needs_a_bearer_token(signed_in):
    response = signed_in.post("/api/v1/complexes", json={})
    assert response.status_code == 401
    assert response.json()["error"].startswith("Not authenticated")


@pytest.fixture
def clean_env(monkeypatch):  # type: ignore[no-untyped-def]
    for name in ("SECRET_KEY", "DEMO", "DATABASE_URL", "MAIL_BACKEND", "SESSION_MAX_AGE"):
        monkeypatch.delenv(f"CONSENT_{name}", raising=False)
    return monkeypatch


def test_settings_refuse_to_start_without_a_secret_key_outside_the_demo(clean_env):
    with pytest.raises(ConfigError, match="CONSENT_SECRET_KEY is not set"):
        Settings.from_env()
    assert Settings.from_env(demo=True).secret_key == DEMO_SECRET
    for weak in ("short", DEMO_SECRET):
        clean_env.setenv("CONSENT_SECRET_KEY", weak)
        with pytest.raises(ConfigError, match="too short or the demo's key"):
            Settings.from_env()
    clean_env.setenv("CONSENT_SECRET_KEY", "s" * 32)
    clean_env.setenv("CONSENT_SESSION_MAX_AGE", "600")
    settings = Settings.from_env()
    assert (settings.secret_key, settings.session_max_age) == ("s" * 32, 600)


def test_settings_refuse_bad_values(clean_env):
    clean_env.setenv("CONSENT_SECRET_KEY", "s" * 32)
    clean_env.setenv("CONSENT_SESSION_MAX_AGE", "eight hours")
    with pytest.raises(ConfigError, match="CONSENT_SESSION_MAX_AGE must be a whole number"):
        Settings.from_env()
    clean_env.delenv("CONSENT_SESSION_MAX_AGE")
    clean_env.setenv("CONSENT_MAIL_BACKEND", "pigeon")
    with pytest.raises(ConfigError, match="CONSENT_MAIL_BACKEND"):
        Settings.from_env()


def _import_asgi():  # type: ignore[no-untyped-def]
    sys.modules.pop("consent.asgi", None)
    try:
        return importlib.import_module("consent.asgi")
    finally:
        sys.modules.pop("consent.asgi", None)


def test_the_asgi_app_refuses_to_start_without_a_secret_key(clean_env, tmp_path):
    clean_env.setenv("CONSENT_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ConfigError):
        _import_asgi()
    clean_env.setenv("CONSENT_DEMO", "1")
    assert _import_asgi().app.state.settings.secret_key == DEMO_SECRET
    clean_env.delenv("CONSENT_DEMO")
    clean_env.setenv("CONSENT_SECRET_KEY", "s" * 32)
    module = _import_asgi()
    assert module.app.state.settings.secret_key == "s" * 32
    module.app.state.engine.dispose()
