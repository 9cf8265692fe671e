"""JSON API for the housing register: complexes with their units and tenancies."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from consent.accounts.models import Role, StaffUser
from consent.api.auth import ApiError, json_body, require_token
from consent.db import new_session, session_scope
from consent.housing import api_payload, service
from consent.housing.api_schema import OPENAPI_PATHS, OPENAPI_SCHEMAS
from consent.housing.csv_rows import CODE, check_records
from consent.housing.models import Complex
from consent.web import engine

__all__ = ["OPENAPI_PATHS", "OPENAPI_SCHEMAS", "routes"]


def _complex_body(session: Session, user: StaffUser, found: Complex) -> dict[str, Any]:
    personal = service.sees_personal_data(user)
    units = [
        api_payload.unit_json(row.unit, row.tenancy, row.tenants, personal)
        for row in service.units_of(session, found.id or 0)
    ]
    return api_payload.complex_json(found, units)


async def list_complexes(request: Request) -> Response:
    user = require_token(request)
    with new_session(engine(request)) as session:
        rows = service.list_complexes(
            session, user.corporation_id, only_complex_id=service.only_complex(user)
        )
    items = [
        {"clusterCode": r.complex.code, "clusterNaam": r.complex.name, "aantalEenheden": r.units}
        for r in rows
    ]
    return JSONResponse({"complexen": items})


async def read_complex(request: Request) -> Response:
    user = require_token(request)
    code = request.path_params["code"]
    if not CODE.match(code):  # not a code at all (a NUL would even upset PostgreSQL)
        raise ApiError(404, "There is no complex with this code")
    with new_session(engine(request)) as session:
        found = service.complex_by_code(session, user.corporation_id, code)
        visible = service.visible_complex(user, found)
        if visible is None:
            raise ApiError(404, "There is no complex with this code")
        return JSONResponse(_complex_body(session, user, visible))


async def create_complex(request: Request) -> Response:
    user = require_token(request, Role.PROJECT_LEADER)
    records, problems = api_payload.records(await json_body(request))
    rows, errors = check_records(records)
    if problems or errors:
        details = api_payload.field_errors(errors, problems)
        raise ApiError(422, "The complex is not valid", details)
    with session_scope(engine(request)) as session:
        try:
            created = service.create_complex(
                session, user.corporation_id, rows, actor=f"staff:{user.id}"
            )
        except service.RegisterRefused as exc:
            details = api_payload.field_errors(exc.errors)
            raise ApiError(409, "A code in this complex is already in use", details) from exc
        body = _complex_body(session, user, created)
    location = request.url_for("api:read_complex", code=created.code)
    return JSONResponse(body, status_code=201, headers={"Location": str(location)})


routes = [
    Route("/complexes", list_complexes, methods=["GET"], name="list_complexes"),
    Route("/complexes", create_complex, methods=["POST"], name="create_complex"),
    Route("/complexes/{code:path}", read_complex, methods=["GET"], name="read_complex"),
]
