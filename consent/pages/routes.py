"""The start page (personal code entry) and the accessibility statement."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.pages.statement import STATEMENT_DATE, TESTED_LANGUAGES
from consent.templating import render


async def home(request: Request) -> Response:
    return render(request, "pages/home.html", {"errors": {}, "values": {}})


async def accessibility(request: Request) -> Response:
    context = {"statement_date": STATEMENT_DATE, "tested_languages": TESTED_LANGUAGES}
    return render(request, "pages/accessibility.html", context)


routes = [
    Route("/", home, name="home"),
    Route("/toegankelijkheid", accessibility, name="accessibility"),
]
