"""Every visit in Dutch, English and Arabic, in a real browser: axe-core (WCAG 2.2 A and AA)
finds no violation, no Content-Security-Policy violation is logged, the page reflows at
320 CSS px without horizontal scrolling, tenant pages take text at 200% (WCAG 1.4.4) without
horizontal scrolling or clipped text, and tenant pages are photographed."""

from __future__ import annotations

import pytest

from tests.browser.driver import clipped_text, describe, open_visit, page_width, run_axe, zoom_text
from tests.browser.visits import LANGUAGES, SCREENSHOT_ONLY_LANGUAGES, VISITS

pytestmark = pytest.mark.browser

CASES = [
    pytest.param(visit, lang, id=f"{visit.name}-{lang}") for visit in VISITS for lang in LANGUAGES
]
TENANT_CASES = [
    pytest.param(visit, lang, id=f"{visit.name}-{lang}")
    for visit in VISITS
    if visit.tenant_page
    for lang in SCREENSHOT_ONLY_LANGUAGES
]
REFLOW_WIDTH = 320  # WCAG 1.4.10; wide data tables scroll inside their own box
DESKTOP = {"width": 1280, "height": 900}


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
    unannounced = page.locator(".notice-success:not([role=status], [role=alert])").count()
    if unannounced:
        problems.append(f"{unannounced} success message(s) without role=status (WCAG 4.1.3)")
    if visit.tenant_page:
        page.screenshot(path=str(screenshots / f"{visit.name}-{lang}.png"), full_page=True)

    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    width = page_width(page)
    if width > REFLOW_WIDTH:
        problems.append(f"reflow: the page is {width} px wide at a {REFLOW_WIDTH} px viewport")
    if visit.tenant_page:
        page.set_viewport_size(DESKTOP)
        zoom_text(page, 200)
        width = page_width(page)
        if width > DESKTOP["width"]:
            problems.append(f"text at 200%: the page is {width} px wide at {DESKTOP['width']} px")
        clipped = clipped_text(page)
        if clipped:
            problems.append(f"text at 200%: clipped text in {clipped}")
    if csp_errors:
        problems.append(f"Content-Security-Policy violations: {csp_errors}")
    assert not problems, f"{visit.name} ({lang}, {page.url}):\n" + "\n".join(problems)


@pytest.mark.parametrize(("visit", "lang"), TENANT_CASES)
def test_tenant_page_in_the_other_languages(context_as, live_server, screenshots, visit, lang):
    """Tenant pages in Turkish, Polish and Ukrainian: in that language, photographed, and
    reflowing at 320 CSS px (axe-core runs in nl, en and ar: the markup is the same)."""
    page = context_as(visit.who).new_page()
    open_visit(page, live_server, visit, lang)
    page.screenshot(path=str(screenshots / f"{visit.name}-{lang}.png"), full_page=True)
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    width = page_width(page)
    assert width <= REFLOW_WIDTH, f"{visit.name} ({lang}): {width} px wide at {REFLOW_WIDTH} px"


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


def test_text_zoom_check_detects_clipping(context, live_server):
    page = context.new_page()
    page.goto(live_server.url("/?lang=nl"))
    page.evaluate(
        "Object.assign(document.querySelector('main h1').style,"
        " {height: '1.5em', overflow: 'hidden', fontSize: '20px', lineHeight: '1'})"
    )
    assert clipped_text(page) == []
    zoom_text(page, 200)  # the fixed 20px heading stays; make it rem to grow with the text
    page.evaluate("document.querySelector('main h1').style.fontSize = '2rem'")
    page.evaluate("document.querySelector('main h1').style.height = '30px'")
    assert clipped_text(page), "a heading cut off at 200% text was not found"
