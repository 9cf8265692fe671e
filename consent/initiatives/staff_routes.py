"""Staff pages: the dashboard (overdue first), the detail page with the answer form, and a
committee member's own initiative for their complex."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from consent.accounts.models import Role, StaffUser
from consent.db import new_session, session_scope
from consent.housing.models import Complex
from consent.htmx import redirect
from consent.initiatives import (
    answers,
    attachments,
    forms,
    labels,
    queries,
    service,
    uploads,
    views,
)
from consent.initiatives.models import Initiative
from consent.initiatives.tenant_routes import error_field, notice_of
from consent.measures import choices
from consent.templating import render
from consent.timeutil import utcnow
from consent.web import engine, require_staff, settings, text, token

VIEWERS = (Role.PROJECT_LEADER, Role.COMMITTEE)


def _load(session: Session, user: StaffUser, initiative_id: int) -> Initiative:
    found = queries.get_for_staff(session, user, initiative_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


async def dashboard(request: Request) -> Response:
    user = require_staff(request, *VIEWERS)
    now = utcnow()
    with new_session(engine(request)) as session:
        rows = queries.dashboard_order(queries.for_staff(session, user), now)
        complexes = {c.id: c for c in (session.get(Complex, i) for i in {r.complex_id for r in rows}) if c}  # fmt: skip
    context = {
        "initiatives": rows,
        "complexes": complexes,
        "overdue": {r.id for r in rows if queries.rules.is_overdue(r.status, r.due_at, now)},
        "status_label": labels.status,
        "can_start": user.role == Role.COMMITTEE and user.complex_id is not None,
    }
    return render(request, "initiatives/staff_list.html", context)


def _detail_page(request: Request, errors: dict[str, str], values: dict[str, Any], status: int = 200) -> Response:  # fmt: skip
    user = require_staff(request, *VIEWERS)
    with new_session(engine(request)) as session:
        initiative = _load(session, user, request.path_params["initiative_id"])
        context = views.detail_context(
            session,
            initiative,
            is_initiator=initiative.initiator_staff_id == user.id,
            staff_view=True,
            can_answer=user.role in (Role.PROJECT_LEADER, Role.ADMIN),
        )
    context.update(errors=errors, values=values, notice=notice_of(request))
    context["action_route"] = "staff_initiative_action"
    return render(request, "initiatives/detail.html", context, status_code=status)


async def detail(request: Request) -> Response:
    return _detail_page(request, {}, {})


async def _answer(request: Request, form: FormData, user: StaffUser) -> None:
    raw = token(form, "decision")
    if raw not in {d.value for d in answers.Decision}:
        raise service.InitiativeError("decision")
    with session_scope(engine(request)) as session:
        _load(session, user, request.path_params["initiative_id"])
        answers.answer(
            session,
            settings(request),
            request.path_params["initiative_id"],
            answers.Decision(raw),
            text(form, "reasons", answers.MAX_TEXT, {}),
            actor=f"staff:{user.id}",
            create_proposal=form.get("create_proposal") == "1",
        )


async def answer(request: Request) -> Response:
    user = require_staff(request, Role.PROJECT_LEADER)
    form = await request.form()
    errors, status = views.text_errors(form), 400
    if not errors:
        try:
            await _answer(request, form, user)
        except service.InitiativeError as exc:
            field, status = error_field(str(exc))
            errors = {field: str(labels.ERRORS.get(str(exc), labels.ERRORS["state"]))}
    if errors:
        values = {k: form.get(k, "") for k in ("decision", "reasons")}
        return _detail_page(request, errors, values, status)
    url = request.url_for(
        "staff_initiative_detail", initiative_id=request.path_params["initiative_id"]
    )
    return redirect(request, str(url.include_query_params(melding="answered")))


async def action(request: Request) -> Response:
    """The committee member's own initiative: open for signing, submit, reply, add a file."""
    user = require_staff(request, Role.COMMITTEE)
    form = await request.form()
    action_name = request.path_params["action"]
    if action_name not in views.INITIATOR_ACTIONS:
        raise HTTPException(status_code=404)
    refused = views.text_errors(form)
    if refused:
        return _detail_page(request, refused, {"text": form.get("text", "")}, 400)
    try:
        with session_scope(engine(request)) as session:
            initiative = _load(session, user, request.path_params["initiative_id"])
            if initiative.initiator_staff_id != user.id:
                raise HTTPException(status_code=403)
            notice = await views.run_initiator_action(
                session, settings(request), initiative, action_name, form, actor=f"staff:{user.id}"
            )
    except (service.InitiativeError, uploads.UploadError) as exc:
        field, status = error_field(str(exc))
        errors = {field: str(labels.ERRORS.get(str(exc), labels.ERRORS["state"]))}
        return _detail_page(request, errors, {"text": form.get("text", "")}, status)
    url = request.url_for("staff_initiative_detail", initiative_id=initiative.id)
    return redirect(request, str(url.include_query_params(melding=notice)))


def _committee_complex(request: Request) -> tuple[StaffUser, Complex]:
    user = require_staff(request, Role.COMMITTEE)
    if user.complex_id is None:
        raise HTTPException(status_code=403)
    with new_session(engine(request)) as session:
        complex_ = session.get(Complex, user.complex_id)
    if complex_ is None or complex_.corporation_id != user.corporation_id:
        raise HTTPException(status_code=403)
    return user, complex_


async def new_initiative(request: Request) -> Response:
    user, complex_ = _committee_complex(request)
    context: dict[str, Any] = {
        "complex": complex_,
        "measure_choices": choices(),
        "staff_form": True,
    }
    if request.method == "GET":
        context.update(values={"measures": []}, errors={})
        return render(request, "initiatives/new.html", context)
    form = await request.form()
    parsed = forms.read(form, allow_home=False)
    upload = await views.read_upload(form)
    if upload is not None:
        try:
            uploads.check(upload[1])
        except uploads.UploadError as exc:
            parsed.errors["file"] = str(labels.ERRORS[str(exc)])
    if parsed.errors:
        context.update(values=parsed.values, errors=parsed.errors)
        return render(request, "initiatives/new.html", context, status_code=400)
    actor = f"staff:{user.id}"
    with session_scope(engine(request)) as session:
        initiative = service.create(
            session, settings(request), corporation_id=user.corporation_id,
            complex_id=complex_.id or 0, title=parsed.title, measures=parsed.measures,
            measure_text=parsed.measure_text, reason=parsed.reason,
            offer_cents=parsed.offer_cents, actor=actor, staff_id=user.id,
        )  # fmt: skip
        if upload is not None:
            attachments.add(session, settings(request), initiative.id or 0,
                            filename=upload[0], data=upload[1], actor=actor)  # fmt: skip
    url = request.url_for("staff_initiative_detail", initiative_id=initiative.id)
    return redirect(request, str(url.include_query_params(melding="created")))
