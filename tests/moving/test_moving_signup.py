"""Tenants sign up with a personal code or without one, with plain form posts (no JavaScript)."""

import pytest
from sqlmodel import select

from consent.access_codes.models import Purpose
from consent.audit.models import AuditEvent
from consent.db import new_session, session_scope
from consent.moving.models import MovingSignup
from consent.moving.programmes import seed_sample_programmes
from tests.factories import corporation_with_complex, tenancies, tenant_code
from tests.moving.moving_helpers import NEEDS, errors_of, open_form, page, signup_form, stored_needs


def _enter(client, engine, settings, index=0, purpose=Purpose.MOVING):
    world = corporation_with_complex(engine, "acme", homes=4)
    tenancy = tenancies(engine, world.corporation.id)[index]
    object_id = tenancy.id if purpose is Purpose.MOVING else None
    code = tenant_code(engine, settings, tenancy, purpose, object_id)
    response = client.submit("/code", {"code": code})
    assert response.status_code == 303
    return world, tenancy, response.headers["location"]


def _all(engine):
    with new_session(engine) as session:
        return list(session.exec(select(MovingSignup)).all())


def test_code_lands_on_the_prefilled_sign_up_form(client, engine, settings):
    _world, tenancy, location = _enter(client, engine, settings)
    assert location.endswith(f"/verhuizen/{tenancy.id}")
    html = page(client.get(location))
    assert html.h1.get_text(strip=True) == "Aanmelden voor hulp bij verhuizen"
    assert html.find("input", id="contact_name")["value"] == "Tenant 1"
    assert html.find("input", id="email")["value"] == tenancy.email
    assert html.find("input", id="current_rent")["value"] == "600,00"
    consent = html.find("input", id="care_consent")
    assert consent["type"] == "checkbox" and not consent.has_attr("checked")
    form = html.find("form", attrs={"method": "post"})
    assert form.find("input", attrs={"name": "csrf_token"})
    for legend in ("Waarbij wilt u hulp?", "Hoe oud bent u?", "Welke talen spreekt u?"):
        assert html.find("legend", string=legend)
    assert html.find("label", attrs={"for": "rooms"})


def test_sign_up_with_code_is_stored_and_shows_the_confirmation(client, engine, settings):
    world, tenancy, location = _enter(client, engine, settings)
    response = client.submit(location, signup_form())
    assert response.status_code == 303 and response.headers["location"].endswith(location)
    [row] = _all(engine)
    assert (row.tenancy_id, row.corporation_id, row.channel) == (
        tenancy.id,
        world.corporation.id,
        "code",
    )
    assert (row.programme_kind, row.rooms, row.floor, row.access) == ("step_free", 4, 3, "stairs")
    assert (row.current_rent_cents, row.budget_cents, row.wish_rooms) == (61250, 70000, 2)
    assert row.wish_step_free and row.wish_near_shops and not row.wish_clustered
    assert row.languages == "nl,tr" and row.street_address == "Lindelaan 1"
    assert row.status == "new" and stored_needs(engine) == []
    done = page(client.get(location))
    assert done.h1.get_text(strip=True) == "U bent aangemeld"
    again = client.submit(location, signup_form())  # a second post makes no second sign-up
    assert again.status_code == 303 and len(_all(engine)) == 1
    with new_session(engine) as session:
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert "moving.signup_created" in actions


def test_errors_re_render_with_every_value_kept(client, engine, settings):
    _world, _tenancy, location = _enter(client, engine, settings)
    data = signup_form(programme_kind="", rooms="veel", current_rent="zeshonderd", wish_area="Zuid")
    response = client.submit(location, data)
    assert response.status_code == 400
    assert set(errors_of(response)) == {"programme_kind", "rooms", "current_rent"}
    html = page(response)
    assert html.find("input", id="rooms")["value"] == "veel"
    assert html.find("input", id="wish_area")["value"] == "Zuid"
    assert html.find("input", attrs={"name": "age_band", "value": "65_74"}).has_attr("checked")
    assert html.find("input", id="lang_tr").has_attr("checked")
    assert html.find("input", id="rooms")["aria-invalid"] == "true"
    assert _all(engine) == []


def test_contact_by_email_needs_an_email_address(client, engine, settings):
    _world, _tenancy, location = _enter(client, engine, settings)
    response = client.submit(location, signup_form(contact_by="email", email=""))
    assert response.status_code == 400 and errors_of(response) == ["email"]


def test_care_needs_without_consent_are_refused_and_not_stored(client, engine, settings):
    _world, _tenancy, location = _enter(client, engine, settings)
    response = client.submit(location, signup_form(care_needs=NEEDS))
    assert response.status_code == 400
    assert errors_of(response) == ["care_consent"]
    html = page(response)
    assert html.find("textarea", id="care_needs").get_text() == NEEDS  # kept for the tenant
    assert not html.find("input", id="care_consent").has_attr("checked")
    assert _all(engine) == [] and stored_needs(engine) == []


def test_care_needs_with_consent_are_stored_apart(client, engine, settings):
    _world, _tenancy, location = _enter(client, engine, settings)
    response = client.submit(location, signup_form(care_needs=NEEDS, care_consent="1"))
    assert response.status_code == 303
    assert stored_needs(engine) == [NEEDS]
    [row] = _all(engine)
    assert NEEDS not in str(row.model_dump())


def test_consent_without_needs_stores_nothing(client, engine, settings):
    _world, _tenancy, location = _enter(client, engine, settings)
    assert client.submit(location, signup_form(care_consent="1")).status_code == 303
    assert stored_needs(engine) == []


def test_sign_up_page_needs_the_right_code(client, engine, settings):
    world, tenancy, _location = _enter(client, engine, settings, purpose=Purpose.PROPOSAL)
    response = client.get(f"/verhuizen/{tenancy.id}")
    assert response.status_code == 403
    assert page(response).h1.get_text(strip=True) != "Aanmelden voor hulp bij verhuizen"
    other = tenancies(engine, world.corporation.id)[1]
    code = tenant_code(engine, settings, other, Purpose.MOVING, other.id)
    client.submit("/code", {"code": code})
    assert client.get(f"/verhuizen/{tenancy.id}").status_code == 403  # another household's page
    assert client.submit(f"/verhuizen/{tenancy.id}", signup_form()).status_code == 403
    assert client.get(f"/verhuizen/{other.id}").status_code == 200
    assert _all(engine) == []


def test_programmes_are_shown_in_plain_dutch_with_amounts(client, engine, settings):
    world, _tenancy, location = _enter(client, engine, settings)
    with session_scope(engine) as session:
        seed_sample_programmes(session, world.corporation.id, actor="test")
    section = page(client.get(location)).find(
        "section", attrs={"aria-labelledby": "programmes-title"}
    )
    text = " ".join(section.get_text(" ").split())
    assert "65+ Verhuisvoordeel" in text and "Van Groot Naar Beter" in text
    assert "U krijgt € 1.000,00 voor de kosten van de verhuizing." in text
    assert "U krijgt € 1.500,00 voor de kosten van de verhuizing." in text
    assert "Gaat u meer dan € 50,00 per maand meer betalen?" in text
    assert "in 3 jaar stap voor stap" in text
    assert "Bent u 65 jaar of ouder? Dan krijgt u voorrang op een woning zonder trap." in text


def test_without_code_one_corporation_goes_straight_to_the_form(client, engine):
    corporation_with_complex(engine, "acme", homes=2)
    response = client.get("/verhuizen/aanmelden", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith(
        "/verhuizen/aanmelden/acme"
    )
    corporation_with_complex(engine, "other", homes=2)
    links = page(client.get("/verhuizen/aanmelden")).select("main li a")
    assert sorted(a.get_text(strip=True) for a in links) == ["Acme", "Other"]


def test_sign_up_without_code(client, engine):
    world = corporation_with_complex(engine, "acme", homes=2)
    html = page(client.get("/verhuizen/aanmelden/acme"))
    assert html.find("input", id="street_address") and html.find("input", id="postcode")
    response = client.submit("/verhuizen/aanmelden/acme", open_form())
    assert response.status_code == 303
    assert response.headers["location"].endswith("/verhuizen/aanmelden/acme/ontvangen")
    [row] = _all(engine)
    assert (row.tenancy_id, row.channel, row.corporation_id) == (None, "open", world.corporation.id)
    assert (row.contact_name, row.street_address, row.postcode) == (
        "Anna de Vries",
        "Kerkstraat 12",
        "3511 AB",
    )
    received = page(client.get(response.headers["location"]))
    assert received.h1.get_text(strip=True) == "Wij hebben uw aanmelding ontvangen"


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [({"contact_name": "", "street_address": "", "postcode": "35", "town": ""},
      {"contact_name", "street_address", "postcode", "town"}),
     ({"phone": "", "email": "", "contact_by": "letter"}, {"phone"}),
     ({"email": "geen-adres"}, {"email"})],
)  # fmt: skip
def test_sign_up_without_code_checks_name_and_address(client, engine, overrides, fields):
    corporation_with_complex(engine, "acme", homes=2)
    response = client.submit("/verhuizen/aanmelden/acme", open_form(**overrides))
    assert response.status_code == 400
    assert set(errors_of(response)) == fields
    assert _all(engine) == []


def test_sign_up_without_code_for_unknown_corporation(client, engine):
    response = client.get("/verhuizen/aanmelden/bestaat-niet")
    assert response.status_code == 404
    assert client.submit("/verhuizen/aanmelden/bestaat-niet", open_form()).status_code == 404


def test_sign_ups_without_code_are_limited_per_browser(client, engine):
    corporation_with_complex(engine, "acme", homes=2)
    for _ in range(5):
        assert client.submit("/verhuizen/aanmelden/acme", open_form()).status_code == 303
    response = client.submit("/verhuizen/aanmelden/acme", open_form())
    assert response.status_code == 400 and errors_of(response) == ["contact_name"]
    assert len(_all(engine)) == 5


def test_sign_up_form_without_csrf_token_is_refused(client, engine):
    corporation_with_complex(engine, "acme", homes=2)
    client.csrf()
    response = client.post("/verhuizen/aanmelden/acme", data=open_form(), follow_redirects=False)
    assert response.status_code == 403 and _all(engine) == []


def test_a_moving_code_only_opens_its_own_tenancy(client, engine, settings):
    world = corporation_with_complex(engine, "acme", homes=3)
    first, second = tenancies(engine, world.corporation.id)[:2]
    wrong = tenant_code(
        engine, settings, first, Purpose.MOVING, second.id
    )  # object names another home
    client.submit("/code", {"code": wrong})
    assert client.get(f"/verhuizen/{second.id}").status_code == 403
    assert client.submit(f"/verhuizen/{second.id}", signup_form()).status_code == 403
    assert _all(engine) == []
