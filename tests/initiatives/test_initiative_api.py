"""The initiatives API: per endpoint not allowed, not found, valid and bad input."""

from __future__ import annotations

from consent.accounts.service import create_api_token
from consent.db import session_scope
from tests.factories import corporation_with_complex, staff
from tests.initiatives.initiative_helpers import make_initiative, reload
from tests.initiatives.test_initiative_answers import _submit


def token(
    engine, settings, slug: str, role: str, complex_code: str | None = None
) -> dict[str, str]:
    user = staff(
        engine,
        slug,
        role,
        email=f"{role}-{complex_code or 'x'}@{slug}.example",
        complex_code=complex_code,
    )
    with session_scope(engine) as session:
        value = create_api_token(session, settings, user.email, actor="test")
    return {"Authorization": f"Bearer {value}"}


def setup(engine, settings):  # type: ignore[no-untyped-def]
    world = corporation_with_complex(engine, "acme")
    corporation_with_complex(engine, "other")
    submitted = make_initiative(engine, settings, world, title="Ingediend")
    _submit(engine, settings, submitted.id)
    draft = make_initiative(engine, settings, world, title="Concept")
    return world, submitted, draft


def test_list_scoped_by_corporation_and_status(client, engine, settings):
    _world, submitted, _draft = setup(engine, settings)
    assert client.get("/api/v1/initiatives").status_code == 401
    broker = token(engine, settings, "acme", "broker")
    forbidden = client.get("/api/v1/initiatives", headers=broker)
    assert forbidden.status_code == 403 and forbidden.json()["error"]
    leader = token(engine, settings, "acme", "project_leader")
    body = client.get("/api/v1/initiatives", headers=leader).json()
    assert [i["title"] for i in body["initiatives"]] == ["Ingediend"]  # a tenant's draft is private
    item = body["initiatives"][0]
    assert item["status"] == "submitted" and item["due_at"] and item["overdue"] is False
    assert item["support"] == {"signed": 1, "households": 12, "percent": "8.33"}
    other = token(engine, settings, "other", "project_leader")
    assert client.get("/api/v1/initiatives", headers=other).json() == {"initiatives": []}
    bad = client.get("/api/v1/initiatives?status=nonsense", headers=leader)
    assert bad.status_code == 400 and bad.json()["error"] == "Unknown status"
    filtered = client.get("/api/v1/initiatives?status=accepted", headers=leader).json()
    assert filtered == {"initiatives": []}
    assert submitted.id


def test_get_one(client, engine, settings):
    _world, submitted, draft = setup(engine, settings)
    url = f"/api/v1/initiatives/{submitted.id}"
    assert client.get(url).status_code == 401
    assert (
        client.get(url, headers=token(engine, settings, "acme", "case_worker")).status_code == 403
    )
    leader = token(engine, settings, "acme", "project_leader")
    body = client.get(url, headers=leader).json()
    assert body["id"] == submitted.id and body["reason"] == "De energierekening is hoog."
    assert [h["to"] for h in body["history"]] == ["draft", "submitted"]
    assert body["pauses"] == [] and body["attachments"] == []
    other = token(engine, settings, "other", "project_leader")
    missing = client.get(url, headers=other)
    assert missing.status_code == 404 and missing.json()["error"]
    assert client.get("/api/v1/initiatives/99999", headers=leader).status_code == 404
    assert client.get(f"/api/v1/initiatives/{draft.id}", headers=leader).status_code == 404
    committee = token(engine, settings, "acme", "committee", complex_code="C-1")
    assert client.get(url, headers=committee).status_code == 200


def test_answer(client, engine, settings):
    _world, submitted, draft = setup(engine, settings)
    url = f"/api/v1/initiatives/{submitted.id}/answer"
    assert client.post(url, json={"decision": "accepted"}).status_code == 401
    committee = token(engine, settings, "acme", "committee", complex_code="C-1")
    assert client.post(url, json={"decision": "accepted"}, headers=committee).status_code == 403
    leader = token(engine, settings, "acme", "project_leader")
    other = token(engine, settings, "other", "project_leader")
    assert client.post(url, json={"decision": "accepted"}, headers=other).status_code == 404
    assert (
        client.post(
            "/api/v1/initiatives/99999/answer", json={"decision": "accepted"}, headers=leader
        ).status_code
        == 404
    )

    for body in ({"decision": "maybe"}, {"decision": "rejected", "reasons": ""},
                 {"decision": "accepted", "reasons": 5}, {"decision": "accepted", "create_proposal": "yes"}):  # fmt: skip
        response = client.post(url, json=body, headers=leader)
        assert response.status_code == 400, body
        assert response.json()["error"]
    assert client.post(url, content=b"not json", headers=leader).status_code == 400

    asked = client.post(url, json={"decision": "more_info", "reasons": "Welk dak?"}, headers=leader)
    assert asked.status_code == 200
    assert asked.json()["status"] == "more_info_needed" and asked.json()["paused"] is True
    assert asked.json()["due_at"] is None
    rejected = client.post(
        url, json={"decision": "rejected", "reasons": "Te duur."}, headers=leader
    )
    assert (
        rejected.json()["status"] == "rejected" and rejected.json()["answer_reasons"] == "Te duur."
    )
    assert rejected.json()["pauses"][0]["ended_at"] is not None
    again = client.post(url, json={"decision": "accepted"}, headers=leader)
    assert again.status_code == 409
    assert reload(engine, submitted.id).status == "rejected"
    assert client.post(f"/api/v1/initiatives/{draft.id}/answer", json={"decision": "accepted"},
                       headers=leader).status_code == 404  # fmt: skip


def test_openapi_document_describes_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]) >= {
        "/initiatives", "/initiatives/{initiative_id}", "/initiatives/{initiative_id}/answer"}  # fmt: skip
    answer = document["paths"]["/initiatives/{initiative_id}/answer"]["post"]
    assert answer["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InitiativeAnswer"}  # fmt: skip
    assert {"InitiativeSummary", "Initiative", "InitiativeAnswer"} <= set(
        document["components"]["schemas"]
    )
