"""Staff pages: the paper hub of a proposal, asking for its letters, queued letters to print.

Asking for letters saves a letter run and answers with its status page at once; the
letters are made after the answer (``consent.paper.make``), see ``routes_runs``.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent import htmx
from consent.accounts.models import Role, StaffUser
from consent.audit.service import record
from consent.db import new_session
from consent.housing.models import Corporation, Tenancy
from consent.i18n import LANGUAGES
from consent.i18n import gettext as _
from consent.paper import letters, make, printing, runs, views
from consent.paper.access import PRINT, READ, WRITE, find
from consent.paper.entries import actor_of
from consent.paper.models import LetterRun
from consent.proposals.models import Proposal
from consent.templating import render
from consent.web import engine, require_staff, settings, text, token, values


async def hub(request: Request) -> Response:
    user = require_staff(request, *READ)
    with new_session(engine(request)) as session:
        context = views.hub_context(session, user, find(session, user, request))
    return render(request, "paper/hub.html", context)


def _hub_error(
    request: Request,
    session: Session,
    user: StaffUser,
    proposal: Proposal,
    errors: dict[str, str],
    form_values: dict[str, Any],
    status: int = 400,
) -> Response:
    context = views.hub_context(session, user, proposal) | {"errors": errors, "values": form_values}
    return render(request, "paper/hub.html", context, status_code=status)


def started(request: Request, run: LetterRun, new: bool) -> Response:
    """The answer to a request for letters: its status page, the job started after it."""
    response = htmx.redirect(request, str(request.url_for("paper_run", run_id=run.id)))
    if new:
        response.background = BackgroundTask(
            make.execute, engine(request), settings(request), run.id or 0
        )
    return response


async def make_letters(request: Request) -> Response:
    """All letters, or the reminders: made in the background. New codes: see letters.py."""
    user = require_staff(request, *WRITE)
    form = await request.form()
    reminder = token(form, "kind") == "reminder"
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        problem = letters.batch_problem(proposal, reminder)
        count = 0 if problem else len(letters.voters(session, proposal, reminder=reminder))
        if problem or not count:
            message = str(runs.ERRORS[problem or "none"])
            return _hub_error(request, session, user, proposal, {"letters-title": message}, {}, 409)
        run, new = runs.ask(session, user, kind="reminder" if reminder else "all",
                            letters_count=count, proposal_id=proposal.id)  # fmt: skip
        session.commit()
    return started(request, run, new)


async def make_letter(request: Request) -> Response:
    """One household's letter (again), optionally in another language."""
    user = require_staff(request, *WRITE)
    form = await request.form()
    code, language = token(form, "tenancy"), token(form, "language")
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        errors: dict[str, str] = {}
        tenancy = session.exec(
            select(Tenancy).where(
                Tenancy.corporation_id == user.corporation_id, Tenancy.code == code
            )
        ).first()
        if tenancy is None:
            errors["tenancy"] = _("Kies een huishouden")
        elif tenancy.id not in {t for _u, t in letters.voters(session, proposal)}:
            errors["tenancy"] = str(runs.ERRORS["not_eligible"])
        if language and language not in LANGUAGES:
            errors["language"] = _("Kies een taal uit de lijst")
        problem = letters.batch_problem(proposal, reminder=False)
        if problem:
            errors["tenancy"] = str(runs.ERRORS[problem])
        if errors or tenancy is None:
            return _hub_error(request, session, user, proposal, errors, values(form))
        run, new = runs.ask(session, user, kind="one", letters_count=1, proposal_id=proposal.id,
                            params={"tenancy_id": tenancy.id, "language": language})  # fmt: skip
        session.commit()
    return started(request, run, new)


async def paper_settings(request: Request) -> Response:
    """The corporation's help phone (on every letter) and the four-eyes rule (admin)."""
    user = require_staff(request, Role.ADMIN)
    form = await request.form()
    errors: dict[str, str] = {}
    phone = text(form, "help_phone", 40, errors)
    if phone and not all(ch.isdigit() or ch in " +-()" for ch in phone):
        errors["help_phone"] = _("Een telefoonnummer heeft alleen cijfers, spaties, + en -")
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        if errors:
            return _hub_error(request, session, user, proposal, errors, values(form))
        corporation = session.get(Corporation, user.corporation_id)
        assert corporation is not None
        corporation.help_phone = phone
        corporation.paper_four_eyes = form.get("four_eyes") == "1"
        session.add(corporation)
        record(
            session, actor=actor_of(user), action="paper.settings_changed",
            object_type="corporation", object_id=corporation.id,
            corporation_id=corporation.id,
            details={"four_eyes": corporation.paper_four_eyes, "help_phone_set": bool(phone)},
        )  # fmt: skip
        session.commit()
    return htmx.redirect(request, str(request.url_for("paper_hub", proposal_id=proposal.id)))


def _pending_page(
    request: Request,
    session: Session,
    user: StaffUser,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    found = views.printable(session, user)
    made = [r for r in views.recent_runs(session, user.corporation_id, kind="queued")
            if runs.may_see(user, r)]  # fmt: skip
    context = {
        "letters": found,
        "up_to": max((m.id or 0 for m in found), default=0),
        "template_labels": views.TEMPLATE_LABELS,
        "errors": errors or {},
        **views.runs_context(session, made),
    }
    return render(request, "paper/pending_letters.html", context, status_code=status)


async def pending_letters(request: Request) -> Response:
    user = require_staff(request, *PRINT)
    with new_session(engine(request)) as session:
        return _pending_page(request, session, user)


async def print_letters(request: Request) -> Response:
    """The listed letters as one PDF, made in the background; marked sent once posted."""
    user = require_staff(request, *PRINT)
    form = await request.form()
    raw = token(form, "up_to")
    with new_session(engine(request)) as session:
        found = printing.to_print(session, user, int(raw) if raw.isdigit() else 0)
        if not found:
            errors = {"print-form": _("Er liggen geen brieven klaar om te printen.")}
            return _pending_page(request, session, user, errors, 409)
        params = {"message_ids": [m.id for m in found],
                  "templates": sorted({m.template for m in found})}  # fmt: skip
        run, new = runs.ask(session, user, kind="queued", letters_count=len(found), params=params)
        session.commit()
    return started(request, run, new)


P = "/medewerkers/voorstellen/{proposal_id:int}"
routes = [
    Route(P + "/papier", hub, name="paper_hub"),
    Route(P + "/brieven", make_letters, methods=["POST"], name="paper_letters"),
    Route(P + "/brief", make_letter, methods=["POST"], name="paper_letter"),
    Route(P + "/papier/instellingen", paper_settings, methods=["POST"], name="paper_settings"),
    Route("/medewerkers/brieven", pending_letters, name="paper_pending_letters"),
    Route("/medewerkers/brieven/printen", print_letters, methods=["POST"],
          name="paper_print_letters"),
]  # fmt: skip
