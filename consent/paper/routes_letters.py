"""Staff pages: the paper hub of a proposal, its letters, queued letters to print."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool
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
from consent.paper import letters, pdf, printing, views
from consent.paper.access import PRINT, READ, WRITE, find, pdf_response
from consent.paper.entries import actor_of
from consent.proposals.models import Proposal
from consent.proposals.service import ProposalError
from consent.templating import render
from consent.web import engine, require_staff, settings, text, values


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


async def make_letters(request: Request) -> Response:
    """All letters, or the reminders; a PDF download. New codes: see letters.py."""
    user = require_staff(request, *WRITE)
    form = await request.form()
    reminder = text(form, "kind", 20) == "reminder"
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        try:
            batch = letters.letter_batch(
                session, settings(request), proposal, actor_of(user), reminder=reminder
            )
        except ProposalError as exc:
            return _hub_error(
                request, session, user, proposal, {"letters-title": exc.message}, {}, 409
            )
        if not len(batch):
            message = _("Er is geen huishouden om een brief aan te sturen.")
            return _hub_error(request, session, user, proposal, {"letters-title": message}, {}, 409)
        data = await run_in_threadpool(pdf.letters_pdf, batch, len(batch))
        session.commit()
    name = "herinneringen" if reminder else "brieven"
    return pdf_response(data, f"{name}-voorstel-{proposal.id}.pdf")


async def make_letter(request: Request) -> Response:
    """One household's letter (again), optionally in another language."""
    user = require_staff(request, *WRITE)
    form = await request.form()
    code, language = text(form, "tenancy", 60), text(form, "language", 5)
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
        if language and language not in LANGUAGES:
            errors["language"] = _("Kies een taal uit de lijst")
        batch = None
        if not errors:
            try:
                batch = letters.letter_batch(
                    session, settings(request), proposal, actor_of(user),
                    tenancy_ids={tenancy.id or 0} if tenancy else set(),
                    language=language or None,
                )  # fmt: skip
            except ProposalError as exc:
                errors["tenancy"] = exc.message
        if batch is not None and not len(batch):
            errors["tenancy"] = _("Dit huishouden mag niet stemmen over dit voorstel.")
        if errors or batch is None:
            return _hub_error(request, session, user, proposal, errors, values(form))
        data = await run_in_threadpool(pdf.letters_pdf, batch, len(batch))
        session.commit()
    return pdf_response(data, f"brief-voorstel-{proposal.id}-{code}.pdf")


async def paper_settings(request: Request) -> Response:
    """The corporation's help phone (on every letter) and the four-eyes rule (admin)."""
    user = require_staff(request, Role.ADMIN)
    form = await request.form()
    phone = text(form, "help_phone", 40)
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        if phone and not all(ch.isdigit() or ch in " +-()" for ch in phone):
            errors = {"help_phone": _("Een telefoonnummer heeft alleen cijfers, spaties, + en -")}
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
    context = {
        "letters": found,
        "up_to": max((m.id or 0 for m in found), default=0),
        "template_labels": views.TEMPLATE_LABELS,
        "errors": errors or {},
    }
    return render(request, "paper/pending_letters.html", context, status_code=status)


async def pending_letters(request: Request) -> Response:
    user = require_staff(request, *PRINT)
    with new_session(engine(request)) as session:
        return _pending_page(request, session, user)


async def print_letters(request: Request) -> Response:
    """The listed letters as one PDF; they are marked printed and their text removed."""
    user = require_staff(request, *PRINT)
    form = await request.form()
    raw = text(form, "up_to", 12)
    with new_session(engine(request)) as session:
        found = printing.to_print(session, user, int(raw) if raw.isdigit() else 0)
        if not found:
            errors = {"print-form": _("Er liggen geen brieven klaar om te printen.")}
            return _pending_page(request, session, user, errors, 409)
        data = await run_in_threadpool(printing.print_letters, session, user, found)
        session.commit()
    return pdf_response(data, "brieven-om-te-printen.pdf")


P = "/medewerkers/voorstellen/{proposal_id:int}"
routes = [
    Route(P + "/papier", hub, name="paper_hub"),
    Route(P + "/brieven.pdf", make_letters, methods=["POST"], name="paper_letters"),
    Route(P + "/brief.pdf", make_letter, methods=["POST"], name="paper_letter"),
    Route(P + "/papier/instellingen", paper_settings, methods=["POST"], name="paper_settings"),
    Route("/medewerkers/brieven", pending_letters, name="paper_pending_letters"),
    Route("/medewerkers/brieven/printen", print_letters, methods=["POST"],
          name="paper_print_letters"),
]  # fmt: skip
