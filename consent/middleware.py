"""Per-request middleware: the reader's language and the signed-in staff user."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from consent import i18n
from consent.accounts.models import StaffUser
from consent.accounts.service import SESSION_KEY, SIGNED_IN_AT, user_for_session
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
    """Loads the signed-in staff user into request.state.user.

    The session cookie holds the key of a sign-in (accounts.models.StaffSession); the
    sign-in must still be live in the database, so ending it there signs every copy of
    the cookie out. The cookie is renewed on every response, so its max_age only ends an
    idle session; a sign-in also ends `session_max_age` seconds after it happened.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state = scope.setdefault("state", {})
            state["user"] = None
            cookie = scope.get("session", {})
            key = cookie.get(SESSION_KEY)
            if key is not None:
                user = self._user(scope, cookie, key)
                if user is None:
                    cookie.pop(SESSION_KEY, None)
                    cookie.pop(SIGNED_IN_AT, None)
                state["user"] = user
        await self.app(scope, receive, send)

    @staticmethod
    def _user(scope: Scope, cookie: dict[str, object], key: object) -> StaffUser | None:
        settings = scope["app"].state.settings
        signed_in_at = cookie.get(SIGNED_IN_AT)
        if (
            not isinstance(key, str)
            or not isinstance(signed_in_at, int)
            or time.time() - signed_in_at > settings.session_max_age
        ):
            return None
        with new_session(scope["app"].state.engine) as session:
            user = user_for_session(session, settings, key)
            if user is not None:
                session.expunge(user)
        return user
