"""Read-only JSON API: rent-reduction cases and their status, for case_worker/admin tokens."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from consent.accounts.models import Role
from consent.api.auth import ApiError, require_token
from consent.db import new_session
from consent.housing.models import Tenancy
from consent.rent_reductions import casework
from consent.rent_reductions.models import ReductionRequest
from consent.rent_reductions.service import REFERENCE_ALPHABET
from consent.web import engine

# A case's reference as the service makes it: HV- and eight letters or digits.
REFERENCE = re.compile(f"HV-[{REFERENCE_ALPHABET}]{{8}}")
REFERENCE_PATTERN = f"^{REFERENCE.pattern}$"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _summary(session: Session, req: ReductionRequest, tenancy_code: str) -> dict[str, Any]:
    due, paused = casework.due_at(session, req)
    return {
        "reference": req.reference,
        "scheme": req.scheme_id,
        "tenancy": tenancy_code,
        "status": req.status,
        "submitted_at": _iso(req.submitted_at),
        "due_at": _iso(due),
        "clock_paused": paused,
        "decided_at": _iso(req.decided_at),
    }


async def cases(request: Request) -> Response:
    user = require_token(request, Role.CASE_WORKER)
    which = request.query_params.get("filter", "all")
    if which not in casework.FILTERS:
        raise ApiError(400, "Unknown filter", {"allowed": list(casework.FILTERS)})
    with new_session(engine(request)) as session:
        rows = casework.queue(session, user, which)
        items = [_summary(session, r.request, r.tenancy_code) for r in rows]
    return JSONResponse({"cases": items})


async def case(request: Request) -> Response:
    user = require_token(request, Role.CASE_WORKER)
    reference = str(request.path_params["reference"])
    if not REFERENCE.fullmatch(reference):
        raise ApiError(404, "Not found")
    with new_session(engine(request)) as session:
        req = casework.by_reference(session, user.corporation_id, reference)
        if req is None or req.reference is None:
            raise ApiError(404, "Not found")
        tenancy = session.get(Tenancy, req.tenancy_id)
        body = _summary(session, req, tenancy.code if tenancy else "")
    body.update(
        old_rent_cents=req.old_rent_cents,
        new_rent_cents=req.new_rent_cents,
        start_date=_iso(req.start_date),
        evidence_deleted_at=_iso(req.evidence_deleted_at),
    )
    return JSONResponse(body)


routes = [
    Route("/rent-reductions", cases, methods=["GET"], name="api_rent_reductions"),
    Route("/rent-reductions/{reference:str}", case, methods=["GET"], name="api_rent_reduction"),
]

_NULLABLE_TIME = {"type": "string", "format": "date-time", "nullable": True}
OPENAPI_SCHEMAS: dict[str, Any] = {
    "RentReductionCase": {
        "type": "object",
        "required": ["reference", "scheme", "tenancy", "status", "clock_paused"],
        "properties": {
            "reference": {"type": "string", "pattern": REFERENCE_PATTERN, "example": "HV-7K2M9QXA"},
            "scheme": {"type": "string", "description": "Scheme file id"},
            "tenancy": {"type": "string", "description": "Tenancy code in the register"},
            "status": {
                "type": "string",
                "enum": ["submitted", "more_info", "approved", "rejected"],
            },
            "submitted_at": _NULLABLE_TIME,
            "due_at": {**_NULLABLE_TIME, "description": "Null while the clock is paused"},
            "clock_paused": {"type": "boolean"},
            "decided_at": _NULLABLE_TIME,
        },
    },
    "RentReductionStatus": {
        "allOf": [
            {"$ref": "#/components/schemas/RentReductionCase"},
            {
                "type": "object",
                "properties": {
                    "old_rent_cents": {"type": "integer", "nullable": True},
                    "new_rent_cents": {"type": "integer", "nullable": True},
                    "start_date": {"type": "string", "format": "date", "nullable": True},
                    "evidence_deleted_at": _NULLABLE_TIME,
                },
            },
        ]
    },
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


_ERRORS = {
    "401": {"description": "No valid token"},
    "403": {"description": "The token's role is not case_worker or admin"},
}
OPENAPI_PATHS: dict[str, Any] = {
    "/rent-reductions": {
        "get": {
            "summary": "List the rent-reduction cases of the token's corporation",
            "parameters": [
                {
                    "name": "filter",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": list(casework.FILTERS), "default": "all"},
                }
            ],
            "responses": {
                "200": {
                    "description": "The cases, soonest due first",
                    "content": _json(
                        {
                            "type": "object",
                            "properties": {
                                "cases": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/RentReductionCase"},
                                }
                            },
                        }
                    ),
                },
                "400": {"description": "Unknown filter"},
                **_ERRORS,
            },
        }
    },
    "/rent-reductions/{reference}": {
        "get": {
            "summary": "The status of one rent-reduction case",
            "parameters": [
                {
                    "name": "reference",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": REFERENCE_PATTERN},
                }
            ],
            "responses": {
                "200": {
                    "description": "The case",
                    "content": _json({"$ref": "#/components/schemas/RentReductionStatus"}),
                },
                "404": {"description": "No such case in the token's corporation"},
                **_ERRORS,
            },
        }
    },
}
