"""JSON API for the housing register: complexes with their units and tenancies."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from consent.api.auth import require_token
from consent.db import new_session
from consent.housing import service
from consent.web import engine


async def complexes(request: Request) -> Response:
    user = require_token(request)
    with new_session(engine(request)) as session:
        rows = service.list_complexes(session, user.corporation_id)
    items = [{"code": r.complex.code, "name": r.complex.name, "units": r.units} for r in rows]
    return JSONResponse({"complexes": items})


routes = [Route("/complexes", complexes, methods=["GET"], name="api_complexes")]

OPENAPI_SCHEMAS: dict[str, Any] = {
    "ComplexSummary": {
        "type": "object",
        "required": ["code", "name", "units"],
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "units": {"type": "integer"},
        },
    }
}
OPENAPI_PATHS: dict[str, Any] = {
    "/complexes": {
        "get": {
            "summary": "List the complexes of the token's corporation",
            "responses": {
                "200": {
                    "description": "The complexes",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "complexes": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/ComplexSummary"},
                                    }
                                },
                            }
                        }
                    },
                },
                "401": {"description": "No valid token"},
            },
        }
    }
}
