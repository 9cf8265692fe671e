"""The tenant's request, one step per page: start, household, income, (evidence), send."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.db import new_session
from consent.housing.models import Tenancy, Tenant, Unit
from consent.htmx import redirect
from consent.i18n import gettext as _
from consent.rent_reductions import evidence, explain, forms, registry, service
from consent.rent_reductions.access import tenancy_for, tenant_request
from consent.rent_reductions.eligibility import check
from consent.rent_reductions.models import ReductionRequest, Status
from consent.rent_reductions.service import RequestError
from consent.templating import render
from consent.web import engine, settings, text, values

STEP_ROUTES = {"household": "rent_reduction_household", "income": "rent_reduction_income"}


def _url(request: Request, name: str, req: ReductionRequest) -> str:
    return str(request.url_for(name, object_id=req.tenancy_id, request_id=req.id))


def _draft(request: Request, session: Session) -> tuple[Tenancy, ReductionRequest] | Response:
    """The tenancy and its draft in the path; a sent request goes to its status page."""
    tenancy = tenancy_for(request, session)
    req = tenant_request(request, session, tenancy)
    if req.status != Status.DRAFT.value:
        return redirect(request, _url(request, "rent_reduction_status", req))
    return tenancy, req


async def start(request: Request) -> Response:
    with new_session(engine(request)) as session:
        tenancy = tenancy_for(request, session)
        draft = service.draft_of(session, tenancy.id or 0)
        if request.method == "POST" and draft is None:
            form = await request.form()
            try:
                draft = service.start_draft(session, tenancy, text(form, "scheme", 60, {}))
                session.commit()
            except RequestError:
                pass
        if request.method == "POST" and draft is not None:
            return redirect(request, _url(request, "rent_reduction_household", draft))
        on = registry.today()
        context: dict[str, Any] = {
            "tenancy": tenancy,
            "draft": draft,
            "sent": service.sent_requests(session, tenancy.id or 0),
            "schemes": [
                (s.id, registry.scheme_name(s))
                for s in registry.requestable(session, tenancy.corporation_id, on)
            ],
            "closed": [
                (registry.scheme_name(s), explain.closed_message(s))
                for s in registry.closed_enabled(session, tenancy.corporation_id, on)
            ],
            "status_label": explain.status_label,
            "errors": {},
        }
    status = 400 if request.method == "POST" else 200
    if status == 400 and context["schemes"]:
        context["errors"] = {"scheme": _("Kies een regeling die nu open is.")}
    return render(request, "rent_reductions/start.html", context, status_code=status)


def _household_values(session: Session, tenancy: Tenancy, data: dict[str, Any]) -> dict[str, str]:
    filled: dict[str, str] = {}
    adults = data.get("adults") or []
    if not adults:
        names = session.exec(
            select(Tenant).where(Tenant.tenancy_id == tenancy.id).order_by(col(Tenant.position))
        ).all()
        adults = [{"name": row.name, "birth_date": ""} for row in names]
    for i, adult in enumerate(adults, start=1):
        filled[f"adult{i}_name"] = adult.get("name", "")
        filled[f"adult{i}_birth"] = adult.get("birth_date", "")
    for j, child in enumerate(data.get("children") or [], start=1):
        filled[f"child{j}_birth"] = child.get("birth_date", "")
    rent = data.get("rent_cents")
    if rent is None:
        unit = session.get(Unit, tenancy.unit_id)
        rent = unit.bare_rent_cents if unit else None
    filled["rent"] = _euros(rent)
    return filled


def _euros(cents: int | None) -> str:
    """Cents as the tenant would type them: '650,00' (parse_money reads it back)."""
    return "" if cents is None else f"{cents // 100},{cents % 100:02d}"


async def household(request: Request) -> Response:
    with new_session(engine(request)) as session:
        found = _draft(request, session)
        if isinstance(found, Response):
            return found
        tenancy, req = found
        scheme = registry.get(req.scheme_id)
        earlier_ids = scheme.conditions.no_earlier_reduction_under if scheme else ()
        data = service.answers(req)
        errors: dict[str, str] = {}
        entered, earlier = _household_values(session, tenancy, data), data.get("earlier", [])
        if request.method == "POST":
            form = await request.form()
            entered = values(form)
            earlier = [e for e in form.getlist("earlier") if e in earlier_ids]
            household_data, errors = forms.household_form(entered, list(earlier), registry.today())
            if not errors:
                service.save_household(session, req, household_data)
                session.commit()
                return redirect(request, _url(request, "rent_reduction_income", req))
        context = {
            "req": req,
            "tenancy": tenancy,
            "values": entered,
            "earlier": earlier,
            "earlier_options": [(i, explain.scheme_label(i)) for i in earlier_ids],
            "errors": errors,
            "max_adults": forms.MAX_ADULTS,
            "max_children": forms.MAX_CHILDREN,
        }
    status = 400 if errors else 200
    return render(request, "rent_reductions/household.html", context, status_code=status)


async def income(request: Request) -> Response:
    with new_session(engine(request)) as session:
        found = _draft(request, session)
        if isinstance(found, Response):
            return found
        tenancy, req = found
        data = service.answers(req)
        errors: dict[str, str] = {}
        adults = data.get("adults") or []
        if not adults:
            return redirect(request, _url(request, "rent_reduction_household", req))
        entered = {
            f"adult{i}_income": _euros(a.get("income_cents")) for i, a in enumerate(adults, 1)
        }
        entered["income_dropped_on"] = data.get("income_dropped_on", "")
        if request.method == "POST":
            form = await request.form()
            entered = values(form)
            income_data, errors = forms.income_form(entered, adults, registry.today())
            if not errors:
                service.save_income(session, req, income_data)
                session.commit()
                return redirect(request, _url(request, "rent_reduction_evidence", req))
        scheme = registry.get(req.scheme_id)
        period = explain.PERIOD_LABELS[scheme.income_period] if scheme else ""
        context = {
            "req": req,
            "adults": adults,
            "values": entered,
            "errors": errors,
            "period": period,
        }
    return render(
        request, "rent_reductions/income.html", context, status_code=400 if errors else 200
    )


async def submit(request: Request) -> Response:
    with new_session(engine(request)) as session:
        found = _draft(request, session)
        if isinstance(found, Response):
            return found
        tenancy, req = found
        missing = service.missing_steps(req)
        if missing:
            return redirect(request, _url(request, STEP_ROUTES[missing[0]], req))
        error = ""
        if request.method == "POST":
            try:
                service.submit(session, settings(request), req, tenancy)
                session.commit()
                return redirect(request, _url(request, "rent_reduction_status", req))
            except RequestError:
                session.rollback()
                error = "closed"
        context = _summary(session, tenancy, req)
        context["error"] = explain.closed_message(context["scheme"]) if error else ""
    return render(
        request, "rent_reductions/submit.html", context, status_code=400 if error else 200
    )


def _summary(session: Session, tenancy: Tenancy, req: ReductionRequest) -> dict[str, Any]:
    scheme = registry.get(req.scheme_id)
    data = service.answers(req)
    verdict_texts: list[str] = []
    eligible = False
    answers = forms.answers_from_draft(data, tenancy.start_date)
    if scheme is not None and answers is not None:
        try:
            verdict = check(scheme, answers, registry.today())
            eligible = verdict.eligible
            verdict_texts = [explain.reason_text(r, scheme) for r in verdict.reasons]
        except ValueError:
            verdict_texts = []
    return {
        "req": req,
        "tenancy": tenancy,
        "scheme": scheme,
        "data": data,
        "eligible": eligible,
        "verdict_texts": verdict_texts,
        "files": evidence.evidence_of(session, req.id or 0),
        "kind_label": lambda kind: explain.kind_label(scheme, kind),
        "day": explain.day,
    }


_REQ = "/huurverlaging/{object_id:int}/aanvragen/{request_id:int}"
routes = [
    Route(
        "/huurverlaging/{object_id:int}",
        start,
        methods=["GET", "POST"],
        name="rent_reduction_start",
    ),
    Route(
        f"{_REQ}/huishouden", household, methods=["GET", "POST"], name="rent_reduction_household"
    ),
    Route(f"{_REQ}/inkomen", income, methods=["GET", "POST"], name="rent_reduction_income"),
    Route(f"{_REQ}/versturen", submit, methods=["GET", "POST"], name="rent_reduction_submit"),
]
