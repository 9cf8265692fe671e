"""Tenants' personal codes: entropy, hashing, expiry, revocation, limits, and scope."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import update
from sqlmodel import select
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from consent.access_codes.models import AccessCode, Purpose
from consent.access_codes.service import ALPHABET, GROUP_SIZE, GROUPS, generate, normalise, revoke
from consent.access_codes.tenant import require_code
from consent.audit.models import AuditEvent
from consent.db import new_session, session_scope
from consent.housing.models import Tenancy
from consent.security import keyed_hash
from consent.timeutil import utcnow
from tests.accounts.accounts_support import browser, field_error
from tests.factories import corporation_with_complex, tenancies, tenant_code

LOOK_ALIKES = "0O1IL"


def test_codes_have_at_least_60_bits_and_no_look_alike_characters():
    assert math.log2(len(ALPHABET)) * GROUPS * GROUP_SIZE >= 60
    assert len(set(ALPHABET)) == len(ALPHABET)
    assert not set(LOOK_ALIKES) & set(ALPHABET)
    codes = {generate() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:200]:
        groups = code.split("-")
        assert [len(g) for g in groups] == [GROUP_SIZE] * GROUPS
        assert set("".join(groups)) <= set(ALPHABET)


def test_entered_codes_are_normalised():
    code = generate()
    assert normalise(code.lower().replace("-", " ")) == code
    assert normalise(f"  {code.replace('-', '')} ") == code
    assert normalise(code[:-1]) == ""
    assert normalise(code[:-1] + "0") == ""  # a look-alike is never part of a code


@pytest.fixture
def world(engine):  # type: ignore[no-untyped-def]
    return corporation_with_complex(engine, "acme", homes=3)


def enter(client, code: str):  # type: ignore[no-untyped-def]
    return client.submit("/code", {"code": code})


def test_a_code_is_stored_only_as_a_keyed_hash(engine, settings, world):
    tenancy = tenancies(engine, world.corporation.id)[0]
    code = tenant_code(engine, settings, tenancy)
    with new_session(engine) as session:
        row = session.exec(select(AccessCode)).one()
        details = " ".join(e.details for e in session.exec(select(AuditEvent)))
    assert row.code_hash == keyed_hash(settings.secret_key, code)
    assert (
        code not in row.code_hash and code not in details and code.replace("-", "") not in details
    )
    assert row.expires_at - row.created_at == timedelta(days=settings.code_valid_days)


def test_a_valid_code_opens_the_tenants_own_home(client, engine, settings, world):
    tenancy = tenancies(engine, world.corporation.id)[1]
    response = enter(client, tenant_code(engine, settings, tenancy))
    assert response.headers["location"] == "http://testserver/mijn"
    page = BeautifulSoup(client.get("/mijn").text, "html.parser")
    assert [h2.get_text(strip=True) for h2 in page.select("main h2")] == ["Lindelaan 2"]
    assert "Tenant 2" in page.get_text() and "Tenant 1" not in page.get_text()


def test_a_wrong_code_says_so(client, world):
    response = enter(client, "ABCDE-FGHJK-MNPQR")
    assert response.status_code == 400
    assert "Deze code klopt niet" in field_error(response, "code")
    assert client.get("/mijn", follow_redirects=False).status_code == 303


def test_an_expired_code_says_it_has_expired(client, engine, settings, world):
    code = tenant_code(engine, settings, tenancies(engine, world.corporation.id)[0])
    with session_scope(engine) as session:
        session.execute(update(AccessCode).values(expires_at=utcnow() - timedelta(minutes=1)))
    response = enter(client, code)
    assert response.status_code == 400
    assert "Deze code is verlopen" in field_error(response, "code")


def test_a_revoked_code_says_it_no_longer_works(client, engine, settings, world):
    code = tenant_code(engine, settings, tenancies(engine, world.corporation.id)[0])
    with session_scope(engine) as session:
        revoke(session, session.exec(select(AccessCode)).one().id or 0, actor="test")
    response = enter(client, code)
    assert response.status_code == 400
    assert "Deze code werkt niet meer" in field_error(response, "code")


@pytest.mark.parametrize("object_id", [None, 7])
def test_reissuing_revokes_the_old_code_of_that_tenancy_and_purpose(
    client, engine, settings, world, object_id
):
    first, second = tenancies(engine, world.corporation.id)[:2]
    old = tenant_code(engine, settings, first, Purpose.PROPOSAL, object_id)
    other_purpose = tenant_code(engine, settings, first, Purpose.INITIATIVE, object_id)
    neighbour = tenant_code(engine, settings, second, Purpose.PROPOSAL, object_id)
    new = tenant_code(engine, settings, first, Purpose.PROPOSAL, object_id)
    assert "Deze code werkt niet meer" in field_error(enter(client, old), "code")
    for code in (new, other_purpose, neighbour):
        assert enter(client, code).status_code == 303


def test_a_code_stops_working_when_the_household_moves_out(client, engine, settings, world):
    tenancy = tenancies(engine, world.corporation.id)[0]
    code = tenant_code(engine, settings, tenancy)
    assert enter(client, code).status_code == 303
    assert client.get("/mijn", follow_redirects=False).status_code == 200
    with session_scope(engine) as session:
        session.execute(
            update(Tenancy).where(Tenancy.id == tenancy.id).values(end_date=utcnow().date())
        )
    assert client.get("/mijn", follow_redirects=False).status_code == 303
    assert "Deze code werkt niet meer" in field_error(enter(client, code), "code")


def test_code_entry_is_limited_per_client(app, engine, settings, world):
    guesser, neighbour = browser(app, "10.1.0.1"), browser(app, "10.1.0.2")
    code = tenant_code(engine, settings, tenancies(engine, world.corporation.id)[0])
    for _ in range(settings.code_attempts_per_client):
        assert guesser.form("/code", {"code": generate()}).status_code == 400
    response = guesser.form("/code", {"code": code})
    assert response.status_code == 429
    assert "U heeft het te vaak geprobeerd" in field_error(response, "code")
    assert neighbour.form("/code", {"code": code}).status_code == 303


def test_code_entry_is_limited_per_code(app, engine, settings, world):
    code = tenant_code(engine, settings, tenancies(engine, world.corporation.id)[0])
    with session_scope(engine) as session:
        session.execute(update(AccessCode).values(expires_at=utcnow() - timedelta(minutes=1)))
    for n in range(settings.code_attempts_per_code):
        assert browser(app, f"10.2.0.{n}").form("/code", {"code": code}).status_code == 400
    response = browser(app, "10.2.1.1").form("/code", {"code": code.lower()})
    assert response.status_code == 429
    assert "U heeft het te vaak geprobeerd" in field_error(response, "code")


def test_a_valid_code_does_not_buy_more_guesses(app, engine, settings, world):
    app.state.settings = replace(settings, code_attempts_per_client=3)
    me = browser(app, "10.3.0.1")
    mine = tenant_code(engine, settings, tenancies(engine, world.corporation.id)[0])
    for _ in range(2):
        me.form("/code", {"code": generate()})
    assert me.form("/code", {"code": mine}).status_code == 303
    assert me.form("/code", {"code": generate()}).status_code == 400
    assert me.form("/code", {"code": generate()}).status_code == 429


def test_an_empty_code_is_named(client):
    response = client.submit("/code", {"code": "  "})
    assert response.status_code == 400
    assert "Vul uw persoonlijke code in" in field_error(response, "code")


async def _proposal_page(request: Request) -> JSONResponse:
    with new_session(request.app.state.engine) as session:
        purpose = Purpose(request.query_params.get("purpose", "proposal"))
        code = require_code(request, session, purpose, request.path_params["object_id"])
        return JSONResponse({"tenancy_id": code.tenancy_id})


def test_a_code_opens_only_its_own_purpose_and_object(client, app, engine, settings, world):
    app.router.routes.append(Route("/test-code/{object_id:int}", _proposal_page))
    mine, other = tenancies(engine, world.corporation.id)[:2]
    tenant_code(engine, settings, other, Purpose.PROPOSAL, 5)  # someone else's code
    code = tenant_code(engine, settings, mine, Purpose.PROPOSAL, 5)
    before = client.get("/test-code/5")
    assert before.status_code == 403
    assert (
        BeautifulSoup(before.text, "html.parser").h1.get_text(strip=True)
        == "Vul eerst uw persoonlijke code in"
    )
    enter(client, code)
    assert client.get("/test-code/5").json() == {"tenancy_id": mine.id}
    assert client.get("/test-code/6").status_code == 403
    assert client.get("/test-code/5?purpose=initiative").status_code == 403
    with session_scope(engine) as session:
        session.execute(
            update(AccessCode).where(AccessCode.tenancy_id == mine.id).values(revoked_at=utcnow())
        )
    assert client.get("/test-code/5").status_code == 403


def test_the_throttle_counts_long_keys_too(engine):
    from consent.access_codes import throttle

    key = "login:" + "x" * 190 + "@acme.example"
    with new_session(engine) as session:
        assert [throttle.hit(session, key, 2, 60) for _ in range(3)] == [True, True, False]
        assert not throttle.hit(session, key[:-1] + "l", 0, 60)  # another key, its own count
        throttle.refund(session, key)
        assert throttle.hit(session, key, 3, 60)
        throttle.reset(session, key)
        assert throttle.hit(session, key, 1, 60)
