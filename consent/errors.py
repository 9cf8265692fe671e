"""Translated error pages: not signed in, forbidden, not found, CSRF, database down."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import Scope

from consent.templating import render

log = logging.getLogger("consent")


def render_error(scope: Scope, status: int, reason: str = "") -> Response:
    request = Request(scope)
    if request.url.path.startswith("/api/"):
        messages = {401: "Not authenticated", 403: "Forbidden", 404: "Not found"}
        return JSONResponse({"error": messages.get(status, "Error")}, status_code=status)
    return render(request, "error.html", {"status": status, "reason": reason}, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 401 and not request.url.path.startswith("/api/"):
        login = request.url_for("login").include_query_params(next=request.url.path)
        return RedirectResponse(str(login), status_code=303)
    return render_error(request.scope, exc.status_code, str(exc.detail or ""))


async def database_down(request: Request, exc: Exception) -> Response:
    log.error("database unavailable: %s", type(exc).__name__)
    return render_error(request.scope, 503, "database")


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return render_error(request.scope, 500)


HANDLERS = {
    HTTPException: http_error,
    OperationalError: database_down,
    Exception: server_error,
}
