"""Admin: which rent-reduction schemes the corporation offers (switch on or off)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.accounts.models import Role
from consent.db import new_session
from consent.htmx import redirect
from consent.rent_reductions import registry
from consent.rent_reductions.schemes import is_open
from consent.templating import render
from consent.web import engine, require_staff


async def scheme_list(request: Request) -> Response:
    user = require_staff(request, Role.ADMIN)
    with new_session(engine(request)) as session:
        enabled = registry.enabled_ids(session, user.corporation_id)
    on = registry.today()
    rows = [
        {
            "scheme": s,
            "name": registry.scheme_name(s),
            "enabled": s.id in enabled,
            "open": is_open(s, on),
        }
        for s in sorted(registry.schemes().values(), key=lambda s: (s.template, s.valid_from))
    ]
    return render(request, "rent_reductions/schemes.html", {"rows": rows})


async def scheme_toggle(request: Request) -> Response:
    user = require_staff(request, Role.ADMIN)
    form = await request.form()
    scheme_id = request.path_params["scheme_id"]
    wanted = form.get("enabled") == "1"
    with new_session(engine(request)) as session:
        try:
            registry.set_enabled(
                session, user.corporation_id, scheme_id, wanted, f"staff:{user.id}"
            )
        except registry.SchemeError as exc:
            raise HTTPException(status_code=404 if str(exc) == "unknown scheme" else 400) from exc
        session.commit()
    return redirect(request, str(request.url_for("rr_schemes")))


routes = [
    Route("/medewerkers/huurverlaging/regelingen", scheme_list, name="rr_schemes"),
    Route(
        "/medewerkers/huurverlaging/regelingen/{scheme_id:str}",
        scheme_toggle,
        methods=["POST"],
        name="rr_scheme_toggle",
    ),
]
