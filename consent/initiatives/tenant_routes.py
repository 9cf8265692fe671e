"""Tenants' pages: the complex's initiatives, starting one, the detail page and its actions.

A tenant opens these with a personal code for purpose "initiative" whose object is the
complex (AccessCode.object_id = complex id).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from consent.access_codes.models import AccessCode, Purpose
from consent.access_codes.tenant import require_code
from consent.db import new_session, session_scope
from consent.housing.models import Complex
from consent.htmx import redirect
from consent.initiatives import attachments, forms, labels, queries, service, uploads, views
from consent.initiatives.models import Initiative
from consent.measures import choices
from consent.templating import render
from consent.web import engine, settings

VALIDATION = {"text": "text", "reasons": "reasons", "decision": "decision"}
UPLOAD = {"type", "too_large", "empty", "count"}


def error_field(reason: str) -> tuple[str, int]:
    """The field an error belongs to, and the HTTP status for it."""
    if reason in UPLOAD:
        return "file", 400
    if reason in VALIDATION:
        return VALIDATION[reason], 400
    return "status", 409


def notice_of(request: Request) -> str:
    key = request.query_params.get("melding", "")
    return str(labels.NOTICES[key]) if key in labels.NOTICES else ""


def _load(request: Request, session: Session) -> tuple[Initiative, AccessCode]:
    initiative = session.get(Initiative, request.path_params["initiative_id"])
    if initiative is None:
        raise HTTPException(status_code=404)
    code = require_code(request, session, Purpose.INITIATIVE, initiative.complex_id)
    if code.corporation_id != initiative.corporation_id or not queries.tenant_may_see(
        initiative, code.tenancy_id
    ):
        raise HTTPException(status_code=404)
    return initiative, code


async def complex_page(request: Request) -> Response:
    complex_id = request.path_params["object_id"]
    with new_session(engine(request)) as session:
        code = require_code(request, session, Purpose.INITIATIVE, complex_id)
        complex_ = session.get(Complex, complex_id)
        if complex_ is None:
            raise HTTPException(status_code=404)
        rows = queries.for_tenant(session, complex_id, code.tenancy_id)
    context = {"complex": complex_, "initiatives": rows, "status_label": labels.status}
    return render(request, "initiatives/complex.html", context)


def _form_page(request: Request, complex_: Complex, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Response:  # fmt: skip
    context = {
        "complex": complex_,
        "values": values,
        "errors": errors,
        "measure_choices": choices(),
    }
    return render(request, "initiatives/new.html", context, status_code=status)


async def new_initiative(request: Request) -> Response:
    complex_id = request.path_params["object_id"]
    with new_session(engine(request)) as session:
        code = require_code(request, session, Purpose.INITIATIVE, complex_id)
        complex_ = session.get(Complex, complex_id)
    if complex_ is None or complex_.corporation_id != code.corporation_id:
        raise HTTPException(status_code=404)
    if request.method == "GET":
        return _form_page(request, complex_, {"scope": "complex", "measures": []}, {})
    form = await request.form()
    parsed = forms.read(form, allow_home=True)
    upload = await views.read_upload(form)
    if upload is not None:
        try:
            uploads.check(upload[1])
        except uploads.UploadError as exc:
            parsed.errors["file"] = str(labels.ERRORS[str(exc)])
    if parsed.errors:
        return _form_page(request, complex_, parsed.values, parsed.errors, 400)
    actor = f"tenancy:{code.tenancy_id}"
    try:
        with session_scope(engine(request)) as session:
            initiative = service.create(
                session, settings(request), corporation_id=code.corporation_id,
                complex_id=complex_id, title=parsed.title, measures=parsed.measures,
                measure_text=parsed.measure_text, reason=parsed.reason,
                offer_cents=parsed.offer_cents, actor=actor, tenancy_id=code.tenancy_id,
                for_home=parsed.for_home,
            )  # fmt: skip
            if upload is not None:
                attachments.add(session, settings(request), initiative.id or 0,
                                filename=upload[0], data=upload[1], actor=actor)  # fmt: skip
    except service.InitiativeError as exc:
        raise HTTPException(status_code=403) from exc
    url = request.url_for("initiative_detail", initiative_id=initiative.id)
    return redirect(request, str(url.include_query_params(melding="created")))


def _detail_page(request: Request, errors: dict[str, str], values: dict[str, Any], status: int = 200) -> Response:  # fmt: skip
    with new_session(engine(request)) as session:
        initiative, code = _load(request, session)
        context = views.detail_context(
            session,
            initiative,
            is_initiator=initiative.initiator_tenancy_id == code.tenancy_id,
            tenancy_id=code.tenancy_id,
        )
    context.update(errors=errors, values=values, notice=notice_of(request))
    context["action_route"] = "initiative_action"
    return render(request, "initiatives/detail.html", context, status_code=status)


async def detail(request: Request) -> Response:
    return _detail_page(request, {}, {})


async def _act(request: Request, form: FormData) -> str:
    action = request.path_params["action"]
    with new_session(engine(request)) as session:
        initiative, code = _load(request, session)
    with session_scope(engine(request)) as session:
        if action == "ondertekenen":
            result = service.sign(session, settings(request), initiative.id or 0, code.tenancy_id)
            if result in (service.SignResult.CLOSED, service.SignResult.NOT_ALLOWED):
                raise service.InitiativeError(result.value)
            return "signed" if result is service.SignResult.SIGNED else "already"
        if action not in views.INITIATOR_ACTIONS:
            raise HTTPException(status_code=404)
        if initiative.initiator_tenancy_id != code.tenancy_id:
            raise HTTPException(status_code=403)
        return await views.run_initiator_action(
            session, settings(request), initiative, action, form, actor=f"tenancy:{code.tenancy_id}"
        )


async def action(request: Request) -> Response:
    form = await request.form()
    refused = views.text_errors(form)
    if refused:
        return _detail_page(request, refused, {"text": form.get("text", "")}, 400)
    try:
        notice = await _act(request, form)
    except (service.InitiativeError, uploads.UploadError) as exc:
        field, status = error_field(str(exc))
        errors = {field: str(labels.ERRORS.get(str(exc), labels.ERRORS["state"]))}
        return _detail_page(request, errors, {"text": form.get("text", "")}, status)
    url = request.url_for("initiative_detail", initiative_id=request.path_params["initiative_id"])
    return redirect(request, str(url.include_query_params(melding=notice)))
