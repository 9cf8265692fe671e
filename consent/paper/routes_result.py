"""Staff pages: the home-visit list (page and PDF) and the result certificate (PDF)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.db import new_session
from consent.paper import certificate, visits
from consent.paper.access import READ, WRITE, find, pdf_response
from consent.paper.pdf import environment, html_to_pdf
from consent.paper.views import base_context
from consent.templating import render
from consent.timeutil import utcnow
from consent.web import engine, require_staff, settings


async def visit_list(request: Request) -> Response:
    user = require_staff(request, *WRITE)
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        context = base_context(session, user, proposal)
        context["rows"] = visits.visit_list(session, settings(request), proposal.id or 0)
    if not request.url.path.endswith(".pdf"):
        return render(request, "paper/visits.html", context)
    context["made_at"] = utcnow()
    html = environment().get_template("paper/visits_pdf.html").render(context)
    data = await run_in_threadpool(html_to_pdf, html)
    return pdf_response(data, f"huisbezoeken-voorstel-{proposal.id}.pdf")


async def result_certificate(request: Request) -> Response:
    """The frozen result as a PDF: project leader, and the committee of the complex."""
    user = require_staff(request, *READ)
    with new_session(engine(request)) as session:
        proposal = find(session, user, request)
        context = certificate.certificate_context(session, proposal)
        if context is None:
            page = base_context(session, user, proposal)
            return render(request, "paper/not_closed.html", page, status_code=409)
    data = await run_in_threadpool(certificate.certificate_pdf, context)
    return pdf_response(data, f"uitslag-voorstel-{proposal.id}.pdf")


P = "/medewerkers/voorstellen/{proposal_id:int}"
routes = [
    Route(P + "/huisbezoeken", visit_list, name="paper_visits"),
    Route(P + "/huisbezoeken.pdf", visit_list, name="paper_visits_pdf"),
    Route(P + "/uitslag.pdf", result_certificate, name="paper_certificate"),
]
