"""Password and code hashing, CSRF, and the security headers on every response."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_hasher = PasswordHasher()
# Control characters (NUL, line breaks, escape): never part of a name, address or code, and
# PostgreSQL refuses NUL in text, so input carrying them is refused before it reaches a query.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_BODY_BYTES = 25 * 1024 * 1024

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def keyed_hash(secret_key: str, value: str) -> str:
    """HMAC-SHA256 for high-entropy secrets (codes, tokens): fast to look up, useless if leaked."""
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


class SecurityHeadersMiddleware:
    """Adds the security headers to every response, error pages included.

    Pages are not stored by the browser (a shared computer in a library must not show the
    previous tenant's page); static files keep their own caching. An unhandled error gets
    the error page here, inside the headers, and is then raised again for the server's log.
    """

    def __init__(self, app: ASGIApp, static_prefix: str = "/static/") -> None:
        self.app = app
        self.static_prefix = static_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(SECURITY_HEADERS)
        if not scope["path"].startswith(self.static_prefix):
            extra.append((b"cache-control", b"no-store"))
        state = getattr(scope.get("app"), "state", None)
        settings = getattr(state, "settings", None)
        if getattr(settings, "https_only", False):
            extra.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in extra if h[0] not in present)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                from consent.errors import server_error_page

                await server_error_page(scope)(scope, _no_receive, send_with_headers)
            raise


class CSRFMiddleware:
    """Refuses a state-changing browser request without the session's CSRF token.

    Runs inside the session middleware. The API (bearer tokens, no cookies) is exempt.
    The body is read once, checked, and replayed to the application.
    """

    def __init__(self, app: ASGIApp, exempt_prefix: str = "/api/") -> None:
        self.app = app
        self.exempt_prefix = exempt_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or scope["path"].startswith(self.exempt_prefix)
        ):
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY_BYTES:
                await _error(scope, send, 413, "too_large")
                return

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        request = Request(scope, replay)
        if not form_is_utf8(body, request.headers.get("content-type", "")):
            await _error(scope, send, 400, "encoding")
            return
        expected = request.session.get("csrf")
        sent = request.headers.get(CSRF_HEADER)
        if not sent:
            sent = await _form_token(request)
        if (
            not expected
            or not sent
            or not hmac.compare_digest(str(expected).encode(), sent.encode())
        ):
            await _csrf_failure(scope, send)
            return
        replayed = False

        async def receive_again() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, receive_again, send)


async def _form_token(request: Request) -> str | None:
    """The token field of a form body; None when there is none or the body is no form."""
    try:
        form = await request.form()
    except Exception:  # noqa: BLE001 - a malformed body simply carries no token
        return None
    value = form.get(CSRF_FIELD)
    await form.close()
    return value if isinstance(value, str) else None


def form_is_utf8(body: bytes, content_type: str) -> bool:
    """Whether every field name and text value of a form body is valid UTF-8.

    Starlette would read invalid bytes as Latin-1 (or U+FFFD) and store the garbled text;
    such a form is refused instead. Uploaded files are not checked; other bodies pass.
    """
    media, options = parse_options_header(content_type)
    try:
        if media == b"application/x-www-form-urlencoded":
            for pair in body.split(b"&"):
                for part in pair.split(b"=", 1):
                    unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        elif media == b"multipart/form-data" and b"boundary" in options:
            return _multipart_is_utf8(body, options[b"boundary"])
    except UnicodeDecodeError:
        return False
    return True


def _multipart_is_utf8(body: bytes, boundary: bytes) -> bool:
    header = bytearray()
    headers: list[bytes] = []
    data = bytearray()

    def on_header_value(chunk: bytes, start: int, end: int) -> None:
        header.extend(chunk[start:end])

    def on_header_end() -> None:
        headers.append(bytes(header))
        header.clear()

    def on_part_data(chunk: bytes, start: int, end: int) -> None:
        data.extend(chunk[start:end])

    def on_part_end() -> None:
        disposition = next((h for h in headers if b"form-data" in h.lower()), b"")
        _kind, options = parse_options_header(disposition)
        texts = [options.get(b"name", b""), options.get(b"filename", b"")]
        if b"filename" not in options:
            texts.append(bytes(data))
        for value in texts:
            value.decode("utf-8")  # raises UnicodeDecodeError
        headers.clear()
        data.clear()

    callbacks: Any = {
        "on_header_value": on_header_value,
        "on_header_end": on_header_end,
        "on_part_data": on_part_data,
        "on_part_end": on_part_end,
    }
    try:
        parser = MultipartParser(boundary, callbacks)
        parser.write(body)
        parser.finalize()
    except UnicodeDecodeError:
        return False
    except Exception:  # noqa: BLE001 - a malformed body is the handler's to refuse
        return True
    return True


async def _csrf_failure(scope: Scope, send: Send) -> None:
    await _error(scope, send, 403, "csrf")


async def _error(scope: Scope, send: Send, status: int, reason: str) -> None:
    from consent.errors import render_error  # the error page needs templates, built later

    response = render_error(scope, status, reason)
    await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
