"""Care needs (special-category data) reach the assigned broker and nobody else."""

import pytest

from consent.db import new_session
from consent.moving.models import SignupCareNeeds
from tests.factories import staff
from tests.moving.moving_helpers import (
    NEEDS,
    make_signup,
    office,
    page,
    sign_in,
    stored_needs,
    token_for,
)

MARK = "rollator"  # a word of NEEDS that appears nowhere else


def _setup(engine):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id, tenancy_id=o.tenancies[0].id, needs=NEEDS,
                         consent=True, broker_id=o.broker.id)  # fmt: skip
    return o, signup


def test_assigned_broker_sees_the_care_needs(client, engine):
    o, signup = _setup(engine)
    sign_in(client, o.broker.email)
    html = page(client.get(f"/medewerkers/verhuizen/{signup.id}"))
    assert html.find("h2", string="Zorg of beperking") is not None
    assert NEEDS in html.get_text()


@pytest.mark.parametrize("who", ["admin", "other_broker"])
def test_care_needs_are_hidden_from_admin_and_other_brokers_on_every_page(client, engine, who):
    o, signup = _setup(engine)
    sign_in(client, getattr(o, who).email)
    for url in (f"/medewerkers/verhuizen/{signup.id}", "/medewerkers/verhuizen",
                "/medewerkers/verhuizen/cijfers"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200
        assert MARK not in response.text.lower(), url
    html = page(client.get(f"/medewerkers/verhuizen/{signup.id}"))
    assert html.find("h2", string="Zorg of beperking") is None
    assert html.find("form", action=lambda a: a and a.endswith("/zorg-wissen")) is None
    response = client.submit(f"/medewerkers/verhuizen/{signup.id}/zorg-wissen")
    assert response.status_code == 403 and stored_needs(engine) == [NEEDS]


@pytest.mark.parametrize("role", ["case_worker", "project_leader", "committee"])
def test_other_roles_get_nothing(client, engine, role):
    o, signup = _setup(engine)
    user = o.case_worker if role == "case_worker" else staff(engine, "acme", role)
    sign_in(client, user.email)
    response = client.get(f"/medewerkers/verhuizen/{signup.id}")
    assert response.status_code == 403 and MARK not in response.text.lower()


def test_csv_export_never_holds_care_needs_even_for_the_assigned_broker(client, engine):
    o, signup = _setup(engine)
    for user in (o.broker, o.admin):
        client.cookies.clear()
        sign_in(client, user.email)
        response = client.get("/medewerkers/verhuizen/aanmeldingen.csv")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert MARK not in response.text.lower()
        header = response.text.lstrip("\ufeff").splitlines()[0].split(",")
        assert not any(column == "zorg" or "needs" in column for column in header)
        assert str(signup.id) in response.text


def test_api_shows_care_needs_only_to_the_assigned_broker(client, engine, settings):
    o, signup = _setup(engine)
    for user, sees in ((o.broker, True), (o.other_broker, False), (o.admin, False)):
        headers = token_for(engine, settings, user)
        [item] = client.get("/api/v1/moving/signups", headers=headers).json()["signups"]
        one = client.get(f"/api/v1/moving/signups/{signup.id}", headers=headers).json()
        for body in (item, one):
            assert ("care_needs" in body) is sees, user.email
            if sees:
                assert body["care_needs"] == NEEDS
            else:
                assert MARK not in str(body).lower()
    response = client.get(
        "/api/v1/moving/signups", headers=token_for(engine, settings, o.case_worker)
    )
    assert response.status_code == 403 and MARK not in response.text.lower()


def test_reassigning_moves_the_access_with_the_case(client, engine):
    o, signup = _setup(engine)
    sign_in(client, o.admin.email)
    client.submit(
        f"/medewerkers/verhuizen/{signup.id}/makelaar", {"broker_id": str(o.other_broker.id)}
    )
    second = client.__class__(client.app, base_url="http://testserver")
    with second:
        sign_in(second, o.other_broker.email)
        assert NEEDS in second.get(f"/medewerkers/verhuizen/{signup.id}").text
    client.cookies.clear()
    sign_in(client, o.broker.email)
    assert MARK not in client.get(f"/medewerkers/verhuizen/{signup.id}").text.lower()


def test_assigned_broker_can_erase_the_care_needs(client, engine):
    o, signup = _setup(engine)
    sign_in(client, o.broker.email)
    response = client.submit(f"/medewerkers/verhuizen/{signup.id}/zorg-wissen")
    assert response.status_code == 303
    with new_session(engine) as session:
        assert session.get(SignupCareNeeds, 1) is None
    assert stored_needs(engine) == []
    html = page(client.get(f"/medewerkers/verhuizen/{signup.id}"))
    assert "De huurder heeft hier niets over ingevuld." in html.get_text()


def test_history_does_not_reveal_erased_care_needs_to_others(client, engine, make_client):
    o, signup = _setup(engine)
    sign_in(client, o.broker.email)
    client.submit(f"/medewerkers/verhuizen/{signup.id}/zorg-wissen")
    admin = make_client()
    sign_in(admin, o.admin.email)
    assert "zorg gewist" not in admin.get(f"/medewerkers/verhuizen/{signup.id}").text.lower()
    assert "zorg gewist" in client.get(f"/medewerkers/verhuizen/{signup.id}").text.lower()


def test_care_needs_without_consent_never_reach_the_table(engine):
    o = office(engine)
    make_signup(engine, o.world.corporation.id, needs=NEEDS, consent=False, broker_id=o.broker.id)
    assert stored_needs(engine) == []
