"""JSON API: paper and home-visit ballots recorded by a corporation's other systems.

``POST /api/v1/proposals/{id}/ballots`` casts through the same ``cast_ballot`` as every
channel (the most recent cast date wins). The four-eyes setting applies to staff
entering forms on the entry page only: a ballot from another system counts at once,
that system being responsible for its own checks. Scoped to the token's corporation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from consent.accounts.models import Role
from consent.api.auth import ApiError, json_body, require_token
from consent.audit.service import record
from consent.db import new_session
from consent.housing.models import Tenancy
from consent.paper.rules import ENTRY_CHANNELS, cast_moment
from consent.proposals import electorate, service, voting
from consent.proposals.rules import Status
from consent.proposals.tally import Choice
from consent.timeutil import parse_instant
from consent.web import engine

WRITE = (Role.PROJECT_LEADER,)  # admin passes every role check
FIELD_FOR = {"bad_choice": "choice", "bad_channel": "channel", "not_eligible": "tenancy",
             "outside_window": "cast_at", "future": "cast_at"}  # fmt: skip

__all__ = ["OPENAPI_PATHS", "OPENAPI_SCHEMAS", "routes"]


def _invalid(errors: dict[str, str]) -> ApiError:
    details = [{"field": field, "message": text} for field, text in errors.items()]
    return ApiError(422, "The ballot is not valid", details)


def _moment(raw: Any, errors: dict[str, str]) -> tuple[datetime | None, date | None]:
    """(instant, None) for a date-time, (None, day) for a plain date, both None if absent."""
    if raw is None:
        return None, None
    if not isinstance(raw, str):
        errors["cast_at"] = "Must be an ISO 8601 date-time or date"
        return None, None
    try:
        if len(raw) == 10:
            return None, date.fromisoformat(raw)
        return parse_instant(raw), None
    except ValueError:
        errors["cast_at"] = "Must be an ISO 8601 date-time or date"
        return None, None


async def cast(request: Request) -> Response:
    user = require_token(request, *WRITE)
    body = await json_body(request)
    errors: dict[str, str] = {}
    code, choice, channel = body.get("tenancy"), body.get("choice"), body.get("channel")
    if not isinstance(code, str) or not code.strip():
        errors["tenancy"] = "Required: the tenancy's huurovereenkomstCode"
    if not isinstance(choice, str) or choice not in {c.value for c in Choice}:
        errors["choice"] = "Must be agree or disagree"
    if not isinstance(channel, str) or channel not in ENTRY_CHANNELS:
        errors["channel"] = "Must be paper or home_visit"
    instant, day = _moment(body.get("cast_at"), errors)
    with new_session(engine(request)) as session:
        proposal = service.get_for(session, user, int(request.path_params["proposal_id"]))
        if proposal is None:
            raise ApiError(404, "Not found")
        if errors:
            raise _invalid(errors)
        assert isinstance(code, str) and isinstance(choice, str) and isinstance(channel, str)
        if proposal.status != Status.OPEN:
            raise ApiError(409, "Voting on this proposal is not open")
        tenancy = session.exec(
            select(Tenancy).where(
                Tenancy.corporation_id == user.corporation_id, Tenancy.code == code.strip()
            )
        ).first()
        pid = proposal.id or 0
        if tenancy is None or electorate.voter(session, pid, tenancy.id or 0) is None:
            raise _invalid({"tenancy": "Not a tenancy that votes on this proposal"})
        if day is not None:
            instant = cast_moment(day, proposal.opens_at, proposal.closes_at)
            if instant is None:
                raise _invalid({"cast_at": "Outside the voting window"})
        try:
            result = voting.cast_ballot(
                session, proposal_id=pid, tenancy_id=tenancy.id or 0, choice=choice,
                actor=f"staff:{user.id}", channel=channel, cast_at=instant,
            )  # fmt: skip
        except voting.VotingError as exc:
            if exc.code in FIELD_FOR:
                raise _invalid({FIELD_FOR[exc.code]: exc.message}) from None
            raise ApiError(409, exc.message) from None
        record(
            session, actor=f"staff:{user.id}", action="paper.api_recorded",
            object_type="proposal", object_id=pid, corporation_id=proposal.corporation_id,
            details={"tenancy_id": tenancy.id, "channel": channel, "receipt": result.receipt,
                     "counted": result.counted},
        )  # fmt: skip
        session.commit()
    payload = {
        "tenancy": tenancy.code,
        "choice": result.choice,
        "channel": result.channel,
        "cast_at": result.cast_at.isoformat(),
        "receipt": result.receipt,
        "counted": result.counted,
    }
    return JSONResponse(payload, status_code=201)


def _shared(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


OPENAPI_SCHEMAS: dict[str, Any] = {
    "BallotInput": {
        "type": "object",
        "required": ["tenancy", "choice", "channel"],
        "properties": {
            "tenancy": {"type": "string", "description": "The tenancy's huurovereenkomstCode"},
            "choice": {"type": "string", "enum": ["agree", "disagree"]},
            "channel": {"type": "string", "enum": list(ENTRY_CHANNELS)},
            "cast_at": {
                "type": "string",
                "description": (
                    "When the tenant voted: ISO 8601 date-time (without an offset: "
                    "Europe/Amsterdam), or a date (the signed date of a form: counts from the "
                    "start of that day). Default: now. The most recent cast date counts."
                ),
                "example": "2026-05-14T10:30:00+02:00",
            },
        },
    },
    "BallotRecorded": {
        "type": "object",
        "required": ["tenancy", "choice", "channel", "cast_at", "receipt", "counted"],
        "properties": {
            "tenancy": {"type": "string"},
            "choice": {"type": "string", "enum": ["agree", "disagree"]},
            "channel": {"type": "string", "enum": list(ENTRY_CHANNELS)},
            "cast_at": {"type": "string", "format": "date-time"},
            "receipt": {"type": "string"},
            "counted": {
                "type": "boolean",
                "description": "False when a ballot with a later cast date already counts",
            },
        },
    },
}
OPENAPI_PATHS: dict[str, Any] = {
    "/proposals/{proposal_id}/ballots": {
        "post": {
            "operationId": "recordProposalBallot",
            "summary": (
                "Record a paper or home-visit ballot from another system (project leader, "
                "admin). Counts at once: the four-eyes setting is for the entry page only"
            ),
            "tags": ["proposals"],
            "parameters": [
                {
                    "name": "proposal_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                },
            ],  # fmt: skip
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/BallotInput"}}
                },
            },
            "responses": {
                "201": {
                    "description": "Recorded",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/BallotRecorded"}
                        }
                    },
                },
                "400": _shared("BadRequest"),
                "401": _shared("Unauthorized"),
                "403": _shared("Forbidden"),
                "404": _shared("NotFound"),
                "409": {
                    "description": "Voting is not open",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "413": _shared("TooLarge"),
                "422": _shared("ValidationFailed"),
            },
        }
    }
}

routes = [
    Route("/proposals/{proposal_id:int}/ballots", cast, methods=["POST"],
          name="api_proposal_ballots"),
]  # fmt: skip
