"""Staff pages: entering returned forms (typed or scanned code), four-eyes, conflicts.

Plain form posts throughout: the code field has autofocus after every entry, so a
handheld scanner (which types the code and Enter) is ready for the next form without
JavaScript.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from consent import htmx
from consent.accounts.models import StaffUser
from consent.db import new_session
from consent.housing.models import Tenancy, Unit
from consent.paper import entries, scans, views
from consent.paper.access import WRITE, find
from consent.paper.models import PaperEntry
from consent.proposals.models import Proposal
from consent.templating import render
from consent.timeutil import utcnow
from consent.web import engine, require_staff, settings, text, token, values


def _page(
    request: Request,
    session: Session,
    user: StaffUser,
    proposal: Proposal,
    status: int = 200,
    **extra: Any,
) -> Response:
    context = views.entry_context(session, user, proposal) | extra
    context["scan_days"] = settings(request).scan_retention_days
    saved: PaperEntry | None = context.get("saved")
    if saved is not None:
        tenancy = session.get(Tenancy, saved.tenancy_id)
        context["saved_unit"] = session.get(Unit, tenancy.unit_id) if tenancy else None
    return render(request, "paper/entry.html", context, status_code=status)


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


async def _scan(form: FormData) -> bytes | None:
    upload = form.get("scan")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read(scans.MAX_BYTES + 1)
    return data or None


async def entry(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        if request.method == "GET":
            saved = views.saved_entry(session, proposal, request.query_params.get("opgeslagen", ""))
            return _page(request, session, user, proposal, saved=saved)
        form = await request.form()
        entered = values(form)
        try:
            match = entries.find_form(
                session, settings(request), user, proposal, token(form, "form_code")
            )
        except entries.EntryError as exc:
            errors = {"form_code": exc.message}
            return _page(request, session, user, proposal, 400, errors=errors, values=entered)
        if token(form, "step") != "save":
            return _page(request, session, user, proposal, match=match, values=entered)
        choice, channel = token(form, "choice"), token(form, "channel")
        signed_on = _date(token(form, "signed_on"))
        errors = entries.check_entry(proposal, choice, channel, signed_on, utcnow())
        scan = await _scan(form)
        if scan is not None:
            try:
                scans.check(scan)
            except scans.ScanError as exc:
                errors["scan"] = exc.message
        if errors:
            page = {"match": match, "errors": errors, "values": entered}
            return _page(request, session, user, proposal, 400, **page)
        assert signed_on is not None
        try:
            saved = entries.enter(
                session, settings(request), user, proposal, match=match, choice=choice,
                channel=channel, signed_on=signed_on, scan=scan,
            )  # fmt: skip
        except entries.EntryError as exc:
            return _page(request, session, user, proposal, 409, errors={"form_code": exc.message})
    url = request.url_for("paper_entry", proposal_id=proposal.id).include_query_params(
        opgeslagen=saved.id
    )
    return htmx.redirect(request, str(url))


async def confirm(request: Request) -> Response:
    return await _decide(request, reject=False)


async def reject(request: Request) -> Response:
    return await _decide(request, reject=True)


async def _decide(request: Request, *, reject: bool) -> Response:
    user = require_staff(request, *WRITE)
    form = await request.form()
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        entry_id = int(request.path_params["entry_id"])
        errors: dict[str, str] = {}
        reason = text(form, "reason", 500, errors) if reject else ""
        if errors:
            return _page(request, session, user, proposal, 400, errors=errors)
        try:
            if reject:
                done = entries.reject(session, user, proposal, entry_id, reason)
            else:
                done = entries.confirm(session, user, proposal, entry_id)
        except LookupError:
            raise HTTPException(status_code=404) from None
        except entries.EntryError as exc:
            return _page(request, session, user, proposal, 409, errors={exc.field: exc.message})
    url = request.url_for("paper_entry", proposal_id=proposal.id).include_query_params(
        opgeslagen=done.id
    )
    return htmx.redirect(request, str(url))


async def scan_file(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        found = session.get(PaperEntry, int(request.path_params["entry_id"]))
        if found is None or found.proposal_id != proposal.id:
            raise HTTPException(status_code=404)
        path = scans.path_of(settings(request), found)
    if path is None:
        raise HTTPException(status_code=404)
    extension = path.suffix
    return FileResponse(
        path,
        media_type=found.scan_type,
        filename=f"stemformulier-{found.id}{extension}",
        content_disposition_type="attachment",
    )


async def conflicts(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    with new_session(engine(request)) as session:
        context = views.conflicts_context(session, user, find(session, user, request))
    return render(request, "paper/conflicts.html", context)


P = "/medewerkers/voorstellen/{proposal_id:int}"
routes = [
    Route(P + "/stemformulieren", entry, methods=["GET", "POST"], name="paper_entry"),
    Route(P + "/stemformulieren/{entry_id:int}/bevestigen", confirm, methods=["POST"],
          name="paper_entry_confirm"),
    Route(P + "/stemformulieren/{entry_id:int}/afwijzen", reject, methods=["POST"],
          name="paper_entry_reject"),
    Route(P + "/stemformulieren/{entry_id:int}/scan", scan_file, name="paper_entry_scan"),
    Route(P + "/dubbele-stemmen", conflicts, name="paper_conflicts"),
]  # fmt: skip
