"""Staff sign-in, sign-out and the staff overview."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from consent.accounts.service import AccountError, authenticate
from consent.db import new_session
from consent.i18n import gettext as _
from consent.templating import render
from consent.web import client_id, engine, require_staff, settings, text, too_many_attempts


def _safe_next(target: str) -> str:
    """A path on this site, or ''.

    Browsers read a backslash like a slash and drop tabs and newlines, so '/' followed
    by either can become '//other-site'; any such character refuses the target.
    """
    if not target.startswith("/") or target.startswith("//"):
        return ""
    if "\\" in target or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target):
        return ""
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else ""


async def login(request: Request) -> Response:
    next_url = _safe_next(request.query_params.get("next", ""))
    if request.method == "GET":
        return render(
            request, "accounts/login.html", {"errors": {}, "values": {}, "next": next_url}
        )
    form = await request.form()
    email, password = text(form, "email", 200), text(form, "password", 500)
    errors: dict[str, str] = {}
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
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["signed_in_at"] = int(time.time())
    target = _safe_next(text(form, "next", 500)) or str(request.url_for("staff_home"))
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse(str(request.url_for("home")), status_code=303)


async def staff_home(request: Request) -> Response:
    user = require_staff(request)
    return render(request, "accounts/staff_home.html", {"staff": user})


routes = [
    Route("/inloggen", login, methods=["GET", "POST"], name="login"),
    Route("/uitloggen", logout, methods=["POST"], name="logout"),
    Route("/medewerkers", staff_home, name="staff_home"),
]
