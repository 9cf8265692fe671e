"""Programmes per corporation: brokers read them, admin adds, changes and seeds samples."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.accounts.models import Role
from consent.db import new_session, session_scope
from consent.htmx import redirect
from consent.moving import labels, programmes
from consent.moving.forms import parse_programme
from consent.moving.models import Programme
from consent.moving.service import NotFound
from consent.templating import render
from consent.web import engine, require_staff, values


async def programme_list(request: Request) -> Response:
    user = require_staff(request, Role.BROKER)
    with new_session(engine(request)) as session:
        rows = programmes.list_programmes(session, user.corporation_id)
    context = {"programmes": rows, "kind_labels": labels.PROGRAMME_KINDS}
    return render(request, "moving/programmes.html", context)


def _euros(cents: int | None) -> str:
    return "" if cents is None else f"{cents // 100},{cents % 100:02d}"


def _values(programme: Programme | None) -> dict[str, Any]:
    if programme is None:
        return {"active": "1"}
    return {
        "kind": programme.kind,
        "name": programme.name,
        "description": programme.description,
        "priority_65_step_free": "1" if programme.priority_65_step_free else "",
        "keep_old_rent": "1" if programme.keep_old_rent else "",
        "moving_allowance": _euros(programme.moving_allowance_cents),
        "phased_rent_years": str(programme.phased_rent_years or ""),
        "phased_rent_threshold": _euros(programme.phased_rent_threshold_cents),
        "active": "1" if programme.active else "",
    }


async def programme_form(request: Request) -> Response:
    """New (no programme_id) or change one; admin only."""
    user = require_staff(request, Role.ADMIN)
    programme_id = request.path_params.get("programme_id")
    with new_session(engine(request)) as session:
        try:
            programme = (
                programmes.get_programme(session, user.corporation_id, programme_id)
                if programme_id is not None
                else None
            )
        except NotFound:
            raise HTTPException(status_code=404) from None
        context: dict[str, Any] = {
            "programme": programme, "kinds": labels.options(labels.PROGRAMME_KINDS), "errors": {},
        }  # fmt: skip
        if request.method == "GET":
            return render(
                request, "moving/programme_form.html", {**context, "values": _values(programme)}
            )
        form = await request.form()
        data, errors = parse_programme(form)
        if data is None:
            context.update(errors=errors, values=values(form))
            return render(request, "moving/programme_form.html", context, status_code=400)
        programmes.save_programme(session, user, data, programme)
        session.commit()
    return redirect(request, str(request.url_for("moving_programmes")))


async def programme_samples(request: Request) -> Response:
    user = require_staff(request, Role.ADMIN)
    with session_scope(engine(request)) as session:
        programmes.seed_sample_programmes(session, user.corporation_id, actor=f"staff:{user.id}")
    return redirect(request, str(request.url_for("moving_programmes")))


BASE = "/medewerkers/verhuizen/regelingen"
routes = [
    Route(BASE, programme_list, name="moving_programmes"),
    Route(BASE + "/nieuw", programme_form, methods=["GET", "POST"], name="moving_programme_new"),
    Route(
        BASE + "/{programme_id:int}",
        programme_form,
        methods=["GET", "POST"],
        name="moving_programme_edit",
    ),
    Route(
        BASE + "/voorbeelden", programme_samples, methods=["POST"], name="moving_programme_samples"
    ),
]
