"""The /api/v1 framework: one valid OpenAPI document for every route, errors as JSON."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from consent.api.app import api_routes, openapi_document
from consent.api.auth import MAX_JSON_BYTES
from tests.factories import api_token, corporation_with_complex, sign_in, staff

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _openapi_path(path: str) -> str:
    """Starlette's '/x/{id:int}' is OpenAPI's '/x/{id}'."""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path)


def test_the_document_is_valid_openapi_3():
    document = openapi_document()
    assert document["openapi"].startswith("3.")
    validate(document)  # raises on any schema error or dangling $ref


def test_every_api_route_and_method_is_described():
    paths = openapi_document()["paths"]
    missing = []
    for route in api_routes():
        path = _openapi_path(route.path)  # type: ignore[attr-defined]
        for method in sorted((route.methods or set()) & METHODS):  # type: ignore[attr-defined]
            operation = paths.get(path, {}).get(method.lower())
            if operation is None or not any(
                code.startswith("2") for code in operation["responses"]
            ):
                missing.append(f"{method} {path}")
    assert missing == []


def test_every_described_path_exists():
    served = {_openapi_path(route.path) for route in api_routes()}  # type: ignore[attr-defined]
    assert set(openapi_document()["paths"]) <= served


def test_every_parameter_in_a_path_is_declared():
    for path, operations in openapi_document()["paths"].items():
        names = set(re.findall(r"\{(\w+)\}", path))
        for method, operation in operations.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert names <= declared, f"{method.upper()} {path} does not declare {names - declared}"


def test_the_document_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["paths"]["/complexes"]["post"]["operationId"] == "createComplex"


@pytest.fixture
def token(engine, settings):  # type: ignore[no-untyped-def]
    corporation_with_complex(engine, "acme", homes=1)
    return api_token(engine, settings, staff(engine, "acme", "admin").email)


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'"text"'])
def test_a_body_that_is_not_a_json_object_is_400(client, token, body):
    response = client.post("/api/v1/complexes", headers=token, content=body)
    assert response.status_code == 400
    assert response.json()["error"].startswith("The request body ")


def test_a_too_large_body_is_413(client, token):
    response = client.post("/api/v1/complexes", headers=token, content=b" " * (MAX_JSON_BYTES + 1))
    assert response.status_code == 413
    assert response.json() == {"error": "The request body is too large"}


def test_unknown_paths_and_methods_are_json(client, token):
    missing = client.get("/api/v1/nothing-here", headers=token)
    assert (missing.status_code, missing.json()) == (404, {"error": "Not found"})
    wrong = client.delete("/api/v1/complexes", headers=token)
    assert (wrong.status_code, wrong.json()) == (405, {"error": "Method not allowed"})
    assert set(wrong.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_the_api_needs_no_csrf_token_but_a_session_cookie_is_no_substitute(client, engine, token):
    sign_in(client, staff(engine, "acme", "project_leader").email)
    body = {"clusterCode": "C-2", "clusterNaam": "N", "eenheden": [
        {"eenheidCode": "E-2", "straatnaam": "S", "huisnummer": 1, "postcode": "1234 AB",
         "woonplaats": "W", "soort": "koop"}]}  # fmt: skip
    cookie_only = client.post("/api/v1/complexes", json=body)
    assert cookie_only.status_code == 401
    assert cookie_only.json()["error"].startswith("Not authenticated")
    with_token = client.post("/api/v1/complexes", json=body, headers=token)
    assert with_token.status_code == 201


def test_a_revoked_token_or_inactive_user_is_401(client, engine, token):
    from sqlalchemy import update

    from consent.accounts.models import ApiToken, StaffUser
    from consent.db import session_scope
    from consent.timeutil import utcnow

    assert client.get("/api/v1/complexes", headers=token).status_code == 200
    with session_scope(engine) as session:
        session.execute(update(StaffUser).values(active=False))
    assert client.get("/api/v1/complexes", headers=token).status_code == 401
    with session_scope(engine) as session:
        session.execute(update(StaffUser).values(active=True))
        session.execute(update(ApiToken).values(revoked_at=utcnow()))
    assert client.get("/api/v1/complexes", headers=token).status_code == 401
