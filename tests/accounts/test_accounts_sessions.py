"""Sign-ins live on the server: signing out, a new password, signing out everywhere and a
switched-off account end them, whatever copies of the session cookie exist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from sqlalchemy import update
from sqlmodel import col, select

from consent.accounts import service as accounts_service
from consent.accounts.models import StaffSession, StaffUser
from consent.audit.models import AuditEvent
from consent.cli import main
from consent.db import new_session, session_scope
from consent.timeutil import utcnow
from tests.accounts.accounts_support import field_error
from tests.factories import PASSWORD, corporation_with_complex, sign_in, staff

NEW_PASSWORD = "a much longer new passphrase"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):  # type: ignore[no-untyped-def]
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts_service, "hash_password", fast.hash)


@pytest.fixture
def user(engine):  # type: ignore[no-untyped-def]
    corporation_with_complex(engine, "acme", homes=1)
    return staff(engine, "acme", "project_leader")


@pytest.fixture
def devices(make_client, user):  # type: ignore[no-untyped-def]
    """Two browsers signed in to the same account, and a third with a copy of the first's cookie."""
    first, second, copy = make_client(), make_client(), make_client()
    sign_in(first, user.email)
    sign_in(second, user.email)
    copy.cookies.set("consent_session", first.cookies.get("consent_session"))
    assert all(signed_in(device) for device in (first, second, copy))
    return first, second, copy


def signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/medewerkers", follow_redirects=False).status_code == 200


def actions(engine) -> list[str]:  # type: ignore[no-untyped-def]
    with new_session(engine) as session:
        return list(session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all())


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, again=None):  # type: ignore[no-untyped-def]
    form = {"current_password": current, "new_password": new,
            "new_password_again": new if again is None else again}  # fmt: skip
    return client.submit("/medewerkers/account/wachtwoord", form)


def test_signing_out_ends_the_sign_in_for_every_copy_of_the_cookie(engine, devices):
    first, second, copy = devices
    assert first.submit("/uitloggen").status_code == 303
    assert not signed_in(first)
    assert not signed_in(copy)  # the copied cookie still carries the key: it no longer works
    assert signed_in(second)  # another sign-in of the same account goes on
    assert actions(engine)[-1] == "staff.signed_out"


def test_a_new_password_ends_the_other_sign_ins_and_keeps_this_one(engine, client, devices, user):
    first, second, copy = devices
    response = change_password(first)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/medewerkers/account?melding=wachtwoord")
    notice = BeautifulSoup(first.get(response.headers["location"]).text, "html.parser")
    assert "Uw wachtwoord is gewijzigd" in notice.select_one("main .notice").get_text()
    assert signed_in(first) and signed_in(copy)  # the same sign-in as the first browser
    assert not signed_in(second)
    assert "staff.password_changed" in actions(engine)
    assert (
        client.submit("/inloggen", {"email": user.email, "password": PASSWORD}).status_code == 400
    )
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 303


def test_signing_out_everywhere_ends_every_sign_in(engine, devices):
    first, second, copy = devices
    response = first.submit("/medewerkers/account/overal-uitloggen")
    assert response.status_code == 303 and response.headers["location"].endswith("/inloggen")
    assert not any(signed_in(device) for device in devices)
    assert actions(engine)[-1] == "staff.signed_out_everywhere"


def test_a_switched_off_account_is_signed_out_for_good(
    engine, settings, devices, user, monkeypatch
):
    monkeypatch.setenv("CONSENT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CONSENT_SECRET_KEY", settings.secret_key)
    assert main(["staff", "deactivate", user.email.upper()]) == 0
    assert not any(signed_in(device) for device in devices)
    assert actions(engine)[-1] == "staff.deactivated"
    with session_scope(engine) as session:  # switched on again: the old sign-ins stay ended
        session.execute(update(StaffUser).values(active=True))
    assert not any(signed_in(device) for device in devices)
    assert main(["staff", "deactivate", "nobody@acme.example"]) == 1


def test_a_sign_in_older_than_the_maximum_age_is_refused_by_the_server(engine, settings, devices):
    first, second, _copy = devices
    with session_scope(engine) as session:
        rows = session.exec(select(StaffSession).order_by(col(StaffSession.id))).all()
        rows[0].created_at = utcnow() - timedelta(seconds=settings.session_max_age + 1)
        session.add(rows[0])
    assert not signed_in(first)
    assert signed_in(second)


def test_ended_and_expired_sign_ins_are_cleared_at_the_next_sign_in(
    engine, settings, make_client, user
):
    for _ in range(3):
        device = make_client()
        sign_in(device, user.email)
        device.submit("/uitloggen")
    sign_in(make_client(), user.email)
    with new_session(engine) as session:
        rows = session.exec(select(StaffSession)).all()
    assert [row.ended_at for row in rows] == [None]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [({"current": "not my password"}, "current_password", "Uw huidige wachtwoord klopt niet"),
     ({"current": ""}, "current_password", "Vul uw huidige wachtwoord in"),
     ({"new": "kort", "again": "kort"}, "new_password", "minstens 12 tekens"),
     ({"new": PASSWORD}, "new_password", "Kies een ander wachtwoord dan uw huidige"),
     ({"again": "something else entirely"}, "new_password_again", "twee keer hetzelfde"),
     ({"new": "x" * 501}, "new_password", "Gebruik maximaal 500 tekens; u gebruikte er 501")],
)  # fmt: skip
def test_a_refused_password_change_says_why_and_changes_nothing(
    engine, devices, form, field, message
):
    first, second, _copy = devices
    response = change_password(first, **form)
    assert response.status_code == 400
    assert message in field_error(response, field)
    assert signed_in(second)
    assert "staff.password_changed" not in actions(engine)


def test_guessing_the_current_password_is_limited(engine, settings, devices):
    first, _second, _copy = devices
    for _ in range(settings.login_attempts_per_window):
        assert change_password(first, current="guess").status_code == 400
    response = change_password(first)
    assert response.status_code == 429
    assert "U heeft het te vaak geprobeerd" in field_error(response, "current_password")


def test_the_account_page_has_the_forms(client, user):
    sign_in(client, user.email)
    page = BeautifulSoup(client.get("/medewerkers/account").text, "html.parser")
    assert page.h1.get_text(strip=True) == "Uw account"
    for name in ("current_password", "new_password", "new_password_again"):
        field = page.find("input", attrs={"name": name})
        assert field["type"] == "password" and field["maxlength"] == "500"
        assert page.find("label", attrs={"for": name}) is not None
    forms = page.select("main form")
    assert [form["action"] for form in forms] == [
        "http://testserver/medewerkers/account/wachtwoord",
        "http://testserver/medewerkers/account/overal-uitloggen",
    ]
    home = BeautifulSoup(client.get("/medewerkers").text, "html.parser")
    assert home.find("a", href="http://testserver/medewerkers/account") is not None
