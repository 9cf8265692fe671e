"""JSON API for proposals (scoped to the token's corporation; another's is 404)."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from consent.accounts.models import Role, StaffUser
from consent.api.auth import ApiError, json_body, require_token
from consent.db import new_session
from consent.proposals import codes, electorate, results, service, workflow
from consent.proposals.api_docs import OPENAPI_PATHS, OPENAPI_SCHEMAS
from consent.proposals.api_json import invalid, parse_proposal, proposal_json, tally_json
from consent.proposals.inputs import MAX_CODE, MAX_REASON, InvalidInput
from consent.proposals.models import Proposal
from consent.web import engine, settings, text_error

WRITE = (Role.PROJECT_LEADER,)  # admin passes every role check
READ = (Role.PROJECT_LEADER, Role.COMMITTEE)

__all__ = ["OPENAPI_PATHS", "OPENAPI_SCHEMAS", "routes"]


def _find(session: Session, user: StaffUser, request: Request) -> Proposal:
    proposal = service.get_for(session, user, int(request.path_params["proposal_id"]))
    if proposal is None:
        raise ApiError(404, "Not found")
    return proposal


def _one(session: Session, proposal: Proposal, status: int = 200) -> Response:
    return JSONResponse(proposal_json(session, proposal), status_code=status)


async def create(request: Request) -> Response:
    user = require_token(request, *WRITE)
    data = parse_proposal(await json_body(request))
    with new_session(engine(request)) as session:
        try:
            proposal = service.create_proposal(
                session, corporation_id=user.corporation_id, data=data,
                actor=service.actor_of(user),
            )  # fmt: skip
        except InvalidInput as exc:
            raise invalid("The proposal is not valid", exc.errors) from None
        session.commit()
        return _one(session, proposal, 201)


async def list_all(request: Request) -> Response:
    user = require_token(request, *READ)
    with new_session(engine(request)) as session:
        items = [proposal_json(session, p) for p in service.list_for(session, user)]
    return JSONResponse({"proposals": items})


async def get_one(request: Request) -> Response:
    user = require_token(request, *READ)
    with new_session(engine(request)) as session:
        return _one(session, _find(session, user, request))


async def _transition(
    request: Request, step: Callable[[Session, Proposal, str], object]
) -> Response:
    user = require_token(request, *WRITE)
    with new_session(engine(request)) as session:
        proposal = _find(session, user, request)
        try:
            step(session, proposal, service.actor_of(user))
        except service.ProposalError as exc:
            raise ApiError(409, exc.message) from None
        session.commit()
        return _one(session, proposal)


async def open_voting(request: Request) -> Response:
    return await _transition(request, workflow.open_voting)


async def close_voting(request: Request) -> Response:
    return await _transition(request, workflow.close_voting)


async def add_exclusion(request: Request) -> Response:
    user = require_token(request, *WRITE)
    body = await json_body(request)
    unit, reason = body.get("unit"), body.get("reason")
    details: dict[str, str] = {}
    if not isinstance(unit, str) or not unit.strip():
        details["unit"] = "Required: the unit's eenheidCode"
    elif (message := text_error(unit, MAX_CODE)) is not None:
        details["unit"] = message
    if not isinstance(reason, str) or not reason.strip():
        details["reason"] = "Required: why the unit does not vote"
    elif (message := text_error(reason, MAX_REASON)) is not None:
        details["reason"] = message
    if details:
        raise invalid("The exclusion is not valid", details)
    assert isinstance(unit, str) and isinstance(reason, str)
    with new_session(engine(request)) as session:
        proposal = _find(session, user, request)
        try:
            row = electorate.add_exclusion(
                session, proposal, unit.strip(), reason, service.actor_of(user)
            )
        except service.ProposalError as exc:
            if exc.field in ("unit", "reason"):
                raise invalid("The exclusion is not valid", {exc.field: exc.message}) from None
            raise ApiError(409, exc.message) from None
        session.commit()
        return JSONResponse({"unit": unit.strip(), "reason": row.reason}, status_code=201)


async def issue_codes(request: Request) -> Response:
    user = require_token(request, *WRITE)
    with new_session(engine(request)) as session:
        proposal = _find(session, user, request)
        try:
            issued = codes.issue_missing(
                session, settings(request), proposal, service.actor_of(user)
            )
        except service.ProposalError as exc:
            raise ApiError(409, exc.message) from None
        session.commit()
    items = [{"tenancy": i.tenancy.code, "unit": i.unit.code, "code": i.code} for i in issued]
    return JSONResponse({"codes": items}, headers={"Cache-Control": "no-store"})


async def tally(request: Request) -> Response:
    user = require_token(request, *READ)
    with new_session(engine(request)) as session:
        proposal = _find(session, user, request)
        body = tally_json(proposal, results.tally_for(session, proposal))
    return JSONResponse(body)


P = "/proposals/{proposal_id:int}"
routes = [
    Route("/proposals", create, methods=["POST"], name="api_proposal_create"),
    Route("/proposals", list_all, methods=["GET"], name="api_proposal_list"),
    Route(P, get_one, methods=["GET"], name="api_proposal"),
    Route(P + "/open", open_voting, methods=["POST"], name="api_proposal_open"),
    Route(P + "/close", close_voting, methods=["POST"], name="api_proposal_close"),
    Route(P + "/exclusions", add_exclusion, methods=["POST"], name="api_proposal_exclusions"),
    Route(P + "/codes", issue_codes, methods=["POST"], name="api_proposal_codes"),
    Route(P + "/tally", tally, methods=["GET"], name="api_proposal_tally"),
]
