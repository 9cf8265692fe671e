"""Monthly figures with a chart, the CSV export, and personal codes for the sign-up."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.accounts.models import Role
from consent.db import new_session, session_scope
from consent.housing.models import Tenancy
from consent.i18n import gettext as _
from consent.moving import service
from consent.moving.chart import SERIES, bar_chart
from consent.moving.export import caseload_csv
from consent.moving.report import (
    FAMILY_HOME_MIN_ROOMS,
    ROOM_BUCKETS,
    monthly_report,
    months_between,
)
from consent.templating import render
from consent.web import engine, require_staff, settings, text

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 36


def _month(entered: str) -> date | None:
    match = MONTH.match(entered.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def _default_range(today: date) -> tuple[date, date]:
    last = today.replace(day=1)
    first = date(last.year - 1, last.month, 1)
    return (date(first.year + first.month // 12, first.month % 12 + 1, 1), last)


async def report(request: Request) -> Response:
    user = require_staff(request, Role.BROKER)
    first, last = _default_range(service.today())
    entered = {key: request.query_params.get(key, "") for key in ("van", "tot")}
    errors: dict[str, str] = {}
    if entered["van"] or entered["tot"]:
        chosen_first, chosen_last = _month(entered["van"]), _month(entered["tot"])
        if chosen_first is None:
            errors["van"] = _("Vul een maand in, bijvoorbeeld 2026-01")
        if chosen_last is None:
            errors["tot"] = _("Vul een maand in, bijvoorbeeld 2026-12")
        if chosen_first and chosen_last:
            span = len(months_between(chosen_first, chosen_last))
            if chosen_first > chosen_last or span > MAX_MONTHS:
                errors["tot"] = _(
                    "Kies een eindmaand na de beginmaand, hooguit %(n)s maanden later.",
                    n=MAX_MONTHS,
                )
            else:
                first, last = chosen_first, chosen_last
    with new_session(engine(request)) as session:
        facts = service.report_facts(session, user.corporation_id)
    figures = monthly_report(facts, first, last)
    context = {
        "report": figures, "chart": bar_chart(figures.months), "series": [s for s, _c in SERIES],
        "colours": dict(SERIES), "buckets": ROOM_BUCKETS, "errors": errors,
        "family_rooms": FAMILY_HOME_MIN_ROOMS,
        "values": entered if errors else {"van": f"{first:%Y-%m}", "tot": f"{last:%Y-%m}"},
    }  # fmt: skip
    return render(request, "moving/report.html", context, status_code=400 if errors else 200)


async def export(request: Request) -> Response:
    user = require_staff(request, Role.BROKER)
    with new_session(engine(request)) as session:
        rows = service.list_signups(session, user.corporation_id)
        names = {b.id or 0: b.name for b in service.brokers(session, user.corporation_id)}
        ids = [r.tenancy_id for r in rows if r.tenancy_id]
        codes = {
            t.id or 0: t.code
            for t in session.exec(select(Tenancy).where(col(Tenancy.id).in_(ids))).all()
        }
    body = caseload_csv(rows, names, codes)
    filename = f"aanmeldingen-verhuizen-{service.today():%Y-%m-%d}.csv"
    return Response(
        "\ufeff" + body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def issue_code(request: Request) -> Response:
    """A personal code for one tenancy, shown once, to print in a letter to the tenant."""
    user = require_staff(request, Role.BROKER)
    if request.method == "GET":
        return render(request, "moving/code.html", {"errors": {}, "values": {}, "code": None})
    form = await request.form()
    errors: dict[str, str] = {}
    tenancy_code = text(form, "tenancy_code", 60, errors)
    with session_scope(engine(request)) as session:
        tenancy = (
            None
            if errors
            else session.exec(
                select(Tenancy).where(
                    Tenancy.corporation_id == user.corporation_id, Tenancy.code == tenancy_code
                )
            ).first()
        )
        if tenancy is None:
            errors = errors or {
                "tenancy_code": _("Dit huurcontract bestaat niet. Controleer het nummer.")
            }
            context: dict[str, Any] = {
                "errors": errors, "values": {"tenancy_code": tenancy_code}, "code": None,
            }  # fmt: skip
            return render(request, "moving/code.html", context, status_code=400)
        code = service.issue_code(
            session, settings(request), corporation_id=user.corporation_id,
            tenancy_id=tenancy.id or 0, actor=f"staff:{user.id}",
        )  # fmt: skip
    context = {"errors": {}, "values": {}, "code": code, "tenancy_code": tenancy_code}
    return render(request, "moving/code.html", context)


routes = [
    Route("/medewerkers/verhuizen/cijfers", report, name="moving_report"),
    Route("/medewerkers/verhuizen/aanmeldingen.csv", export, name="moving_export"),
    Route("/medewerkers/verhuizen/code", issue_code, methods=["GET", "POST"], name="moving_code"),
]
