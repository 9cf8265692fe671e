"""Sessions expire (a staff sign-in after `session_max_age`, any idle session) and staff
sign-ins are ended on the server: a copy of the cookie dies with the sign-in."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy.engine import Engine

from consent import middleware
from consent.access_codes.models import Purpose
from consent.settings import Settings
from tests.security.sec_checks import browser
from tests.security.sec_world import CorpWorld, code


class Clock:
    """time.time() moved forward by `offset` seconds."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Moves the clock of the sign-in check and of the session cookie's signature."""
    import itsdangerous.timed

    fake = Clock()
    monkeypatch.setattr(middleware, "time", fake)
    monkeypatch.setattr(itsdangerous.timed, "time", fake)
    return fake


def test_the_session_cookie_is_httponly_samesite_and_limited(
    make_client: Any, settings: Settings, corp_a: CorpWorld
) -> None:
    staff = browser(make_client)
    response = staff.submit("/inloggen", {"email": corp_a.admin_email,
                                          "password": "correct horse battery staple"})  # fmt: skip
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("consent_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert f"max-age={settings.session_max_age}" in cookie
    assert settings.session_max_age == 8 * 3600


def test_a_staff_sign_in_ends_after_the_maximum_age_even_when_active(
    make_client: Any, settings: Settings, corp_a: CorpWorld, clock: Clock
) -> None:
    staff = browser(make_client, corp_a.admin_email)
    step = settings.session_max_age // 4
    for _ in range(3):  # active every two hours: still signed in
        clock.offset += step
        assert staff.get("/medewerkers", follow_redirects=False).status_code == 200
    clock.offset += step + 1  # eight hours after signing in
    response = staff.get("/medewerkers", follow_redirects=False)
    assert response.status_code == 303
    assert urlsplit(response.headers["location"]).path == "/inloggen"
    # The session was emptied: returning to the old time does not bring it back.
    clock.offset = 0
    assert staff.get("/medewerkers", follow_redirects=False).status_code == 303


def test_an_idle_staff_session_expires(
    make_client: Any, settings: Settings, corp_a: CorpWorld, clock: Clock
) -> None:
    staff = browser(make_client, corp_a.admin_email)
    assert staff.get("/medewerkers", follow_redirects=False).status_code == 200
    clock.offset = settings.session_max_age + 1
    assert staff.get("/medewerkers", follow_redirects=False).status_code == 303


def test_an_idle_tenant_session_expires(
    make_client: Any, engine: Engine, settings: Settings, corp_a: CorpWorld, clock: Clock
) -> None:
    tenant = browser(make_client)
    tenant.submit("/code", {"code": code(engine, settings, corp_a, Purpose.PROPOSAL)})
    page = f"/voorstel/{corp_a.proposal_id}"
    assert tenant.get(page).status_code == 200
    clock.offset = settings.session_max_age + 1
    assert tenant.get(page).status_code == 403  # the signed cookie is too old: no codes


def test_signing_out_ends_the_session(make_client: Any, corp_a: CorpWorld) -> None:
    staff = browser(make_client, corp_a.admin_email)
    assert staff.submit("/uitloggen").status_code == 303
    assert staff.get("/medewerkers", follow_redirects=False).status_code == 303


def test_a_cookie_copied_before_signing_out_no_longer_works(
    make_client: Any, corp_a: CorpWorld
) -> None:
    staff = browser(make_client, corp_a.admin_email)
    copied = browser(make_client)
    copied.cookies.set("consent_session", staff.cookies.get("consent_session") or "")
    assert copied.get("/medewerkers", follow_redirects=False).status_code == 200
    assert staff.submit("/uitloggen").status_code == 303
    response = copied.get(f"/medewerkers/verhuizen/{corp_a.signup_id}", follow_redirects=False)
    assert response.status_code == 303
    assert urlsplit(response.headers["location"]).path == "/inloggen"


def test_a_new_password_signs_out_the_other_browsers(make_client: Any, corp_a: CorpWorld) -> None:
    here, elsewhere = (
        browser(make_client, corp_a.admin_email),
        browser(make_client, corp_a.admin_email),
    )
    response = here.submit("/medewerkers/account/wachtwoord", {
        "current_password": "correct horse battery staple",
        "new_password": "another long passphrase", "new_password_again": "another long passphrase",
    })  # fmt: skip
    assert response.status_code == 303
    assert here.get("/medewerkers", follow_redirects=False).status_code == 200
    assert elsewhere.get("/medewerkers", follow_redirects=False).status_code == 303


def test_a_tampered_session_cookie_is_ignored(make_client: Any, corp_a: CorpWorld) -> None:
    value = browser(make_client, corp_a.admin_email).cookies.get("consent_session")
    assert value
    copied = browser(make_client)
    copied.cookies.set("consent_session", value)
    assert copied.get("/medewerkers", follow_redirects=False).status_code == 200
    payload, timestamp, signature = value.rsplit(".", 2)
    forged = browser(make_client)
    forged.cookies.set("consent_session", f"{payload}.{timestamp}.{signature[::-1]}")
    assert forged.get("/medewerkers", follow_redirects=False).status_code == 303
