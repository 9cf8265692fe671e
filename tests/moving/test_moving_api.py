"""GET /api/v1/moving/signups(/{id}): not allowed, not found, valid, bad input; OpenAPI."""

import pytest

from tests.factories import staff
from tests.moving.moving_helpers import make_signup, office, token_for


def test_no_token_is_401(client, engine):
    for url in ("/api/v1/moving/signups", "/api/v1/moving/signups/1"):
        response = client.get(url)
        assert response.status_code == 401 and response.json()["error"].startswith(
            "Not authenticated"
        )
    response = client.get("/api/v1/moving/signups", headers={"Authorization": "Bearer cst_wrong"})
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["case_worker", "project_leader", "committee"])
def test_other_roles_are_403(client, engine, settings, role):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id)
    user = o.case_worker if role == "case_worker" else staff(engine, "acme", role)
    headers = token_for(engine, settings, user)
    for url in ("/api/v1/moving/signups", f"/api/v1/moving/signups/{signup.id}"):
        response = client.get(url, headers=headers)
        assert (
            response.status_code == 403
            and response.status_code == 403
            and "error" in response.json()
        )


def test_list_for_broker_and_admin(client, engine, settings):
    o = office(engine)
    cid = o.world.corporation.id
    first = make_signup(engine, cid, broker_id=o.broker.id, rooms="5", current_rent="612,50")
    second = make_signup(engine, cid, tenancy_id=o.tenancies[0].id, status="searching")
    other = office(engine, "other")
    make_signup(engine, other.world.corporation.id)
    for user in (o.broker, o.admin):
        body = client.get(
            "/api/v1/moving/signups", headers=token_for(engine, settings, user)
        ).json()
        assert [item["id"] for item in body["signups"]] == [second.id, first.id]
    headers = token_for(engine, settings, o.broker)
    item = client.get(f"/api/v1/moving/signups/{first.id}", headers=headers).json()
    assert item["current_home"] == {"type": "apartment", "floor": 3, "rooms": 5, "access": "stairs",
                                    "rent_cents": 61250}  # fmt: skip
    assert (item["status"], item["channel"], item["tenancy_code"], item["broker_id"]) == (
        "new",
        "open",
        None,
        o.broker.id,
    )
    assert item["contact"]["languages"] == ["nl", "tr"]
    assert item["address"]["postcode"] == "3511 AB"
    linked = client.get(f"/api/v1/moving/signups/{second.id}", headers=headers).json()
    assert linked["tenancy_code"] == o.tenancies[0].code
    body = client.get("/api/v1/moving/signups?status=searching", headers=headers).json()
    assert [item["id"] for item in body["signups"]] == [second.id]
    body = client.get("/api/v1/moving/signups?mine=true", headers=headers).json()
    assert [item["id"] for item in body["signups"]] == [first.id]


def test_not_found_and_other_corporation(client, engine, settings):
    o = office(engine)
    other = office(engine, "other")
    foreign = make_signup(engine, other.world.corporation.id)
    headers = token_for(engine, settings, o.admin)
    for url in (f"/api/v1/moving/signups/{foreign.id}", "/api/v1/moving/signups/99999",
                "/api/v1/moving/signups/abc", "/api/v1/moving/signups/181436258071188014821801984",
                "/api/v1/moving/signups/0"):  # fmt: skip
        response = client.get(url, headers=headers)
        assert response.status_code == 404 and response.json()["error"].startswith("Not found")


@pytest.mark.parametrize("query", ["status=bogus", "mine=yes", "status="])
def test_bad_query_parameters(client, engine, settings, query):
    o = office(engine)
    make_signup(engine, o.world.corporation.id)
    response = client.get(
        f"/api/v1/moving/signups?{query}", headers=token_for(engine, settings, o.broker)
    )
    if query == "status=":  # empty means no filter
        assert response.status_code == 200 and len(response.json()["signups"]) == 1
        return
    assert response.status_code == 400
    assert response.json()["error"] in ("Unknown status", "mine must be true or false")


def test_openapi_describes_the_moving_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()
    listing = document["paths"]["/moving/signups"]["get"]
    assert {"200", "400", "401", "403"} <= set(listing["responses"])
    assert {p["name"] for p in listing["parameters"]} == {"status", "mine"}
    assert {"200", "404"} <= set(
        document["paths"]["/moving/signups/{signup_id}"]["get"]["responses"]
    )
    schema = document["components"]["schemas"]["MovingSignup"]
    assert "care_needs" in schema["properties"] and "broker assigned" in schema["description"]
