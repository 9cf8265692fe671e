"""Staff pages: list, create and edit, detail, dashboards, translations, follow-up list."""

from __future__ import annotations

from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from consent import htmx
from consent.accounts.models import Role, StaffUser
from consent.db import new_session
from consent.i18n import gettext as _
from consent.proposals import (
    attachments,
    content,
    dashboard,
    exports,
    forms,
    labels,
    results,
    rules,
    service,
    views,
)
from consent.proposals.inputs import TEXT_FIELDS, InvalidInput, max_length
from consent.proposals.models import Proposal, ProposalAttachment
from consent.proposals.tally import THRESHOLD_NAME
from consent.rules_data import value_on
from consent.templating import render
from consent.timeutil import to_local, utcnow
from consent.web import engine, require_staff, settings, text, values

WRITE = (Role.PROJECT_LEADER,)  # admin passes every role check
READ = (Role.PROJECT_LEADER, Role.COMMITTEE)


def find(session: Session, user: StaffUser, request: Request) -> Proposal:
    proposal = service.get_for(session, user, int(request.path_params["proposal_id"]))
    if proposal is None:
        raise HTTPException(status_code=404)
    return proposal


def detail_page(
    request: Request, session: Session, user: StaffUser, proposal: Proposal,
    errors: dict[str, str] | None = None, form_values: dict[str, object] | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    """The detail page, also re-rendered with errors after a failed action (no JS)."""
    context = views.detail_context(session, user, proposal)
    context["errors"], context["values"] = errors or {}, form_values or {}
    return render(request, "proposals/detail.html", context, status_code=status_code)


async def proposal_list(request: Request) -> Response:
    user = require_staff(request, *READ)
    with new_session(engine(request)) as session:
        proposals = service.list_for(session, user)
        complexes = {c.id: c for c in service.complexes_of(session, user.corporation_id)}
    context = {"proposals": proposals, "complexes": complexes, "can_write": views.can_write(user)}
    return render(request, "proposals/list.html", context | views.labels_context())


async def proposal_new(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    with new_session(engine(request)) as session:
        if request.method == "GET":
            today = to_local(utcnow()).date()
            initial = forms.initial_values(today, value_on(THRESHOLD_NAME, today))
            context = views.form_context(session, user, initial) | {"errors": {}, "proposal": None}
            return render(request, "proposals/form.html", context)
        form = await request.form()
        data, errors = forms.parse(form)
        if not errors:
            try:
                proposal = service.create_proposal(
                    session, corporation_id=user.corporation_id, data=data,
                    actor=service.actor_of(user),
                )  # fmt: skip
                session.commit()
                url = request.url_for("proposal_detail", proposal_id=proposal.id)
                return htmx.redirect(request, str(url))
            except InvalidInput as exc:
                session.rollback()
                errors = exc.errors
        context = views.form_context(session, user, values(form))
        context |= {"errors": errors, "proposal": None}
        return render(request, "proposals/form.html", context, status_code=400)


async def proposal_edit(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        if not rules.can_edit(proposal.status):
            return detail_page(request, session, user, proposal, status_code=409,
                               errors={"steps": content_locked_message()})  # fmt: skip
        pid = proposal.id or 0
        if request.method == "GET":
            current = forms.values_of(
                proposal, service.measures_of(session, pid), service.rent_changes_of(session, pid)
            )
            context = views.form_context(session, user, current)
            return render(
                request, "proposals/form.html", context | {"errors": {}, "proposal": proposal}
            )
        form = await request.form()
        data, errors = forms.parse(form, need_complex=False)
        if not errors:
            try:
                service.update_proposal(session, proposal, data, service.actor_of(user))
                session.commit()
                return htmx.redirect(
                    request, str(request.url_for("proposal_detail", proposal_id=pid))
                )
            except (InvalidInput, service.ProposalError) as exc:
                session.rollback()
                errors = exc.errors if isinstance(exc, InvalidInput) else {"title": exc.message}
        context = views.form_context(session, user, values(form))
        context |= {"errors": errors, "proposal": proposal}
        return render(request, "proposals/form.html", context, status_code=400)


def content_locked_message() -> str:
    return _("Na het openen van de stemming kan het voorstel niet meer veranderen")


async def proposal_detail(request: Request) -> Response:
    user = require_staff(request, *READ)
    with new_session(engine(request)) as session:
        return detail_page(request, session, user, find(session, user, request))


async def proposal_tally(request: Request) -> Response:
    """The per-proposal dashboard; an htmx request gets only the tally partial."""
    user = require_staff(request, *READ)
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        context = {
            "view": dashboard.tally_view(session, proposal),
            "complex": service.complex_of(session, proposal),
            "can_write": views.can_write(user),
            "proposal": proposal,
            "channels": results.channel_counts(session, proposal.id or 0),
        }
    context |= views.labels_context()
    return render(request, "proposals/dashboard.html", context, partial="proposals/_tally.html")


async def proposal_overview(request: Request) -> Response:
    user = require_staff(request, *READ)
    with new_session(engine(request)) as session:
        rows = dashboard.overview(session, user)
    context = {"rows": rows, "bar_start": dashboard.BAR_START, "bar_full": dashboard.BAR_FULL}
    return render(request, "proposals/overview.html", context | views.labels_context())


async def proposal_translation(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    lang = request.path_params["lang"]
    if lang not in content.TRANSLATION_LANGUAGES:
        raise HTTPException(status_code=404)
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        errors: dict[str, str] = {}
        if request.method == "POST":
            form = await request.form()
            fields = {name: text(form, name, max_length(name), errors) for name in TEXT_FIELDS}
            errors = errors or content.save_translation(
                session, proposal, lang, fields, service.actor_of(user)
            )
            if not errors:
                session.commit()
                url = request.url_for("proposal_detail", proposal_id=proposal.id)
                return htmx.redirect(request, str(url))
            current = fields
        else:
            found = content.translation(session, proposal.id or 0, lang)
            current = {name: getattr(found, name) if found else "" for name in TEXT_FIELDS}
        context = {"proposal": proposal, "target_lang": lang,
            "field_labels": labels.FIELD, "values": current, "errors": errors,
                   "fields": TEXT_FIELDS, "editable": rules.can_edit(proposal.status)}  # fmt: skip
    return render(
        request, "proposals/translation.html", context, status_code=400 if errors else 200
    )


async def non_respondents(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        rows = exports.non_respondents(session, proposal.id or 0)
    if request.url.path.endswith(".csv"):
        filename = f"niet-gestemd-voorstel-{proposal.id}.csv"
        return Response(
            exports.non_respondents_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    context = {"proposal": proposal, "rows": rows}
    return render(request, "proposals/non_respondents.html", context)


async def staff_attachment(request: Request) -> Response:
    user = require_staff(request, *READ)
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        row = attachments.get(session, proposal.id or 0, int(request.path_params["attachment_id"]))
    return attachment_response(request, row)


def attachment_response(request: Request, row: ProposalAttachment | None) -> Response:
    if row is None:
        raise HTTPException(status_code=404)
    path = attachments.path_of(settings(request), row)
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(
        path,
        media_type=row.content_type,
        filename=row.filename,
        content_disposition_type="attachment",
    )


BASE = "/medewerkers/voorstellen"
routes = [
    Route(BASE, proposal_list, name="proposal_list"),
    Route(BASE + "/overzicht", proposal_overview, name="proposal_overview"),
    Route(BASE + "/nieuw", proposal_new, methods=["GET", "POST"], name="proposal_new"),
    Route(BASE + "/{proposal_id:int}", proposal_detail, name="proposal_detail"),
    Route(BASE + "/{proposal_id:int}/bewerken", proposal_edit, methods=["GET", "POST"],
          name="proposal_edit"),
    Route(BASE + "/{proposal_id:int}/stand", proposal_tally, name="proposal_tally"),
    Route(BASE + "/{proposal_id:int}/vertaling/{lang}", proposal_translation,
          methods=["GET", "POST"], name="proposal_translation"),
    Route(BASE + "/{proposal_id:int}/niet-gestemd", non_respondents, name="proposal_non_respondents"),
    Route(BASE + "/{proposal_id:int}/niet-gestemd.csv", non_respondents,
          name="proposal_non_respondents_csv"),
    Route(BASE + "/{proposal_id:int}/bijlagen/{attachment_id:int}", staff_attachment,
          name="proposal_attachment"),
]  # fmt: skip
