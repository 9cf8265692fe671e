"""Per-request middleware: the reader's language and the signed-in staff user."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from consent import i18n
from consent.accounts.models import StaffUser
from consent.db import new_session


class LocaleMiddleware:
    """?lang= (remembered in a cookie), else the cookie, else Accept-Language, else Dutch."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        asked = request.query_params.get("lang")
        lang = i18n.choose(
            asked, request.cookies.get(i18n.COOKIE), request.headers.get("accept-language", "")
        )
        i18n.set_locale(lang)
        scope.setdefault("state", {})["lang"] = lang
        remember = asked in i18n.LANGUAGES and asked != request.cookies.get(i18n.COOKIE)

        async def send_with_cookie(message: Message) -> None:
            if remember and message["type"] == "http.response.start":
                cookie = f"{i18n.COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax"
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class StaffUserMiddleware:
    """Loads the signed-in staff user from the session into request.state.user.

    The session cookie is renewed on every response, so its max_age only ends an idle
    session; a sign-in also ends `session_max_age` seconds after it happened.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state = scope.setdefault("state", {})
            state["user"] = None
            session = scope.get("session", {})
            user_id = session.get("user_id")
            max_age = scope["app"].state.settings.session_max_age
            signed_in_at = session.get("signed_in_at")
            if user_id is not None and (
                not isinstance(signed_in_at, int) or time.time() - signed_in_at > max_age
            ):
                session.pop("user_id", None)
                session.pop("signed_in_at", None)
                user_id = None
            if user_id is not None:
                with new_session(scope["app"].state.engine) as session:
                    user = session.get(StaffUser, user_id)
                    if user is not None and user.active:
                        session.expunge(user)
                        state["user"] = user
        await self.app(scope, receive, send)
