"""Every page state the browser suite visits: add a Visit when you add a page or a state.

A Visit names the route (so `test_browser_routes.py` can tell which GET routes are covered),
who is signed in, and optionally an action that brings the page into a state (a form sent
with errors). `tests/browser/seed.py` creates the data the paths point at.

A domain may keep its visits in its own test folder: `tests/<domain>/browser_<domain>.py`
with `VISITS = [Visit(...), ...]`, optionally `EXEMPT = {route name: reason}`, and a
`seed(engine, settings, data)` function for its data (see seed.py). They are added below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.browser.seed import Seed, domain_modules

Page = Any  # playwright.sync_api.Page (kept loose so this module imports without Playwright)

# who: ANONYMOUS; TENANT (the seeded home code) or "tenant:<name>" (seed.codes[name]);
# STAFF (a project leader) or "staff:<role>" (admin, broker, case_worker, committee, ...).
ANONYMOUS, TENANT, STAFF = "anonymous", "tenant", "staff"


def submit(page: Page, fields: dict[str, str]) -> None:
    """Fill the fields of the form in <main> and send it, waiting for the next page."""
    for selector, value in fields.items():
        page.fill(selector, value)
    with page.expect_navigation():
        page.click("main button[type=submit]")


@dataclass(frozen=True)
class Visit:
    name: str  # unique; used in test ids and screenshot file names
    route: str | None  # the route name this covers; None for states without a route (404)
    who: str = ANONYMOUS  # see above: anonymous, tenant[:<code name>], staff[:<role>]
    params: Callable[[Seed], dict[str, Any]] = field(default=lambda seed: {})
    path: str | None = None  # a literal path instead of a route (only for the 404 page)
    act: Callable[[Page, Seed], None] | None = None  # brings the page into a state
    expect: str = "main h1"  # a selector that must be on the page afterwards
    status: int = 200  # the expected HTTP status of the first page load
    tenant_page: bool = False  # tenant-facing: screenshots are saved for every language


VISITS: list[Visit] = [
    Visit("start", "home", tenant_page=True),
    Visit(
        "start-errors",
        "home",
        act=lambda page, seed: submit(page, {"#code": "ABCDE-FGHJK-MNPQR"}),
        expect=".error-summary a[href='#code']",
        tenant_page=True,
    ),
    Visit(
        "start-empty-code",
        "home",
        act=lambda page, seed: submit(page, {"#code": ""}),
        expect=".error-summary a[href='#code']",
        tenant_page=True,
    ),
    Visit("tenant-home", "tenant_home", who=TENANT, expect="main section h2", tenant_page=True),
    Visit("accessibility", "accessibility", tenant_page=True),
    Visit("not-found", None, path="/bestaat-niet", status=404, tenant_page=True),
    Visit("login", "login"),
    Visit(
        "login-errors",
        "login",
        act=lambda page, seed: submit(page, {"#email": seed.staff_email, "#password": "wrong"}),
        expect=".error-summary a[href='#email']",
    ),
    Visit("staff-home", "staff_home", who=STAFF),
    Visit("complex-list", "complex_list", who=STAFF, expect="main table caption"),
    Visit(
        "complex-detail",
        "complex_detail",
        who=STAFF,
        params=lambda seed: {"complex_id": seed.complex_id},
        expect="main table caption",
    ),
]

# Plain states of the process pages that need no seeded objects. The domains' own modules
# (tests/<domain>/browser_<domain>.py) add the other states next to these.
VISITS += [
    Visit("proposal-list", "proposal_list", who="staff:project_leader"),
    Visit("proposal-overview", "proposal_overview", who="staff:project_leader"),
    Visit("proposal-new", "proposal_new", who="staff:project_leader"),
    Visit("moving-caseload", "moving_caseload", who="staff:broker"),
    Visit("moving-report", "moving_report", who="staff:broker"),
    Visit("moving-code", "moving_code", who="staff:broker"),
    Visit("moving-programmes", "moving_programmes", who="staff:broker"),
    Visit("moving-programme-new", "moving_programme_new", who="staff:admin"),
    Visit("moving-signup-start", "moving_signup_start", tenant_page=True),
    Visit(
        "moving-signup-open",
        "moving_signup_open",
        params=lambda seed: {"slug": "acme"},
        tenant_page=True,
    ),
    Visit(
        "moving-signup-received",
        "moving_signup_received",
        params=lambda seed: {"slug": "acme"},
        tenant_page=True,
    ),
]

# GET routes that are not pages a person visits, with the reason. Keep this short.
_DOWNLOAD = "a file download (CSV, PDF, ZIP or an uploaded file), not an HTML page"
EXEMPT: dict[str, str] = {
    "proposal_non_respondents_csv": _DOWNLOAD,
    "proposal_attachment": _DOWNLOAD,
    "tenant_proposal_attachment": _DOWNLOAD,
    "initiative_attachment": _DOWNLOAD,
    "moving_export": _DOWNLOAD,
    "rent_reduction_evidence_file": _DOWNLOAD,
    "rent_reduction_letter": _DOWNLOAD,
    "rent_reduction_export": _DOWNLOAD,
    "rr_letter": _DOWNLOAD,
    "rr_evidence_file": _DOWNLOAD,
}

for _module in domain_modules():
    VISITS.extend(getattr(_module, "VISITS", []))
    EXEMPT.update(getattr(_module, "EXEMPT", {}))

LANGUAGES = ("nl", "en", "ar")  # every visit, with axe-core
SCREENSHOT_ONLY_LANGUAGES = ("tr", "pl", "uk")  # tenant pages: screenshots and reflow
