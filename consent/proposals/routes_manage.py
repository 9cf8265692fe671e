"""Staff actions on a proposal (plain form posts; each redirects back or shows the error)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent import htmx
from consent.accounts.models import StaffUser
from consent.db import new_session
from consent.i18n import gettext as _
from consent.proposals import attachments, codes, content, electorate, service, workflow
from consent.proposals.inputs import MAX_CODE, MAX_FILE_TITLE, MAX_QUESTION, MAX_REASON, MAX_TEXT
from consent.proposals.models import Proposal
from consent.proposals.routes_staff import BASE, WRITE, detail_page, find
from consent.proposals.service import ProposalError
from consent.templating import render
from consent.timeutil import from_local, to_local, utcnow
from consent.web import engine, require_staff, settings, text, token, values

STEPS = ("consult", "advice", "answer", "open", "close", "decide", "notices")


def _text(form: FormData, name: str, max_length: int) -> str:
    """A text field; ProposalError (shown next to the field) when it is too long."""
    errors: dict[str, str] = {}
    value = text(form, name, max_length, errors)
    if errors:
        raise ProposalError(errors[name], name)
    return value


def _moment(form: FormData, name: str, required: bool = True) -> datetime:
    """A date field as a moment: now when it is today, else the start of that day."""
    raw = token(form, name)
    now = utcnow()
    if not raw and not required:
        return now
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ProposalError(_("Vul een geldige datum in, bijvoorbeeld 2026-03-01"), name) from None
    if day > to_local(now).date():
        raise ProposalError(_("Deze datum ligt in de toekomst"), name)
    return now if day == to_local(now).date() else from_local(datetime.combine(day, time()))


def _run_step(session: Session, proposal: Proposal, step: str, form: FormData, actor: str) -> None:
    if step == "consult":
        workflow.start_consultation(session, proposal, actor, _moment(form, "sent_on", False))
    elif step == "advice":
        followed = token(form, "followed")
        if followed not in ("yes", "no"):
            raise ProposalError(_("Kies of u het advies volgt"), "followed")
        workflow.record_advice(
            session, proposal, received_at=_moment(form, "received_on"),
            text=_text(form, "advice_text", MAX_TEXT), followed=followed == "yes", actor=actor,
        )  # fmt: skip
    elif step == "answer":
        workflow.record_answer(
            session, proposal, sent_at=_moment(form, "answered_on"),
            text=_text(form, "answer_text", MAX_TEXT), actor=actor,
        )  # fmt: skip
    elif step == "open":
        workflow.open_voting(session, proposal, actor)
    elif step == "close":
        workflow.close_voting(session, proposal, actor)
    elif step == "decide":
        workflow.decide(session, proposal, actor)
    else:
        workflow.send_notices(session, proposal, actor)


def _failed(
    request: Request, session: Session, user: StaffUser, proposal: Proposal,
    exc: ProposalError, form: FormData, anchor: str,
) -> Response:  # fmt: skip
    session.rollback()
    errors = {exc.field or anchor: exc.message}
    return detail_page(request, session, user, proposal, errors, values(form), status_code=400)


def _back(request: Request, proposal: Proposal, anchor: str = "") -> Response:
    url = str(request.url_for("proposal_detail", proposal_id=proposal.id))
    return htmx.redirect(request, url + (f"#{anchor}" if anchor else ""))


async def proposal_step(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    step = request.path_params["step"]
    if step not in STEPS:
        raise HTTPException(status_code=404)
    form = await request.form()
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        try:
            _run_step(session, proposal, step, form, service.actor_of(user))
            session.commit()
        except ProposalError as exc:
            return _failed(request, session, user, proposal, exc, form, "steps")
    return _back(request, proposal, "steps")


async def exclusion_add(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    form = await request.form()
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        try:
            electorate.add_exclusion(
                session, proposal, _text(form, "unit", MAX_CODE), _text(form, "reason", MAX_REASON),
                service.actor_of(user),
            )  # fmt: skip
            session.commit()
        except ProposalError as exc:
            return _failed(request, session, user, proposal, exc, form, "unit")
    return _back(request, proposal, "exclusions")


async def exclusion_remove(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    form = await request.form()
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        try:
            electorate.remove_exclusion(
                session, proposal, int(request.path_params["exclusion_id"]), service.actor_of(user)
            )
            session.commit()
        except ProposalError as exc:
            return _failed(request, session, user, proposal, exc, form, "unit")
    return _back(request, proposal, "exclusions")


async def codes_issue(request: Request) -> Response:
    """Issue the missing codes and show them once, as a printable table."""
    user = require_staff(request, *WRITE)
    form = await request.form()
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        try:
            issued = codes.issue_missing(
                session, settings(request), proposal, service.actor_of(user)
            )
            session.commit()
        except ProposalError as exc:
            return _failed(request, session, user, proposal, exc, form, "codes")
        complex_ = service.complex_of(session, proposal)
    context = {"proposal": proposal, "complex": complex_, "issued": issued}
    return render(request, "proposals/codes.html", context, headers={"Cache-Control": "no-store"})


async def attachment_add(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    form = await request.form()
    upload = form.get("file")
    data, filename = b"", ""
    if isinstance(upload, UploadFile):
        data = await upload.read(attachments.MAX_BYTES + 1)
        filename = upload.filename or ""
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        try:
            attachments.add(
                session, settings(request), proposal, title=_text(form, "file_title", MAX_FILE_TITLE),
                filename=filename, data=data, actor=service.actor_of(user),
            )  # fmt: skip
            session.commit()
        except ProposalError as exc:
            return _failed(request, session, user, proposal, exc, form, "file")
    return _back(request, proposal, "documents")


async def attachment_remove(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    form = await request.form()
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        try:
            attachments.remove(
                session, settings(request), proposal, int(request.path_params["attachment_id"]),
                service.actor_of(user),
            )  # fmt: skip
            session.commit()
        except ProposalError as exc:
            return _failed(request, session, user, proposal, exc, form, "file")
    return _back(request, proposal, "documents")


async def question_add(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    form = await request.form()
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        try:
            content.add_question(
                session, proposal, _text(form, "question", MAX_QUESTION),
                _text(form, "answer", MAX_TEXT), text(form, "question_language", 5, {}) or "nl",
                service.actor_of(user),
            )  # fmt: skip
            session.commit()
        except ProposalError as exc:
            return _failed(request, session, user, proposal, exc, form, "question")
    return _back(request, proposal, "questions")


async def question_remove(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    form = await request.form()
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        try:
            content.remove_question(
                session, proposal, int(request.path_params["question_id"]), service.actor_of(user)
            )
            session.commit()
        except ProposalError as exc:
            return _failed(request, session, user, proposal, exc, form, "question")
    return _back(request, proposal, "questions")


P = BASE + "/{proposal_id:int}"
routes = [
    Route(P + "/stap/{step}", proposal_step, methods=["POST"], name="proposal_step"),
    Route(P + "/uitsluitingen", exclusion_add, methods=["POST"], name="proposal_exclusion_add"),
    Route(P + "/uitsluitingen/{exclusion_id:int}/verwijderen", exclusion_remove,
          methods=["POST"], name="proposal_exclusion_remove"),
    Route(P + "/codes", codes_issue, methods=["POST"], name="proposal_codes"),
    Route(P + "/bijlagen", attachment_add, methods=["POST"], name="proposal_attachment_add"),
    Route(P + "/bijlagen/{attachment_id:int}/verwijderen", attachment_remove, methods=["POST"],
          name="proposal_attachment_remove"),
    Route(P + "/vragen", question_add, methods=["POST"], name="proposal_question_add"),
    Route(P + "/vragen/{question_id:int}/verwijderen", question_remove, methods=["POST"],
          name="proposal_question_remove"),
]  # fmt: skip
