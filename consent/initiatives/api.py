"""JSON API: list and read initiatives, and the corporation's answer. Scoped by corporation
(a committee member's token: their complex)."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from consent.accounts.models import Role
from consent.api.auth import ApiError, json_body, require_token
from consent.db import new_session, session_scope
from consent.initiatives import answers, queries
from consent.initiatives.api_schema import OPENAPI_PATHS, OPENAPI_SCHEMAS
from consent.initiatives.models import Initiative, Status
from consent.initiatives.service import InitiativeError
from consent.timeutil import utcnow
from consent.web import engine, settings, text_error

__all__ = ["OPENAPI_PATHS", "OPENAPI_SCHEMAS", "routes"]
READERS = (Role.PROJECT_LEADER, Role.COMMITTEE)


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def summary(detail: queries.Detail) -> dict[str, Any]:
    i = detail.initiative
    return {
        "id": i.id,
        "title": i.title,
        "status": i.status,
        "complex": {
            "id": detail.complex.id,
            "code": detail.complex.code,
            "name": detail.complex.name,
        },
        "for_home": detail.for_home,
        "measures": [m.value for m in detail.measures],
        "offer_cents": i.offer_cents,
        "created_at": _time(i.created_at),
        "submitted_at": _time(i.submitted_at),
        "due_at": _time(i.due_at),
        "answered_at": _time(i.answered_at),
        "overdue": detail.overdue,
        "paused": detail.paused_since is not None,
        "support": {
            "signed": detail.support.signed,
            "households": detail.support.households,
            "percent": str(detail.support.percent),
        },
        "proposal_id": i.proposal_id,
    }


def full(detail: queries.Detail) -> dict[str, Any]:
    i = detail.initiative
    body = summary(detail)
    body.update(
        measure_text=i.measure_text,
        reason=i.reason,
        answer_reasons=i.answer_reasons,
        history=[
            {"at": _time(h.at), "from": h.from_status or None, "to": h.to_status,
             "by_staff": h.by_staff, "note": h.note}
            for h in detail.history
        ],
        pauses=[{"started_at": _time(p.started_at), "ended_at": _time(p.ended_at)} for p in detail.pauses],
        attachments=[
            {"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size}
            for a in detail.attachments
        ],
    )  # fmt: skip
    return body


async def list_initiatives(request: Request) -> Response:
    user = require_token(request, *READERS)
    status = request.query_params.get("status") or None
    if status is not None and status not in {s.value for s in Status}:
        raise ApiError(400, "Unknown status", {"allowed": [s.value for s in Status]})
    now = utcnow()
    with new_session(engine(request)) as session:
        rows = queries.for_staff(session, user, status)
        items = [summary(queries.detail(session, row, now)) for row in rows]
    return JSONResponse({"initiatives": items})


def _get(request: Request, session: Any) -> Initiative:
    user = require_token(request, *READERS)
    found = queries.get_for_staff(session, user, request.path_params["initiative_id"])
    if found is None:
        raise HTTPException(status_code=404)
    return found


async def get_initiative(request: Request) -> Response:
    with new_session(engine(request)) as session:
        initiative = _get(request, session)
        return JSONResponse(full(queries.detail(session, initiative, utcnow())))


async def answer(request: Request) -> Response:
    user = require_token(request, Role.PROJECT_LEADER)
    body = await json_body(request)
    decision, reasons = body.get("decision"), body.get("reasons", "")
    create_proposal = body.get("create_proposal", False)
    if not isinstance(decision, str) or decision not in {d.value for d in answers.Decision}:
        raise ApiError(400, "decision must be accepted, rejected or more_info")
    if not isinstance(reasons, str) or text_error(reasons, answers.MAX_TEXT) is not None:
        raise ApiError(400, f"reasons must be text of at most {answers.MAX_TEXT} characters")
    if not isinstance(create_proposal, bool):
        raise ApiError(400, "create_proposal must be true or false")
    initiative_id = request.path_params["initiative_id"]
    try:
        with session_scope(engine(request)) as session:
            if queries.get_for_staff(session, user, initiative_id) is None:
                raise HTTPException(status_code=404)
            answers.answer(
                session, settings(request), initiative_id, answers.Decision(decision), reasons,
                actor=f"staff:{user.id}", create_proposal=create_proposal,
            )  # fmt: skip
    except InitiativeError as exc:
        reason = str(exc)
        if reason == "reasons":
            raise ApiError(400, "reasons are required to reject or to ask for information") from exc
        raise ApiError(409, "the initiative cannot be answered in its current status") from exc
    with new_session(engine(request)) as session:
        initiative = session.get(Initiative, initiative_id)
        assert initiative is not None
        return JSONResponse(full(queries.detail(session, initiative, utcnow())))


routes = [
    Route("/initiatives", list_initiatives, methods=["GET"], name="api_initiatives"),
    Route("/initiatives/{initiative_id:int}", get_initiative, methods=["GET"], name="api_initiative"),
    Route("/initiatives/{initiative_id:int}/answer", answer, methods=["POST"],
          name="api_initiative_answer"),
]  # fmt: skip
