"""The anonymous eligibility check: answers in, explanation out, nothing stored."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import NoMatchFound, Route

from consent.i18n import gettext as _
from consent.rent_reductions import explain, forms, registry
from consent.rent_reductions.eligibility import check
from consent.rent_reductions.schemes import Scheme, is_open
from consent.templating import render
from consent.web import values

INCOME_FIELDS = {"last_6_months": "income", "year": "income_year"}


def _schemes() -> tuple[list[Scheme], list[Scheme]]:
    on = registry.today()
    offered = [s for s in registry.schemes().values() if not s.template]
    return [s for s in offered if is_open(s, on)], [s for s in offered if not is_open(s, on)]


def request_code_url(request: Request) -> str | None:
    """The page where a tenant without a code asks for one (code_requests), if installed."""
    for name in ("code_request", "request_code"):
        try:
            url = request.url_for(name)
        except NoMatchFound:
            continue
        return str(url.include_query_params(doel="rent_reduction"))
    return None


def _context(request: Request, open_s: list[Scheme], closed_s: list[Scheme]) -> dict[str, Any]:
    earlier = sorted({i for s in open_s for i in s.conditions.no_earlier_reduction_under})
    return {
        "open_schemes": open_s,
        "closed": [(registry.scheme_name(s), explain.closed_message(s)) for s in closed_s],
        "periods": {s.income_period for s in open_s},
        "period_labels": explain.PERIOD_LABELS,
        "earlier_options": [(i, explain.scheme_label(i)) for i in earlier],
        "max_adults": forms.MAX_ADULTS,
        "errors": {},
        "values": {},
        "earlier": [],
        "results": None,
        "request_code_url": request_code_url(request),
    }


async def check_page(request: Request) -> Response:
    open_s, closed_s = _schemes()
    context = _context(request, open_s, closed_s)
    if request.method == "POST":
        form = await request.form()
        entered, earlier = values(form), [str(v) for v in form.getlist("earlier")]
    elif request.query_params.get("check"):
        entered = dict(request.query_params)
        earlier = list(request.query_params.getlist("earlier"))
    else:
        return render(request, "rent_reductions/check.html", context)
    allowed = {i for i, _label in context["earlier_options"]}
    earlier = [e for e in earlier if e in allowed]
    context.update(values=entered, earlier=earlier)
    if not open_s:
        return render(request, "rent_reductions/check.html", context)
    fields = {p: INCOME_FIELDS[p] for p in context["periods"]}
    answers, errors = forms.check_form(entered, earlier, registry.today(), fields)
    results = []
    if not errors:
        try:
            for scheme in open_s:
                verdict = check(scheme, answers[scheme.income_period], registry.today())
                texts = [explain.reason_text(r, scheme) for r in verdict.reasons]
                results.append(
                    {
                        "name": registry.scheme_name(scheme),
                        "eligible": verdict.eligible,
                        "texts": texts,
                        "limits": explain.limit_rows(scheme),
                        "period": explain.PERIOD_LABELS[scheme.income_period],
                        "on_request": scheme.on_request,
                    }
                )
        except ValueError:
            errors["adult1_birth"] = _("Met deze geboortedatum kunnen wij nu niet rekenen.")
    if errors:
        context["errors"] = errors
        return render(request, "rent_reductions/check.html", context, status_code=400)
    context["results"] = results
    return render(request, "rent_reductions/check.html", context)


routes = [
    Route(
        "/huurverlaging/controleren",
        check_page,
        methods=["GET", "POST"],
        name="rent_reduction_check",
    ),
]
