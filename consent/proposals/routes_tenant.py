"""The tenant's pages (personal code, no account): the proposal, the vote, the receipt."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from consent import i18n
from consent.access_codes.models import Purpose
from consent.access_codes.tenant import household, require_code
from consent.db import new_session
from consent.housing.models import Tenancy
from consent.i18n import gettext as _
from consent.proposals import attachments, content, electorate, results, rules, views, voting
from consent.proposals.models import Proposal
from consent.proposals.routes_staff import attachment_response
from consent.templating import render
from consent.timeutil import utcnow
from consent.web import engine, text


def _load(request: Request, session: Session) -> tuple[Proposal, Tenancy]:
    object_id = int(request.path_params["object_id"])
    code = require_code(request, session, Purpose.PROPOSAL, object_id)
    proposal = session.get(Proposal, object_id)
    if proposal is None or proposal.corporation_id != code.corporation_id:
        raise HTTPException(status_code=404)
    tenancy = session.get(Tenancy, code.tenancy_id)
    if tenancy is None:
        raise HTTPException(status_code=404)
    # Without a language chosen on this device, show the tenancy's own language.
    chosen = "lang" in request.query_params or i18n.COOKIE in request.cookies
    if not chosen and tenancy.language in i18n.LANGUAGES:
        i18n.set_locale(tenancy.language)
    return proposal, tenancy


def tenant_context(session: Session, proposal: Proposal, tenancy: Tenancy) -> dict[str, Any]:
    now = utcnow()
    pid, lang = proposal.id or 0, i18n.current()
    _tenancy, unit, tenants = household(session, tenancy.id or 0)
    before = proposal.status in rules.BEFORE_VOTING
    is_voter = not before and electorate.voter(session, pid, tenancy.id or 0) is not None
    is_open = proposal.status == rules.Status.OPEN
    window = rules.voting_window_open(proposal.opens_at, proposal.closes_at, now)
    finished = proposal.status in rules.FINISHED
    context = views.content_context(session, proposal, lang)
    context |= {
        "unit": unit,
        "tenants": tenants,
        "questions": content.questions(session, pid, lang),
        "is_voter": is_voter,
        "can_vote": is_open and window and is_voter,
        "not_yet": before or (is_open and now < proposal.opens_at),
        "too_late": is_open and now >= proposal.closes_at,
        "finished": finished,
        "ballot": voting.ballot_of(session, pid, tenancy.id or 0),
        "tally": results.tally_for(session, proposal) if finished else None,
        "errors": {},
        "values": {},
    }
    return context


async def tenant_proposal(request: Request) -> Response:
    with new_session(engine(request)) as session:
        proposal, tenancy = _load(request, session)
        context = tenant_context(session, proposal, tenancy)
    if context["ballot"] is not None:
        context["values"] = {"choice": context["ballot"].choice}
    return render(request, "proposals/tenant.html", context)


async def tenant_vote(request: Request) -> Response:
    form = await request.form()
    choice, comment = text(form, "choice", 10), text(form, "comment", voting.MAX_COMMENT)
    with new_session(engine(request)) as session:
        proposal, tenancy = _load(request, session)
        errors: dict[str, str] = {}
        status = 400
        if choice not in ("agree", "disagree"):
            errors["choice"] = _("Kies of u akkoord gaat of niet")
        else:
            try:
                voting.cast_ballot(
                    session,
                    proposal_id=proposal.id or 0,
                    tenancy_id=tenancy.id or 0,
                    choice=choice,
                    actor=f"tenancy:{tenancy.id}",
                    channel=rules.Channel.ONLINE,
                    comment=comment,
                )
            except voting.VotingError as exc:
                errors["choice"], status = exc.message, 409
        if errors:
            context = tenant_context(session, proposal, tenancy)
            context |= {"errors": errors, "values": {"choice": choice, "comment": comment}}
            return render(request, "proposals/tenant.html", context, status_code=status)
    url = request.url_for("tenant_vote_done", object_id=proposal.id)
    return RedirectResponse(str(url), status_code=303)


async def tenant_vote_done(request: Request) -> Response:
    with new_session(engine(request)) as session:
        proposal, tenancy = _load(request, session)
        ballot = voting.ballot_of(session, proposal.id or 0, tenancy.id or 0)
        if ballot is None:
            url = request.url_for("tenant_proposal", object_id=proposal.id)
            return RedirectResponse(str(url), status_code=303)
        text_ = content.content_for(session, proposal, i18n.current())
    context = {"proposal": proposal, "content": text_, "ballot": ballot,
               "choice_labels": views.labels_context()["choice_labels"],
               "can_change": proposal.status == rules.Status.OPEN}  # fmt: skip
    return render(request, "proposals/tenant_done.html", context)


async def tenant_attachment(request: Request) -> Response:
    with new_session(engine(request)) as session:
        proposal, _tenancy = _load(request, session)
        row = attachments.get(session, proposal.id or 0, int(request.path_params["attachment_id"]))
    return attachment_response(request, row)


routes = [
    Route("/voorstel/{object_id:int}", tenant_proposal, name="tenant_proposal"),
    Route("/voorstel/{object_id:int}/stem", tenant_vote, methods=["POST"], name="tenant_vote"),
    Route("/voorstel/{object_id:int}/bevestiging", tenant_vote_done, name="tenant_vote_done"),
    Route("/voorstel/{object_id:int}/bijlagen/{attachment_id:int}", tenant_attachment,
          name="tenant_proposal_attachment"),
]  # fmt: skip
