"""The housing API: complexes with units and tenancies, scoped by the token."""

from __future__ import annotations

import copy

import pytest
from sqlmodel import select

from consent.audit.models import AuditEvent
from consent.db import new_session
from tests.factories import api_token, corporation_with_complex, staff
from tests.housing.housing_support import corporation_id, snapshot

COMPLEX = {
    "clusterCode": "C-NEW",
    "clusterNaam": "De Eik",
    "eenheden": [
        {"eenheidCode": "E-NEW-1", "straatnaam": "Eikenlaan", "huisnummer": 1,
         "postcode": "3521kl", "woonplaats": "Utrecht", "soort": "sociale_huur",
         "huurovereenkomstCode": "HO-NEW-1", "ingangsdatum": "2020-02-01",
         "huurders": ["Jansen, P.", "Jansen, A."], "taal": "en", "email": "p@example.nl",
         "kaleHuur": 612.5},
        {"eenheidCode": "E-NEW-2", "straatnaam": "Eikenlaan", "huisnummer": "3",
         "huisletter": "A", "postcode": "3521 KL", "woonplaats": "Utrecht", "soort": "koop"},
    ],
}  # fmt: skip


class Tokens(dict):  # type: ignore[type-arg]
    """Authorization headers per role of acme, each account made when first asked for."""

    def __init__(self, engine, settings) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.engine, self.settings = engine, settings

    def __missing__(self, role: str) -> dict[str, str]:
        complex_code = "C-1" if role == "committee" else None
        user = staff(self.engine, "acme", role, complex_code=complex_code)
        self[role] = api_token(self.engine, self.settings, user.email)
        return self[role]


@pytest.fixture
def acme(engine, settings) -> Tokens:  # type: ignore[no-untyped-def]
    corporation_with_complex(engine, "acme", homes=2, vacant=1)
    corporation_with_complex(engine, "other", homes=2, complex_code="C-9")
    return Tokens(engine, settings)


def test_without_a_valid_token_every_route_is_401(client, acme):
    acme["admin"]  # a token exists, just not this one
    for method, url in (("get", "/api/v1/complexes"), ("get", "/api/v1/complexes/C-1"),
                        ("post", "/api/v1/complexes")):  # fmt: skip
        for headers in ({}, {"Authorization": "Bearer cst_wrong"}, {"Authorization": "Basic eDp5"}):
            response = client.request(method.upper(), url, headers=headers, json=COMPLEX)
            assert response.status_code == 401
            assert response.json()["error"].startswith("Not authenticated")
            assert response.headers["www-authenticate"] == "Bearer"


def test_list_shows_the_own_corporation_only(client, acme):
    body = client.get("/api/v1/complexes", headers=acme["broker"]).json()
    assert body == {
        "complexen": [{"clusterCode": "C-1", "clusterNaam": "De Linde", "aantalEenheden": 3}]
    }


def test_read_gives_units_current_tenancies_and_tenants(client, acme):
    body = client.get("/api/v1/complexes/C-1", headers=acme["project_leader"]).json()
    assert (body["clusterCode"], body["clusterNaam"]) == ("C-1", "De Linde")
    first, _second, empty = body["eenheden"]
    assert first["eenheidCode"] == "acme-E-C-1-0001"
    assert (first["huisnummer"], first["postcode"], first["kaleHuur"], first["bewoond"]) == (
        1,
        "3521 KL",
        "600",
        True,
    )
    assert first["huurovereenkomst"]["huurovereenkomstCode"] == "acme-HO-C-1-0001"
    assert first["huurovereenkomst"]["huurders"] == ["Tenant 1"]
    assert first["huurovereenkomst"]["ingangsdatum"] == "2015-01-01"
    assert (empty["bewoond"], empty["huurovereenkomst"]) == (False, None)


def test_another_corporations_complex_and_unknown_codes_are_404(client, acme):
    for code in ("C-9", "C-404", "C%00", "%F0%9F%98%80", "x" * 500):
        response = client.get(f"/api/v1/complexes/{code}", headers=acme["admin"])
        assert response.status_code == 404
        assert response.json() == {"error": "There is no complex with this code"}


def test_a_committee_token_sees_its_own_complex_without_personal_data(
    client, engine, settings, acme
):
    body = client.get("/api/v1/complexes/C-1", headers=acme["committee"]).json()
    assert all("huurovereenkomst" not in unit for unit in body["eenheden"])
    assert [unit["bewoond"] for unit in body["eenheden"]] == [True, True, False]
    elsewhere = staff(engine, "acme", "committee", email="c2@acme.example")  # no complex
    listing = client.get(
        "/api/v1/complexes", headers=api_token(engine, settings, elsewhere.email)
    ).json()
    assert listing == {"complexen": []}


@pytest.mark.parametrize("role", ["broker", "case_worker", "committee"])
def test_only_admins_and_project_leaders_may_create(client, engine, acme, role):
    response = client.post("/api/v1/complexes", headers=acme[role], json=COMPLEX)
    assert response.status_code == 403
    assert response.json() == {"error": "Your role does not allow this"}
    assert len(snapshot(engine, corporation_id(engine, "acme"))["complexes"]) == 1


def test_create_stores_the_complex_through_the_import(client, engine, acme):
    response = client.post("/api/v1/complexes", headers=acme["project_leader"], json=COMPLEX)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "http://testserver/api/v1/complexes/C-NEW"
    body = response.json()
    rented, sold = body["eenheden"]
    assert (rented["postcode"], rented["kaleHuur"], rented["huurovereenkomst"]["taal"]) == (
        "3521 KL",
        "612.5",
        "en",
    )
    assert rented["huurovereenkomst"]["huurders"] == ["Jansen, P.", "Jansen, A."]
    assert (sold["soort"], sold["huisletter"], sold["huurovereenkomst"]) == ("koop", "A", None)
    assert client.get("/api/v1/complexes/C-NEW", headers=acme["broker"]).json() == body
    with new_session(engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "complex.created")).one()
    assert event.actor.startswith("staff:") and '"units": 2' in event.details


def test_invalid_fields_are_422_with_a_message_per_field(client, engine, acme):
    bad = copy.deepcopy(COMPLEX)
    bad["eenheden"][0].update(postcode="12", huurders=["A|B"], bouwjaar=1970)
    bad["eenheden"][1].update(soort="kasteel", huisnummer=True)
    bad["extra"] = 1
    response = client.post("/api/v1/complexes", headers=acme["admin"], json=bad)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "The complex is not valid"
    found = {(item["field"], item["message"]) for item in body["details"]}
    assert ("extra", "unknown field 'extra'") in found
    assert ("eenheden[0].bouwjaar", "unknown field 'bouwjaar'") in found
    assert ("eenheden[0].huurders", "huurders must be a list of names") in found
    assert ("eenheden[0].postcode", "postcode '12' is not a Dutch postcode (1234 AB)") in found
    assert ("eenheden[1].huisnummer", "huisnummer must be text or a number") in found
    assert any(field == "eenheden[1].soort" and "'kasteel'" in message for field, message in found)
    assert len(snapshot(engine, corporation_id(engine, "acme"))["complexes"]) == 1


def test_the_csv_rules_apply_to_the_api(client, acme):
    bad = copy.deepcopy(COMPLEX)
    bad["eenheden"][0]["postcode"] = "1234"
    bad["eenheden"][1]["huurovereenkomstCode"] = "HO-X"
    bad["eenheden"][1]["huurders"] = "Iemand"
    bad["eenheden"][1]["ingangsdatum"] = "2020-01-01"
    details = client.post("/api/v1/complexes", headers=acme["admin"], json=bad).json()["details"]
    assert {
        "field": "eenheden[0].postcode",
        "message": "postcode '1234' is not a Dutch postcode (1234 AB)",
    } in details
    assert {
        "field": "eenheden[1].huurovereenkomstCode",
        "message": "a koop unit cannot have a tenancy",
    } in details


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "eenheden"), ({"clusterCode": "C", "clusterNaam": "N", "eenheden": []}, "eenheden"),
     ({"clusterCode": ["C"], "clusterNaam": "N", "eenheden": [{}]}, "clusterCode"),
     ({"clusterCode": "C", "clusterNaam": "N", "eenheden": ["x"]}, "eenheden[0]")],
)  # fmt: skip
def test_a_malformed_complex_is_422(client, acme, body, field):
    response = client.post("/api/v1/complexes", headers=acme["admin"], json=body)
    assert response.status_code == 422
    assert field in {item["field"] for item in response.json()["details"]}


def test_codes_in_use_are_a_409_conflict_and_nothing_is_written(client, engine, acme):
    before = snapshot(engine, corporation_id(engine, "acme"))
    existing = copy.deepcopy(COMPLEX)
    existing["clusterCode"] = "C-1"
    response = client.post("/api/v1/complexes", headers=acme["admin"], json=existing)
    assert response.status_code == 409
    assert response.json()["details"] == [
        {"field": "clusterCode", "message": "clusterCode C-1 already exists"}
    ]
    taken = copy.deepcopy(COMPLEX)
    taken["eenheden"][1]["eenheidCode"] = "acme-E-C-1-0001"
    taken["eenheden"][0]["huurovereenkomstCode"] = "acme-HO-C-1-0002"
    for body, field in ((taken, "eenheden[1].eenheidCode"),):
        response = client.post("/api/v1/complexes", headers=acme["admin"], json=body)
        assert response.status_code == 409
        assert [d["field"] for d in response.json()["details"]] == [field]
    taken["eenheden"][1]["eenheidCode"] = "E-FREE"
    response = client.post("/api/v1/complexes", headers=acme["admin"], json=taken)
    assert response.status_code == 409
    assert response.json()["details"] == [{
        "field": "eenheden[0].huurovereenkomstCode",
        "message": "huurovereenkomstCode acme-HO-C-1-0002 belongs to unit acme-E-C-1-0002",
    }]  # fmt: skip
    assert snapshot(engine, corporation_id(engine, "acme")) == before


def test_another_corporation_may_create_the_same_codes(client, engine, settings, acme):
    other = api_token(engine, settings, staff(engine, "other", "admin").email)
    assert client.post("/api/v1/complexes", headers=acme["admin"], json=COMPLEX).status_code == 201
    assert client.post("/api/v1/complexes", headers=other, json=COMPLEX).status_code == 201
    assert client.get("/api/v1/complexes/C-NEW", headers=other).json()["clusterNaam"] == "De Eik"
