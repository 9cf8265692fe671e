"""Brokers' caseload: the list, one case, and the actions on it (each a plain form post)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.accounts.models import Role, StaffUser
from consent.db import new_session
from consent.housing.models import Tenancy
from consent.htmx import redirect
from consent.i18n import gettext as _
from consent.moving import labels, service
from consent.moving.forms import parse_day
from consent.moving.models import MovingSignup
from consent.moving.rules import (
    Status,
    TransitionError,
    may_see_care_needs,
    move_date_ok,
    next_statuses,
)
from consent.templating import render
from consent.timeutil import to_local
from consent.web import engine, require_staff, text, token, values

Errors = dict[str, str]
Action = Callable[[Session, StaffUser, MovingSignup, FormData], Errors]
VIEWS = ("all", "mine", "unassigned")
ID = re.compile(r"[0-9]{1,9}")  # an id of the database's integer range


async def caseload(request: Request) -> Response:
    user = require_staff(request, Role.BROKER)
    status = request.query_params.get("status", "")
    status = status if status in labels.STATUSES else ""
    view = request.query_params.get("view", "all")
    view = view if view in VIEWS else "all"
    with new_session(engine(request)) as session:
        rows = service.list_signups(
            session, user.corporation_id, status=status,
            broker_id=user.id if view == "mine" else None, unassigned=view == "unassigned",
        )  # fmt: skip
        names = {b.id: b.name for b in service.brokers(session, user.corporation_id)}
    context = {"rows": rows, "names": names, "status": status, "view": view, "labels": labels,
               "statuses": labels.options(labels.STATUSES)}  # fmt: skip
    return render(request, "moving/caseload.html", context)


def _load(session: Session, user: StaffUser, request: Request) -> MovingSignup:
    try:
        return service.get_signup(session, user.corporation_id, request.path_params["signup_id"])
    except service.NotFound:
        raise HTTPException(status_code=404) from None


def _case_page(
    request: Request, session: Session, user: StaffUser, signup: MovingSignup,
    errors: Errors | None = None, entered: dict[str, Any] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    assigned = may_see_care_needs(user.id, user.role, signup.broker_id)
    history = [
        (event, name)
        for event, name in service.history(session, signup)
        if assigned or event.action != "moving.care_needs_erased"
    ]
    context = {
        "signup": signup,
        "assigned_broker": assigned,
        "care_needs": service.care_needs_for(session, user, signup),
        "notes": service.notes(session, signup),
        "history": history,
        "brokers": service.brokers(session, signup.corporation_id),
        "tenancy": session.get(Tenancy, signup.tenancy_id) if signup.tenancy_id else None,
        "next_statuses": [(s.value, str(labels.STATUSES[s])) for s in next_statuses(signup.status)],
        "labels": labels,
        "errors": errors or {},
        "values": entered or {},
    }
    return render(request, "moving/case.html", context, status_code=status_code)


async def case(request: Request) -> Response:
    user = require_staff(request, Role.BROKER)
    with new_session(engine(request)) as session:
        return _case_page(request, session, user, _load(session, user, request))


def _act(action: Action) -> Callable[[Request], Any]:
    """A case action: load the case, run `action`, redirect; with errors show the case again."""

    async def handler(request: Request) -> Response:
        user = require_staff(request, Role.BROKER)
        form = await request.form()
        with new_session(engine(request)) as session:
            signup = _load(session, user, request)
            errors = action(session, user, signup, form)
            if errors:
                session.rollback()
                return _case_page(request, session, user, signup, errors, values(form), 400)
            session.commit()
        return redirect(request, str(request.url_for("moving_case", signup_id=signup.id)))

    handler.__name__ = action.__name__
    return handler


def status(session: Session, user: StaffUser, signup: MovingSignup, form: FormData) -> Errors:
    errors: Errors = {}
    target = text(form, "status", 20, errors)
    reason = text(form, "stop_reason", 500, errors)
    if errors:
        return errors
    moved_on = None
    if target == Status.MOVED:
        try:
            moved_on = parse_day(text(form, "moved_on", 20, errors)) or service.today()
        except ValueError:
            return {"moved_on": _("Vul een datum in, bijvoorbeeld 15-03-2026")}
        if not move_date_ok(to_local(signup.created_at).date(), moved_on, service.today()):
            return {"moved_on": _("De verhuisdatum ligt tussen de aanmelding en vandaag.")}
    error = service.change_status(session, user, signup, target, reason, moved_on)
    if error is None:
        return {}
    field = "stop_reason" if error is TransitionError.REASON_REQUIRED else "status"
    return {field: str(labels.TRANSITION_ERRORS[error])}


def assign(session: Session, user: StaffUser, signup: MovingSignup, form: FormData) -> Errors:
    raw = token(form, "broker_id")
    if raw and not ID.fullmatch(raw):
        return {"broker_id": _("Kies een makelaar uit de lijst.")}
    if not service.assign(session, user, signup, int(raw) if raw else None):
        return {"broker_id": _("Kies een makelaar uit de lijst.")}
    return {}


def next_action(session: Session, user: StaffUser, signup: MovingSignup, form: FormData) -> Errors:
    errors: Errors = {}
    note_text = text(form, "next_action_note", 300, errors)
    try:
        on = parse_day(text(form, "next_action_on", 20, errors))
    except ValueError:
        errors["next_action_on"] = _("Vul een datum in, bijvoorbeeld 15-03-2026")
    if not errors:
        service.set_next_action(session, user, signup, on, note_text)
    return errors


def note(session: Session, user: StaffUser, signup: MovingSignup, form: FormData) -> Errors:
    errors: Errors = {}
    body = text(form, "body", 4000, errors)
    if not body:
        errors["body"] = _("Schrijf eerst een notitie.")
    if not errors:
        service.add_note(session, user, signup, body)
    return errors


def link(session: Session, user: StaffUser, signup: MovingSignup, form: FormData) -> Errors:
    errors: Errors = {}
    code = text(form, "tenancy_code", 60, errors)
    if errors or not code or not service.link_tenancy(session, user, signup, code):
        return {"tenancy_code": _("Dit huurcontract bestaat niet. Controleer het nummer.")}
    return {}


def erase(session: Session, user: StaffUser, signup: MovingSignup, form: FormData) -> Errors:
    if not service.erase_care_needs(session, user, signup):
        raise HTTPException(status_code=403)
    return {}


CASE = "/medewerkers/verhuizen/{signup_id:int}"
routes = [
    Route("/medewerkers/verhuizen", caseload, name="moving_caseload"),
    Route(CASE, case, name="moving_case"),
    Route(CASE + "/status", _act(status), methods=["POST"], name="moving_case_status"),
    Route(CASE + "/makelaar", _act(assign), methods=["POST"], name="moving_case_assign"),
    Route(CASE + "/actie", _act(next_action), methods=["POST"], name="moving_case_next_action"),
    Route(CASE + "/notitie", _act(note), methods=["POST"], name="moving_case_note"),
    Route(CASE + "/huurcontract", _act(link), methods=["POST"], name="moving_case_link"),
    Route(CASE + "/zorg-wissen", _act(erase), methods=["POST"], name="moving_case_erase_care"),
]
