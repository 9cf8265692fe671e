"""Every GET route of the app has a browser visit (runs without a browser)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from starlette.routing import BaseRoute, Mount, Route

from tests.browser.driver import routing_app
from tests.browser.visits import EXEMPT, VISITS

SKIPPED_MOUNTS = {"static", "api"}


def get_routes(routes: Iterable[BaseRoute]) -> Iterator[str]:
    """Names of the GET routes, recursing into mounts except static files and the API."""
    for route in routes:
        if isinstance(route, Mount):
            if route.name not in SKIPPED_MOUNTS:
                yield from get_routes(route.routes)
        elif isinstance(route, Route) and route.methods and "GET" in route.methods:
            yield route.name


def test_every_get_route_has_a_browser_visit():
    visited = {visit.route for visit in VISITS}
    missing = sorted(set(get_routes(routing_app().routes)) - visited - set(EXEMPT))
    assert not missing, (
        "GET routes without a browser visit (add a Visit to tests/browser/visits.py, "
        f"or an EXEMPT entry with the reason): {', '.join(missing)}"
    )


def test_every_visit_names_an_existing_route():
    routes = set(get_routes(routing_app().routes))
    stale = sorted({v.route for v in VISITS if v.route is not None} - routes)
    assert not stale, f"visits for routes that no longer exist: {', '.join(stale)}"
    stale_exempt = sorted(set(EXEMPT) - routes)
    assert not stale_exempt, f"EXEMPT names routes that do not exist: {stale_exempt}"
    names = [visit.name for visit in VISITS]
    assert len(names) == len(set(names)), "visit names must be unique"


def test_route_listing_finds_the_known_pages():
    """Guards the listing itself: it must see plain routes, and no static or API route."""
    routes = set(get_routes(routing_app().routes))
    assert {"home", "login", "staff_home", "complex_detail"} <= routes
    assert "openapi" not in routes
    assert "enter_code" not in routes  # POST only
