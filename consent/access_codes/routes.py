"""Personal-code entry on the start page and the tenant's own page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from consent.access_codes.landing import LANDING
from consent.access_codes.service import Outcome, redeem
from consent.access_codes.tenant import tenant_home_context, tenant_sessions
from consent.db import new_session
from consent.i18n import gettext as _
from consent.i18n import lazy_gettext
from consent.templating import render
from consent.web import client_id, engine, settings, token, too_many_attempts

MESSAGES = {
    Outcome.WRONG: lazy_gettext(
        "Deze code klopt niet. Kijk goed naar de code in uw brief en probeer het opnieuw."
    ),
    Outcome.EXPIRED: lazy_gettext(
        "Deze code is verlopen. Vraag uw woningcorporatie om een nieuwe code."
    ),
    Outcome.REVOKED: lazy_gettext(
        "Deze code werkt niet meer. Gebruik de nieuwste code die u heeft gekregen. "
        "Of vraag uw woningcorporatie om een nieuwe code."
    ),
}


async def enter_code(request: Request) -> Response:
    form = await request.form()
    entered = token(form, "code")
    if not entered:
        errors = {"code": _("Vul uw persoonlijke code in")}
        return render(request, "pages/home.html", {"errors": errors, "values": {}}, status_code=400)
    with new_session(engine(request)) as session:
        result = redeem(session, settings(request), entered, client_id(request))
    if result.outcome is not Outcome.OK or result.code is None:
        throttled = result.outcome is Outcome.THROTTLED
        message = too_many_attempts(request) if throttled else str(MESSAGES[result.outcome])
        errors = {"code": message}
        status = 429 if throttled else 400
        context = {"errors": errors, "values": {"code": entered}}
        return render(request, "pages/home.html", context, status_code=status)
    code = result.code
    tenant_sessions(request).grant(code)
    route = LANDING.get(code.purpose)
    if route and code.object_id is not None:
        target = request.url_for(route, object_id=code.object_id)
    else:
        target = request.url_for("tenant_home")
    return RedirectResponse(str(target), status_code=303)


async def tenant_home(request: Request) -> Response:
    with new_session(engine(request)) as session:
        context = tenant_home_context(request, session)
    if context is None:
        return RedirectResponse(str(request.url_for("home")), status_code=303)
    return render(request, "access_codes/tenant_home.html", context)


routes = [
    Route("/code", enter_code, methods=["POST"], name="enter_code"),
    Route("/mijn", tenant_home, name="tenant_home"),
]
