"""Every visit in Dutch, English and Arabic, in a real browser: axe-core (WCAG 2.2 A and AA)
finds no violation, no Content-Security-Policy violation is logged, the page reflows at
320 CSS px without horizontal scrolling, and tenant pages are photographed."""

from __future__ import annotations

import pytest

from tests.browser.driver import describe, open_visit, page_width, run_axe
from tests.browser.visits import LANGUAGES, VISITS

pytestmark = pytest.mark.browser

CASES = [
    pytest.param(visit, lang, id=f"{visit.name}-{lang}") for visit in VISITS for lang in LANGUAGES
]
REFLOW_WIDTH = 320  # WCAG 1.4.10; wide data tables scroll inside their own box


@pytest.mark.parametrize(("visit", "lang"), CASES)
def test_page_in_browser(context_as, live_server, axe_source, screenshots, visit, lang):
    page = context_as(visit.who).new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    open_visit(page, live_server, visit, lang)
    problems = []

    violations = run_axe(page, axe_source)
    if violations:
        problems.append(
            f"axe-core found {len(violations)} WCAG violation(s):\n{describe(violations)}"
        )
    if visit.tenant_page:
        page.screenshot(path=str(screenshots / f"{visit.name}-{lang}.png"), full_page=True)

    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    width = page_width(page)
    if width > REFLOW_WIDTH:
        problems.append(f"reflow: the page is {width} px wide at a {REFLOW_WIDTH} px viewport")
    if csp_errors:
        problems.append(f"Content-Security-Policy violations: {csp_errors}")
    assert not problems, f"{visit.name} ({lang}, {page.url}):\n" + "\n".join(problems)


def test_axe_reports_violations(context, live_server, axe_source):
    """The harness itself: a broken page must fail (guards against a silently empty check)."""
    page = context.new_page()
    page.goto(live_server.url("/?lang=nl"))
    page.evaluate("document.querySelector('label[for=code]').remove()")
    violations = run_axe(page, axe_source)
    assert "label" in {violation["id"] for violation in violations}, describe(violations)


def test_reflow_check_detects_overflow(context, live_server):
    page = context.new_page()
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    page.goto(live_server.url("/?lang=nl"))
    page.evaluate("document.querySelector('main p').style.minWidth = '900px'")
    assert page.evaluate("document.documentElement.scrollWidth") > REFLOW_WIDTH
