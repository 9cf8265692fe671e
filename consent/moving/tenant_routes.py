"""Tenant pages: sign up with a personal code, or without one (name and address typed in)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from consent.access_codes import throttle
from consent.access_codes.models import Purpose
from consent.access_codes.tenant import require_code
from consent.db import new_session, session_scope
from consent.housing.models import Corporation
from consent.htmx import redirect
from consent.i18n import LANGUAGES
from consent.i18n import gettext as _
from consent.moving import labels, programmes, service
from consent.moving.forms import parse_signup
from consent.templating import render
from consent.web import client_id, engine, settings, values

OPEN_SIGNUPS_PER_WINDOW = 5


def form_context(session: Session, corporation: Corporation, **extra: Any) -> dict[str, Any]:
    """What both sign-up forms show: the corporation's programmes and every choice."""
    return {
        "corporation": corporation,
        "programmes": programmes.list_programmes(session, corporation.id or 0, active_only=True),
        "kind_labels": labels.PROGRAMME_KINDS,
        "choices": {
            "programme_kind": labels.options(labels.PROGRAMME_KINDS),
            "age_band": labels.options(labels.AGE_BANDS),
            "household": labels.options(labels.HOUSEHOLDS),
            "home_type": labels.options(labels.HOME_TYPES),
            "access": labels.options(labels.ACCESS),
            "contact_by": labels.options(labels.CONTACT_BY),
            "contact_when": labels.options(labels.CONTACT_WHEN),
        },
        "spoken": LANGUAGES,
        "errors": {},
        "values": {},
        **extra,
    }


async def signup(request: Request) -> Response:
    """The landing page of a MOVING code: object_id is the tenancy id."""
    tenancy_id = request.path_params["object_id"]
    with new_session(engine(request)) as session:
        code = require_code(request, session, Purpose.MOVING, tenancy_id)
        if code.tenancy_id != tenancy_id:  # a MOVING code always names its own tenancy
            raise HTTPException(status_code=403, detail="code")
        corporation = session.get(Corporation, code.corporation_id)
        if corporation is None:
            raise HTTPException(status_code=404)
        existing = service.open_signup_for_tenancy(session, tenancy_id)
        if existing is not None:
            if request.method == "POST":
                return redirect(
                    request, str(request.url_for("moving_signup", object_id=tenancy_id))
                )
            return render(request, "moving/signup_done.html", {"signup": existing})
        if request.method == "GET":
            prefill = service.tenancy_prefill(session, tenancy_id)
            return render(
                request, "moving/signup.html", form_context(session, corporation, values=prefill)
            )
        form = await request.form()
        data, errors = parse_signup(form, open_signup=False)
        if data is None:
            context = form_context(session, corporation, errors=errors, values=values(form))
            return render(request, "moving/signup.html", context, status_code=400)
        service.create_signup(
            session, corporation_id=code.corporation_id, data=data, tenancy_id=tenancy_id,
            actor=f"tenancy:{tenancy_id}",
        )  # fmt: skip
        session.commit()
    return redirect(request, str(request.url_for("moving_signup", object_id=tenancy_id)))


async def signup_start(request: Request) -> Response:
    """Without a code: choose your housing corporation (skipped when there is one)."""
    with new_session(engine(request)) as session:
        corporations = session.exec(select(Corporation).order_by(col(Corporation.name))).all()
    if len(corporations) == 1:
        target = request.url_for("moving_signup_open", slug=corporations[0].slug)
        return RedirectResponse(str(target), status_code=303)
    return render(request, "moving/signup_start.html", {"corporations": corporations})


def _corporation(session: Session, slug: str) -> Corporation:
    corporation = session.exec(select(Corporation).where(Corporation.slug == slug)).first()
    if corporation is None:
        raise HTTPException(status_code=404)
    return corporation


async def signup_open(request: Request) -> Response:
    slug = request.path_params["slug"]
    with new_session(engine(request)) as session:
        corporation = _corporation(session, slug)
        if request.method == "GET":
            return render(request, "moving/signup_open.html", form_context(session, corporation))
        form = await request.form()
        data, errors = parse_signup(form, open_signup=True)
        if data is not None and not throttle.hit(
            session, f"moving-open:{client_id(request)}", OPEN_SIGNUPS_PER_WINDOW,
            settings(request).throttle_window_seconds,
        ):  # fmt: skip
            minutes = settings(request).throttle_window_seconds // 60
            errors = {
                "contact_name": _(
                    "U heeft te vaak een aanmelding gestuurd. Wacht %(minutes)s minuten.",
                    minutes=minutes,
                )
            }
            data = None
        if data is None:
            context = form_context(session, corporation, errors=errors, values=values(form))
            return render(request, "moving/signup_open.html", context, status_code=400)
    with session_scope(engine(request)) as session:
        service.create_signup(
            session, corporation_id=corporation.id or 0, data=data, tenancy_id=None,
            actor="tenant:without-code",
        )  # fmt: skip
    return redirect(request, str(request.url_for("moving_signup_received", slug=slug)))


async def signup_received(request: Request) -> Response:
    with new_session(engine(request)) as session:
        corporation = _corporation(session, request.path_params["slug"])
    return render(request, "moving/signup_received.html", {"corporation": corporation})


routes = [
    Route("/verhuizen/aanmelden", signup_start, name="moving_signup_start"),
    Route(
        "/verhuizen/aanmelden/{slug}",
        signup_open,
        methods=["GET", "POST"],
        name="moving_signup_open",
    ),
    Route("/verhuizen/aanmelden/{slug}/ontvangen", signup_received, name="moving_signup_received"),
    Route("/verhuizen/{object_id:int}", signup, methods=["GET", "POST"], name="moving_signup"),
]
