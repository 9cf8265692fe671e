"""Translated error pages: not signed in, forbidden, not found, CSRF, database down."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import Scope

from consent.templating import render

log = logging.getLogger("consent")


def render_error(scope: Scope, status: int, reason: str = "") -> Response:
    request = Request(scope)
    if request.url.path.startswith("/api/"):
        from consent.api.auth import error_response

        return error_response(status)
    return render(request, "error.html", {"status": status, "reason": reason}, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 401 and not request.url.path.startswith("/api/"):
        login = request.url_for("login").include_query_params(next=request.url.path)
        return RedirectResponse(str(login), status_code=303)
    response = render_error(request.scope, exc.status_code, str(exc.detail or ""))
    if exc.headers:  # e.g. Allow on a 405 (RFC 9110)
        response.headers.update(exc.headers)
    return response


async def database_down(request: Request, exc: Exception) -> Response:
    log.error("database unavailable: %s", type(exc).__name__)
    return render_error(request.scope, 503, "database")


def server_error_page(scope: Scope) -> Response:
    """The 500 page (or JSON under /api/), for the security-headers middleware.

    The server logs the exception itself when the middleware raises it again.
    """
    try:
        return render_error(scope, 500)
    except Exception:  # noqa: BLE001 - the error page itself failed: plain text
        return PlainTextResponse(
            "Internal Server Error",  # i18n-exempt: last resort
            status_code=500,
        )


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return render_error(request.scope, 500)


HANDLERS = {
    HTTPException: http_error,
    OperationalError: database_down,
    Exception: server_error,
}
