"""Asking for a code by address: never reveals whether the address exists; email or letter."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import update
from sqlmodel import select

from consent.access_codes.models import AccessCode, Purpose
from consent.code_requests.service import request_code
from consent.db import new_session, session_scope
from consent.housing.models import Tenancy, Unit
from consent.outbox.models import OutboxMessage
from consent.settings import Settings
from tests.factories import corporation_with_complex, tenancies

CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


def messages(engine) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with new_session(engine) as session:
        return list(
            session.exec(
                select(OutboxMessage).where(OutboxMessage.template == "code_request")
            ).all()
        )


def ask(client, **fields):  # type: ignore[no-untyped-def]
    data = {
        "postcode": "3521kl",
        "number": "1",
        "letter": "",
        "addition": "",
        "purpose": "initiative",
    }
    data.update(fields)
    return client.submit("/code-aanvragen", data)


def test_known_and_unknown_addresses_get_identical_answers(client, make_client, engine):
    corporation_with_complex(engine)
    known = ask(client, number="2")
    unknown = ask(make_client(), postcode="9999 ZZ", number="2")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["location"] == unknown.headers["location"]
    assert known.text == unknown.text
    first = client.get(known.headers["location"])
    second = make_client().get(unknown.headers["location"])
    assert CSRF.sub("", first.text) == CSRF.sub("", second.text)
    page = BeautifulSoup(first.text, "html.parser")
    assert page.find(class_="notice").get_text(strip=True) == (
        "Als dit adres bij ons bekend is, sturen we een code naar de contactgegevens die wij hebben.")  # fmt: skip
    assert len(messages(engine)) == 1


def test_code_goes_by_email_in_the_tenants_language_and_opens_the_complex(
    client, make_client, engine
):
    world = corporation_with_complex(engine)
    tenancy = tenancies(engine, world.corporation.id)[1]  # Lindelaan 2
    ask(client, number="2")
    [message] = messages(engine)
    assert message.channel == "email" and message.recipient == tenancy.email
    assert message.language == tenancy.language
    context = json.loads(message.context)
    with new_session(engine) as session:
        code = session.exec(select(AccessCode).where(AccessCode.tenancy_id == tenancy.id)).one()
    assert code.purpose == "initiative" and code.object_id == world.complex.id
    tenant = make_client()
    landing = tenant.submit("/code", {"code": context["code"]})
    assert landing.headers["location"].endswith(f"/initiatieven/complex/{world.complex.id}")


def test_without_email_a_letter_is_queued(client, engine):
    world = corporation_with_complex(engine)
    tenancy = tenancies(engine, world.corporation.id)[2]
    with session_scope(engine) as session:
        session.execute(update(Tenancy).where(Tenancy.id == tenancy.id).values(email=""))
    ask(client, number="3", purpose="moving")
    [message] = messages(engine)
    assert message.channel == "letter"
    assert "Lindelaan 3" in message.recipient and "3521 KL" in message.recipient
    with new_session(engine) as session:
        code = session.exec(select(AccessCode).where(AccessCode.tenancy_id == tenancy.id)).one()
    assert code.purpose == "moving" and code.object_id == tenancy.id


@pytest.mark.parametrize(
    ("purpose", "page"), [("moving", "/verhuizen"), ("rent_reduction", "/huurverlaging")]
)
def test_requested_code_lands_on_the_purpose_page(client, engine, purpose, page):
    world = corporation_with_complex(engine)
    tenancy = tenancies(engine, world.corporation.id)[2]
    ask(client, number="3", purpose=purpose)
    [message] = messages(engine)
    code = json.loads(message.context)["code"]
    landing = client.submit("/code", {"code": code})
    assert landing.status_code == 303
    assert page in landing.headers["location"]
    assert landing.headers["location"].endswith(f"{page}/{tenancy.id}")


def test_letter_and_addition_must_match(engine, settings: Settings):
    world = corporation_with_complex(engine)
    with session_scope(engine) as session:
        session.execute(update(Unit).where(Unit.number == 4).values(letter="A", addition="bis"))
    with new_session(engine) as session:
        assert (
            request_code(
                session, settings, postcode="3521 KL", number=4, purpose=Purpose.INITIATIVE
            )
            == 0
        )
        assert request_code(session, settings, postcode="3521KL", number=4, letter="a", addition="BIS",
                            purpose=Purpose.INITIATIVE, corporation_id=world.corporation.id) == 1  # fmt: skip


def test_same_address_at_two_corporations_gets_a_code_from_each(engine, settings: Settings):
    corporation_with_complex(engine, "acme")
    corporation_with_complex(engine, "other")
    with new_session(engine) as session:
        assert (
            request_code(
                session, settings, postcode="3521 KL", number=5, purpose=Purpose.RENT_REDUCTION
            )
            == 2
        )
    assert {m.corporation_id for m in messages(engine)} and len(messages(engine)) == 2


def test_one_address_is_not_mail_bombed(engine, settings: Settings):
    corporation_with_complex(engine)
    with new_session(engine) as session:
        sent = [request_code(session, settings, postcode="3521 KL", number=6, purpose=Purpose.MOVING)
                for _ in range(5)]  # fmt: skip
    assert sent == [1, 1, 1, 0, 0]


def test_bad_input_keeps_values_and_says_what_to_fix(client, engine):
    response = ask(client, postcode="12345", number="twee", purpose="proposal")
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert {a["href"] for a in page.find(class_="error-summary").find_all("a")} == {
        "#postcode",
        "#number",
        "#purpose",
    }
    assert page.find("input", id="postcode")["value"] == "12345"
    assert page.find("input", id="number")["value"] == "twee"


def test_requests_are_rate_limited_per_client(client, engine):
    corporation_with_complex(engine)
    statuses = [ask(client, postcode="9999 ZZ", number=str(n)).status_code for n in range(1, 13)]
    assert statuses[:10] == [303] * 10 and statuses[10:] == [429, 429]
    page = BeautifulSoup(ask(client).text, "html.parser")
    assert "te vaak" in page.find(class_="error-summary").get_text()


def test_form_page_preselects_the_purpose(client):
    page = BeautifulSoup(client.get("/code-aanvragen?doel=moving").text, "html.parser")
    assert page.h1.get_text(strip=True) == "Vraag een code aan"
    assert page.find("input", attrs={"name": "purpose", "value": "moving"}).has_attr("checked")
    assert page.find("input", attrs={"name": "purpose", "value": "proposal"}) is None


def test_code_email_renders_with_the_code(client, engine):
    from consent.outbox.render import render_email
    from consent.templating import make_environment

    corporation_with_complex(engine)
    ask(client, number="7", purpose="rent_reduction")
    [message] = messages(engine)
    subject, body = render_email(make_environment(), message)
    assert subject == "Uw persoonlijke code van Acme"
    assert json.loads(message.context)["code"] in body and "huurverlaging" in body


def test_htmx_post_gets_a_location_header(client, engine):
    response = client.submit("/code-aanvragen", {"postcode": "9999 ZZ", "number": "1", "purpose": "moving"},
                             headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 204
    assert response.headers["HX-Location"].endswith("/code-aanvragen/verstuurd")
