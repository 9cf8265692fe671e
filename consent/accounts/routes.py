"""Staff sign-in, sign-out, the staff overview and the account page (password, all devices)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from consent.accounts import service
from consent.accounts.service import AccountError, authenticate
from consent.db import new_session, session_scope
from consent.i18n import gettext as _
from consent.i18n import lazy_gettext
from consent.templating import render
from consent.web import (
    client_id,
    engine,
    require_staff,
    settings,
    text,
    text_error,
    too_many_attempts,
)

MAX_NEXT = 500
PASSWORD_ERRORS = {
    "current": ("current_password", lazy_gettext("Uw huidige wachtwoord klopt niet")),
    "short": ("new_password", lazy_gettext("Kies een wachtwoord van minstens %(n)s tekens")),
    "same": ("new_password", lazy_gettext("Kies een ander wachtwoord dan uw huidige")),
}
NOTICES = {
    "wachtwoord": lazy_gettext(
        "Uw wachtwoord is gewijzigd. Op andere apparaten bent u nu uitgelogd."
    ),
}


def _safe_next(target: str) -> str:
    """A path on this site, or ''.

    Browsers read a backslash like a slash and drop tabs and newlines, so '/' followed
    by either can become '//other-site'; any such character refuses the target.
    """
    if not target.startswith("/") or target.startswith("//") or len(target) > MAX_NEXT:
        return ""
    if "\\" in target or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target):
        return ""
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else ""


def _password(form: FormData, name: str, errors: dict[str, str]) -> str:
    """A password field exactly as typed (spaces count); too long: a message in `errors`."""
    value = form.get(name)
    value = value if isinstance(value, str) else ""
    message = text_error(value, service.MAX_PASSWORD)
    if message is not None:
        errors[name] = message
    return value


async def login(request: Request) -> Response:
    next_url = _safe_next(request.query_params.get("next", ""))
    if request.method == "GET":
        return render(
            request, "accounts/login.html", {"errors": {}, "values": {}, "next": next_url}
        )
    form = await request.form()
    errors: dict[str, str] = {}
    email, password = text(form, "email", 200, errors), _password(form, "password", errors)
    if not email:
        errors["email"] = _("Vul uw e-mailadres in")
    if not password:
        errors["password"] = _("Vul uw wachtwoord in")
    user = None
    status = 400
    if not errors:
        with new_session(engine(request)) as session:
            try:
                user = authenticate(session, settings(request), email, password, client_id(request))
            except AccountError:
                errors["email"] = too_many_attempts(request)
                status = 429
        if user is None and not errors:
            errors["email"] = _("Het e-mailadres of het wachtwoord klopt niet")
    if errors or user is None:
        context = {"errors": errors, "values": {"email": email}, "next": next_url}
        return render(request, "accounts/login.html", context, status_code=status)
    with session_scope(engine(request)) as session:
        key = service.start_session(session, settings(request), user)
    request.session.clear()
    request.session[service.SESSION_KEY] = key
    request.session[service.SIGNED_IN_AT] = int(time.time())
    nxt = form.get("next")
    target = _safe_next(nxt if isinstance(nxt, str) else "") or str(request.url_for("staff_home"))
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    user = getattr(request.state, "user", None)
    key = request.session.get(service.SESSION_KEY)
    if user is not None and isinstance(key, str):
        with session_scope(engine(request)) as session:
            service.end_session(session, settings(request), user, key)
    request.session.clear()
    return RedirectResponse(str(request.url_for("home")), status_code=303)


async def staff_home(request: Request) -> Response:
    user = require_staff(request)
    return render(request, "accounts/staff_home.html", {"staff": user})


def _account_page(
    request: Request, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    user = require_staff(request)
    notice = NOTICES.get(request.query_params.get("melding", ""))
    context: dict[str, Any] = {
        "staff": user,
        "errors": errors or {},
        "notice": str(notice) if notice else "",
        "min_password": service.MIN_PASSWORD,
        "max_password": service.MAX_PASSWORD,
    }
    return render(request, "accounts/account.html", context, status_code=status_code)


async def account(request: Request) -> Response:
    return _account_page(request)


async def change_password(request: Request) -> Response:
    """A new password; the user's other sign-ins end, this one goes on."""
    user = require_staff(request)
    form = await request.form()
    errors: dict[str, str] = {}
    current = _password(form, "current_password", errors)
    new = _password(form, "new_password", errors)
    again = _password(form, "new_password_again", errors)
    if not current:
        errors.setdefault("current_password", _("Vul uw huidige wachtwoord in"))
    if new != again:
        errors.setdefault("new_password_again", _("Vul twee keer hetzelfde nieuwe wachtwoord in"))
    if errors:
        return _account_page(request, errors, 400)
    try:
        with session_scope(engine(request)) as session:
            key = str(request.session.get(service.SESSION_KEY, ""))
            service.change_password(session, settings(request), user, current, new, key)
    except AccountError as exc:
        if str(exc) == "throttled":
            return _account_page(request, {"current_password": too_many_attempts(request)}, 429)
        field, message = PASSWORD_ERRORS[str(exc)]
        return _account_page(request, {field: _(message.message, n=service.MIN_PASSWORD)}, 400)
    url = request.url_for("staff_account").include_query_params(melding="wachtwoord")
    return RedirectResponse(str(url), status_code=303)


async def sign_out_everywhere(request: Request) -> Response:
    """End every sign-in of this account, on this device too."""
    user = require_staff(request)
    with session_scope(engine(request)) as session:
        service.end_all_sessions(session, user)
    request.session.clear()
    return RedirectResponse(str(request.url_for("login")), status_code=303)


routes = [
    Route("/inloggen", login, methods=["GET", "POST"], name="login"),
    Route("/uitloggen", logout, methods=["POST"], name="logout"),
    Route("/medewerkers", staff_home, name="staff_home"),
    Route("/medewerkers/account", account, name="staff_account"),
    Route("/medewerkers/account/wachtwoord", change_password, methods=["POST"],
          name="staff_password"),
    Route("/medewerkers/account/overal-uitloggen", sign_out_everywhere, methods=["POST"],
          name="staff_sign_out_everywhere"),
]  # fmt: skip
