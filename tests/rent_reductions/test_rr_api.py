"""Read-only API: case list and status for case_worker and admin tokens."""

from __future__ import annotations

from consent.accounts.service import create_api_token
from consent.db import session_scope
from tests.factories import staff, tenancies
from tests.rent_reductions.rr_support import decide, sent_request, staff_user, world_with_scheme


def token_for(engine, settings, slug: str, role: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user = staff(engine, slug, role)
    with session_scope(engine) as session:
        token = create_api_token(session, settings, user.email, actor="test")
    return {"Authorization": f"Bearer {token}"}


def two_cases(engine, settings):  # type: ignore[no-untyped-def]
    world = world_with_scheme(engine)
    rows = tenancies(engine, world.corporation.id)
    first = sent_request(engine, settings, rows[0])
    second = sent_request(engine, settings, rows[1])
    worker = staff_user(
        engine, staff(engine, "acme", "case_worker", email="cw2@acme.example").email
    )
    decide(engine, settings, second.id, worker, approve=False, reason="Te hoog inkomen")
    return rows, first, second


def test_list_and_status(client, engine, settings, in_2024):
    rows, first, second = two_cases(engine, settings)
    headers = token_for(engine, settings, "acme", "case_worker")
    body = client.get("/api/v1/rent-reductions", headers=headers).json()
    by_ref = {case["reference"]: case for case in body["cases"]}
    assert set(by_ref) == {first.reference, second.reference}
    assert by_ref[first.reference]["status"] == "submitted"
    assert by_ref[first.reference]["tenancy"] == rows[0].code
    assert by_ref[first.reference]["due_at"] is not None
    assert by_ref[second.reference]["status"] == "rejected"
    open_only = client.get("/api/v1/rent-reductions?filter=open", headers=headers).json()
    assert [c["reference"] for c in open_only["cases"]] == [first.reference]
    detail = client.get(f"/api/v1/rent-reductions/{second.reference}", headers=headers).json()
    assert detail["status"] == "rejected" and detail["new_rent_cents"] is None
    assert detail["old_rent_cents"] == 60000
    assert "reject_reason" not in detail and "answers" not in detail  # no personal data


def test_admin_token_allowed_other_roles_not(client, engine, settings, in_2024):
    two_cases(engine, settings)
    admin = token_for(engine, settings, "acme", "admin")
    assert len(client.get("/api/v1/rent-reductions", headers=admin).json()["cases"]) == 2
    leader = token_for(engine, settings, "acme", "project_leader")
    response = client.get("/api/v1/rent-reductions", headers=leader)
    assert response.status_code == 403 and "error" in response.json()
    response = client.get("/api/v1/rent-reductions")
    assert response.status_code == 401 and "error" in response.json()


def test_other_corporation_sees_nothing(client, engine, settings, in_2024):
    _rows, first, _second = two_cases(engine, settings)
    world_with_scheme(engine, "other", homes=1)
    foreign = token_for(engine, settings, "other", "case_worker")
    assert client.get("/api/v1/rent-reductions", headers=foreign).json() == {"cases": []}
    response = client.get(f"/api/v1/rent-reductions/{first.reference}", headers=foreign)
    assert response.status_code == 404 and response.json()["error"] == "Not found"


def test_bad_filter_and_unknown_reference(client, engine, settings, in_2024):
    two_cases(engine, settings)
    headers = token_for(engine, settings, "acme", "case_worker")
    response = client.get("/api/v1/rent-reductions?filter=everything", headers=headers)
    assert response.status_code == 400 and response.json()["error"] == "Unknown filter"
    response = client.get("/api/v1/rent-reductions/HV-NOPE", headers=headers)
    assert response.status_code == 404


def test_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    assert {"/rent-reductions", "/rent-reductions/{reference}"} <= set(document["paths"])
    assert "RentReductionCase" in document["components"]["schemas"]
    listing = document["paths"]["/rent-reductions"]["get"]["responses"]["200"]
    items = listing["content"]["application/json"]["schema"]["properties"]["cases"]["items"]
    assert items == {"$ref": "#/components/schemas/RentReductionCase"}
