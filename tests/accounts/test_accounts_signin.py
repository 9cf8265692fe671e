"""Staff sign-in: argon2, limits per account and per client, safe redirects, session expiry."""

from __future__ import annotations

import time
from dataclasses import replace
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from itsdangerous import TimestampSigner
from sqlalchemy import update
from sqlmodel import select

from consent.accounts.models import StaffUser
from consent.audit.models import AuditEvent
from consent.db import new_session, session_scope
from consent.security import hash_password, verify_password
from tests.accounts.accounts_support import browser, field_error
from tests.factories import PASSWORD, corporation_with_complex, sign_in, staff


@pytest.fixture
def user(engine):  # type: ignore[no-untyped-def]
    corporation_with_complex(engine, "acme", homes=1)
    return staff(engine, "acme", "project_leader")


def signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    response = client.get("/medewerkers", follow_redirects=False)
    if response.status_code == 303:
        assert "/inloggen" in response.headers["location"]
        return False
    assert BeautifulSoup(response.text, "html.parser").h1.get_text(strip=True) == "Overzicht"
    return True


def test_the_sign_in_page_has_labelled_fields(client):
    page = BeautifulSoup(client.get("/inloggen").text, "html.parser")
    form = page.find("form", attrs={"action": "http://testserver/inloggen"})
    assert form["method"] == "post"
    for name in ("email", "password"):
        assert page.find("label", attrs={"for": name}) is not None
        assert form.find("input", attrs={"name": name}) is not None
    assert form.find("input", attrs={"name": "csrf_token"})["value"]


def test_the_right_password_signs_in_and_sign_out_ends_it(client, user):
    assert not signed_in(client)
    response = sign_in(client, user.email.upper())  # addresses are case-insensitive
    assert response.headers["location"] == "http://testserver/medewerkers"
    assert signed_in(client)
    assert client.submit("/uitloggen").status_code == 303
    assert not signed_in(client)


def test_a_wrong_password_or_unknown_address_gives_the_same_answer(client, user):
    wrong = client.submit("/inloggen", {"email": user.email, "password": "not the password"})
    unknown = client.submit("/inloggen", {"email": "nobody@acme.example", "password": PASSWORD})
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "Het e-mailadres of het wachtwoord klopt niet" in field_error(response, "email")
    assert BeautifulSoup(wrong.text, "html.parser").find("input", id="email")["value"] == user.email
    assert not signed_in(client)


@pytest.mark.parametrize(
    "email", ["piet\t@acme.example", "x" * 180 + "@acme.example", "geen adres"]
)
def test_strange_addresses_are_just_wrong(client, user, email):
    response = client.submit("/inloggen", {"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Het e-mailadres of het wachtwoord klopt niet" in field_error(response, "email")


def test_a_nul_character_is_refused_with_a_message(client, user):
    response = client.submit("/inloggen", {"email": "piet\x00@acme.example", "password": PASSWORD})
    assert response.status_code == 400
    assert "Deze tekst bevat een teken dat niet is toegestaan" in field_error(response, "email")


def test_overlong_fields_are_named_and_the_address_is_kept(client, user):
    email = "x" * 200 + "@acme.example"
    response = client.submit("/inloggen", {"email": email, "password": "p" * 501})
    assert response.status_code == 400
    assert field_error(response, "email") == (
        "Fout: Deze tekst is te lang. Gebruik maximaal 200 tekens; u gebruikte er 213."
    )
    assert "maximaal 500 tekens; u gebruikte er 501" in field_error(response, "password")
    page = BeautifulSoup(response.text, "html.parser")
    assert page.find("input", id="email")["value"] == email
    assert page.find("input", id="email")["maxlength"] == "200"
    assert page.find("input", id="password")["maxlength"] == "500"


def test_a_password_is_used_exactly_as_typed(client, engine, user):
    with session_scope(engine) as session:
        stored = session.get(StaffUser, user.id)
        stored.password_hash = hash_password("  spaces around  ")
    assert (
        client.submit("/inloggen", {"email": user.email, "password": "spaces around"}).status_code
        == 400
    )
    assert sign_in(client, user.email, "  spaces around  ").status_code == 303


def test_empty_fields_are_named(client):
    response = client.submit("/inloggen", {"email": "", "password": ""})
    assert response.status_code == 400
    assert "Vul uw e-mailadres in" in field_error(response, "email")
    assert "Vul uw wachtwoord in" in field_error(response, "password")


def test_passwords_are_stored_as_argon2_hashes(engine, user):
    with new_session(engine) as session:
        stored = session.exec(select(StaffUser).where(StaffUser.id == user.id)).one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert verify_password(stored, PASSWORD) and not verify_password(stored, PASSWORD + "x")


def test_an_account_is_locked_after_n_failures_from_any_client(app, settings, user):
    attacker, owner = browser(app, "10.0.0.1"), browser(app, "10.0.0.2")
    for _ in range(settings.login_attempts_per_window):
        assert (
            attacker.form("/inloggen", {"email": user.email, "password": "guess"}).status_code
            == 400
        )
    response = owner.form("/inloggen", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "U heeft het te vaak geprobeerd. Wacht 15 minuten" in field_error(response, "email")
    assert not signed_in(owner)
    other = staff(owner.app.state.engine, "acme", "broker")
    assert owner.form("/inloggen", {"email": other.email, "password": PASSWORD}).status_code == 303


def test_a_client_is_limited_across_accounts(app, settings, engine, user):
    app.state.settings = replace(settings, login_attempts_per_window=2)  # 8 per client
    attacker, other = browser(app, "10.0.0.3"), browser(app, "10.0.0.4")
    for n in range(8):
        response = attacker.form("/inloggen", {"email": f"guess{n}@acme.example", "password": "x"})
        assert response.status_code == 400
    response = attacker.form("/inloggen", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "U heeft het te vaak geprobeerd" in field_error(response, "email")
    assert other.form("/inloggen", {"email": user.email, "password": PASSWORD}).status_code == 303


def test_a_success_does_not_wipe_the_clients_failures(app, settings, engine, user):
    app.state.settings = replace(settings, login_attempts_per_window=2)  # 8 per client
    me = browser(app, "10.0.0.5")
    for n in range(7):
        me.form("/inloggen", {"email": f"guess{n}@acme.example", "password": "x"})
    assert me.form("/inloggen", {"email": user.email, "password": PASSWORD}).status_code == 303
    assert (
        me.form("/inloggen", {"email": "guess9@acme.example", "password": "x"}).status_code == 400
    )
    assert (
        me.form("/inloggen", {"email": "guess9@acme.example", "password": "x"}).status_code == 429
    )


def test_failed_sign_ins_are_audited_without_the_password(client, engine, user):
    client.submit("/inloggen", {"email": user.email, "password": "Geheim-123!"})
    with new_session(engine) as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == "staff.sign_in_failed")
        ).all()
    assert [e.object_id for e in events] == [str(user.id)]
    assert "Geheim" not in events[0].details


def test_an_inactive_account_cannot_sign_in_and_is_signed_out(client, engine, user):
    sign_in(client, user.email)
    with session_scope(engine) as session:
        session.execute(update(StaffUser).values(active=False))
    assert not signed_in(client)
    response = client.submit("/inloggen", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example",
     "\\\\evil.example", "javascript:alert(1)", "evil.example", "/%0A/evil", "/\n/evil.example"],
)  # fmt: skip
def test_next_never_leaves_the_site(client, user, target):
    page = BeautifulSoup(client.get("/inloggen", params={"next": target}).text, "html.parser")
    assert page.find("input", attrs={"name": "next"})["value"] == (
        "/%0A/evil" if target == "/%0A/evil" else ""
    )
    response = client.submit(
        "/inloggen", {"email": user.email, "password": PASSWORD, "next": target}
    )
    location = response.headers["location"]
    assert location in ("http://testserver/medewerkers", "/%0A/evil")


def test_next_returns_to_the_page_asked_for(client, user):
    response = client.get("/medewerkers/complexen", follow_redirects=False)
    assert (
        response.headers["location"] == "http://testserver/inloggen?next=%2Fmedewerkers%2Fcomplexen"
    )
    form = {"email": user.email, "password": PASSWORD, "next": "/medewerkers/complexen"}
    assert client.submit("/inloggen", form).headers["location"] == "/medewerkers/complexen"


def test_a_session_cookie_older_than_max_age_is_refused(client, settings, user, monkeypatch):
    sign_in(client, user.email)
    assert signed_in(client)
    later = int(time.time()) + settings.session_max_age + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    assert not signed_in(client)


def test_a_sign_in_ends_after_max_age_even_when_used_all_the_time(
    client, settings, user, monkeypatch
):
    sign_in(client, user.email)
    start = time.time()
    clock = SimpleNamespace(time=lambda: start + settings.session_max_age - 60)
    monkeypatch.setattr("consent.middleware.time", clock)
    assert signed_in(client)  # the cookie was renewed by every response, the sign-in was not
    clock.time = lambda: start + settings.session_max_age + 60
    assert not signed_in(client)


@pytest.mark.parametrize(("window", "words"), [(60, "Wacht 1 minuut"), (1800, "Wacht 30 minuten")])
def test_the_throttle_message_names_the_configured_wait(settings, engine, user, window, words):
    from consent.app import create_app

    app = create_app(replace(settings, throttle_window_seconds=window), engine=engine)
    client = browser(app, "10.0.0.9")
    for _ in range(settings.login_attempts_per_window):
        client.form("/inloggen", {"email": user.email, "password": "guess"})
    response = client.form("/inloggen", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert words in field_error(response, "email")
