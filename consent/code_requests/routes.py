"""A tenant with no code asks for one by address. The answer never says whether the address exists."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.access_codes import throttle
from consent.access_codes.models import Purpose
from consent.code_requests import rules
from consent.code_requests.service import PURPOSES, request_code
from consent.db import new_session
from consent.htmx import redirect
from consent.i18n import gettext as _
from consent.i18n import lazy_gettext
from consent.templating import render
from consent.web import client_id, engine, settings, text, too_many_attempts, values

PURPOSE_LABELS = {
    Purpose.INITIATIVE.value: lazy_gettext("Een initiatief starten of steunen"),
    Purpose.RENT_REDUCTION.value: lazy_gettext("Huurverlaging aanvragen"),
    Purpose.MOVING.value: lazy_gettext("Hulp bij verhuizen"),
}

FIELDS = {"postcode": 10, "number": 10, "letter": 5, "addition": 20, "purpose": 20}  # max length


def _page(request: Request, entered: dict[str, Any], errors: dict[str, str], status: int = 200) -> Response:  # fmt: skip
    options = [(p.value, PURPOSE_LABELS[p.value]) for p in PURPOSES]
    context = {"values": entered, "errors": errors, "purposes": options}
    return render(request, "code_requests/form.html", context, status_code=status)


def _check(entered: dict[str, str]) -> tuple[dict[str, str], tuple[str, int, str] | None]:
    errors: dict[str, str] = {}
    postcode = rules.postcode(entered["postcode"])
    if not postcode:
        errors["postcode"] = _("Vul een postcode in zoals 1234 AB")
    parsed = rules.number(entered["number"])
    if parsed is None:
        errors["number"] = _("Vul een huisnummer in, bijvoorbeeld 12")
    if entered["purpose"] not in {p.value for p in PURPOSES}:
        errors["purpose"] = _("Kies waarvoor u de code wilt gebruiken")
    if errors or parsed is None:
        return errors, None
    letter = entered["letter"] or parsed[1]
    return errors, (postcode, parsed[0], letter)


async def form_page(request: Request) -> Response:
    if request.method == "GET":
        wanted = request.query_params.get("doel", "")
        return _page(request, {"purpose": wanted if wanted in PURPOSE_LABELS else ""}, {})
    form = await request.form()
    field_errors: dict[str, str] = {}
    entered = {name: text(form, name, limit, field_errors) for name, limit in FIELDS.items()}
    errors, address = _check(entered)
    errors |= field_errors
    if errors or address is None:
        return _page(request, values(form), errors, 400)
    config = settings(request)
    with new_session(engine(request)) as session:
        allowed = throttle.hit(
            session,
            f"code-request-client:{client_id(request)}",
            config.code_attempts_per_client,
            config.throttle_window_seconds,
        )
        if not allowed:
            errors = {"postcode": too_many_attempts(request)}
            return _page(request, values(form), errors, 429)
        request_code(
            session,
            config,
            postcode=address[0],
            number=address[1],
            letter=address[2],
            addition=entered["addition"],
            purpose=Purpose(entered["purpose"]),
        )
    return redirect(request, str(request.url_for("code_request_sent")))


async def sent(request: Request) -> Response:
    return render(request, "code_requests/sent.html", {})


routes = [
    Route("/code-aanvragen", form_page, methods=["GET", "POST"], name="code_request"),
    Route("/code-aanvragen/verstuurd", sent, name="code_request_sent"),
]
