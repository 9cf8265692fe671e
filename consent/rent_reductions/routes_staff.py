"""Case work for case workers: queue, case page, assignment, checklist, questions, decision."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.accounts.models import StaffUser
from consent.db import new_session
from consent.housing.models import Tenancy, Unit
from consent.htmx import redirect
from consent.i18n import lazy_gettext
from consent.rent_reductions import casework, evidence, explain, forms, letters, registry, service
from consent.rent_reductions.access import case_worker, file_response, pdf_response, staff_case
from consent.rent_reductions.eligibility import check
from consent.rent_reductions.models import OPEN_STATUSES, ReductionRequest
from consent.rent_reductions.service import RequestError
from consent.templating import render
from consent.web import engine, settings, text, token, values

ID = re.compile(r"[0-9]{1,9}")  # an id of the database's integer range
FILTER_LABELS = {
    "open": lazy_gettext("Open"),
    "mine": lazy_gettext("Aan mij toegewezen"),
    "unassigned": lazy_gettext("Niet toegewezen"),
    "decided": lazy_gettext("Besloten"),
    "all": lazy_gettext("Alle"),
}


async def queue(request: Request) -> Response:
    user = case_worker(request)
    which = request.query_params.get("filter", "open")
    if which not in casework.FILTERS:
        which = "open"
    with new_session(engine(request)) as session:
        rows = casework.queue(session, user, which)
        workers = {u.id: u for u in casework.case_workers(session, user.corporation_id)}
    context = {
        "rows": rows,
        "which": which,
        "filters": [(f, str(FILTER_LABELS[f])) for f in casework.FILTERS],
        "workers": workers,
        "status_label": explain.status_label,
        "is_admin": user.role == "admin",
    }
    return render(request, "rent_reductions/queue.html", context)


def _case_context(session: Session, user: StaffUser, req: ReductionRequest) -> dict[str, Any]:
    scheme = registry.get(req.scheme_id)
    tenancy = session.get(Tenancy, req.tenancy_id)
    assert tenancy is not None
    unit = session.get(Unit, tenancy.unit_id)
    data = service.answers(req)
    verdict_texts: list[str] = []
    answers = forms.answers_from_draft(data, tenancy.start_date)
    eligible = False
    if scheme is not None and answers is not None:
        try:
            verdict = check(scheme, answers, service.started_on(req) or registry.today())
            eligible, verdict_texts = (
                verdict.eligible,
                [explain.reason_text(r, scheme) for r in verdict.reasons],
            )
        except ValueError:
            verdict_texts = []
    due, paused = casework.due_at(session, req)
    return {
        "req": req,
        "scheme": scheme,
        "tenancy": tenancy,
        "unit": unit,
        "data": data,
        "eligible": eligible,
        "verdict_texts": verdict_texts,
        "due": due,
        "paused": paused,
        "pauses": service.pauses_of(session, req.id or 0),
        "files": evidence.evidence_of(session, req.id or 0),
        "kind_label": lambda kind: explain.kind_label(scheme, kind),
        "day": explain.day,
        "checklist": casework.checklist(req),
        "evidence_items": [(e.code, registry.evidence_label(e)) for e in scheme.evidence]
        if scheme
        else [],
        "workers": casework.case_workers(session, req.corporation_id),
        "is_open": req.status in [s.value for s in OPEN_STATUSES],
        "status_label": explain.status_label,
        "errors": {},
        "values": {},
        "user": user,
    }


async def case(request: Request) -> Response:
    user = case_worker(request)
    with new_session(engine(request)) as session:
        req = staff_case(request, session, user)
        context = _case_context(session, user, req)
    return render(request, "rent_reductions/case.html", context)


ERRORS = {
    "assignee": ("assignee", lazy_gettext("Kies een medewerker van uw eigen corporatie.")),
    "reason": ("reason", lazy_gettext("Schrijf de reden van de afwijzing op.")),
    "question": ("question", lazy_gettext("Schrijf op welke informatie u nodig heeft.")),
    "already_waiting": ("question", lazy_gettext("U wacht al op informatie van de huurder.")),
    "not_waiting": ("question", lazy_gettext("U wacht niet op informatie.")),
    "decided": ("decision", lazy_gettext("Over dit verzoek is al besloten.")),
    "scheme_missing": ("decision", lazy_gettext("De regeling van dit verzoek bestaat niet meer.")),
    "decision": ("decision", lazy_gettext("Kies: toekennen of afwijzen.")),
}


MAX_TEXT = 4000  # a question to the tenant, the reason of a rejection


def _carry_out(
    request: Request, session: Session, user: StaffUser, req: ReductionRequest,
    form: FormData, texts: dict[str, str],
) -> None:  # fmt: skip
    """The action named by the path's last part; RequestError when it cannot be done."""
    action = request.path_params["action"]
    if action == "toewijzen":
        raw = token(form, "assignee")
        casework.assign(session, req, int(raw) if ID.fullmatch(raw) else None, user)
    elif action == "controlelijst":
        codes = [str(c) for c in form.getlist("evidence")]
        casework.update_checklist(session, req, codes, user)
    elif action == "informatie":
        if not texts["question"]:
            raise RequestError("question")
        casework.ask_more_info(session, settings(request), req, texts["question"], user)
    elif action == "hervatten":
        casework.resume(session, req, user)
    elif action == "besluit":
        decision = token(form, "decision")
        if decision not in ("approve", "reject"):
            raise RequestError("decision")
        approve = decision == "approve"
        casework.decide(session, settings(request), req, approve, texts["reason"], user)
    else:
        raise HTTPException(status_code=404)


async def act(request: Request) -> Response:
    """One POST endpoint per action, then back to the case; with errors the case again."""
    user = case_worker(request)
    with new_session(engine(request)) as session:
        req = staff_case(request, session, user)
        form = await request.form()
        errors: dict[str, str] = {}
        texts = {name: text(form, name, MAX_TEXT, errors) for name in ("question", "reason")}
        if not errors:
            try:
                _carry_out(request, session, user, req, form, texts)
            except RequestError as exc:
                field, message = ERRORS[exc.reason]
                errors[field] = str(message)
        if errors:
            session.rollback()
            context = _case_context(session, user, req)
            context["errors"] = errors
            context["values"] = values(form)
            return render(request, "rent_reductions/case.html", context, status_code=400)
        session.commit()
    return redirect(request, str(request.url_for("rr_case", request_id=req.id)))


async def evidence_file(request: Request) -> Response:
    user = case_worker(request)
    with new_session(engine(request)) as session:
        req = staff_case(request, session, user)
        found = evidence.open_evidence(
            session, settings(request), req, request.path_params["file_id"], f"staff:{user.id}"
        )
    if found is None:
        raise HTTPException(status_code=404)
    return file_response(*found)


async def letter(request: Request) -> Response:
    user = case_worker(request)
    with new_session(engine(request)) as session:
        req = staff_case(request, session, user)
        if req.status in [s.value for s in OPEN_STATUSES]:
            raise HTTPException(status_code=404)
        content = letters.letter_pdf(letters.letter_context(session, req))
    return pdf_response(content, f"besluit-{req.reference}.pdf")


_CASE = "/medewerkers/huurverlaging/{request_id:int}"
routes = [
    Route("/medewerkers/huurverlaging", queue, name="rr_queue"),
    Route(_CASE, case, name="rr_case"),
    Route(f"{_CASE}/brief", letter, name="rr_letter"),
    Route(f"{_CASE}/bewijs/{{file_id:int}}", evidence_file, name="rr_evidence_file"),
    Route(f"{_CASE}/{{action:str}}", act, methods=["POST"], name="rr_act"),
]
