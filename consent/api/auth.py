"""Bearer-token authentication and JSON errors for /api/v1."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from consent.accounts.models import Role, StaffUser
from consent.accounts.service import user_for_token
from consent.db import new_session
from consent.web import engine, settings

MAX_JSON_BYTES = 5 * 1024 * 1024
MESSAGES = {
    400: "Bad request",
    401: "Not authenticated: send Authorization: Bearer <token>",
    403: "Your role does not allow this",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "The request body is too large",
    422: "Validation failed",
    429: "Too many requests",
    500: "Internal error",
    503: "The service is not available right now",
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details


def error_response(status: int, message: str | None = None, details: Any = None) -> JSONResponse:
    """The one shape of every API error: {"error": message, "details": ...}."""
    body: dict[str, Any] = {"error": message or MESSAGES.get(status, "Error")}
    if details is not None:
        body["details"] = details
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def require_token(request: Request, *roles: Role) -> StaffUser:
    """The token's user; 401 without a valid token, 403 when the role is not allowed."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(status_code=401)
    with new_session(engine(request)) as session:
        user = user_for_token(session, settings(request), token.strip())
        if user is not None:
            session.expunge(user)
    if user is None:
        raise HTTPException(status_code=401)
    if roles and user.role not in roles and user.role != Role.ADMIN:
        raise HTTPException(status_code=403)
    return user


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; 400 when it is not one, 413 when it is too large."""
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_JSON_BYTES:
            raise ApiError(413, MESSAGES[413])
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, "The request body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object")
    return body
