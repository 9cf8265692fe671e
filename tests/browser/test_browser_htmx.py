"""htmx refreshes: the live tally keeps keyboard focus where it was (WCAG 2.4.3) and says in
a live region when its figures changed, and only then (WCAG 4.1.3)."""

from __future__ import annotations

import pytest

from tests.browser.driver import routing_app, with_lang

pytestmark = pytest.mark.browser

STAFF = "staff:project_leader"
REFRESH = """() => new Promise(done => {
    document.addEventListener("htmx:afterSettle", () => done(), {once: true});
    const tally = document.getElementById("tally");
    htmx.ajax("GET", tally.getAttribute("hx-get"), {target: "#tally", swap: "outerHTML"});
})"""


def open_dashboard(context_as, live_server, lang: str = "nl"):  # type: ignore[no-untyped-def]
    page = context_as(STAFF).new_page()
    proposal_id = live_server.seed.extra["proposals"]["open"]
    path = routing_app().url_path_for("proposal_tally", proposal_id=proposal_id)
    page.goto(live_server.url(with_lang(str(path), lang)))
    assert page.locator("#tally[hx-get]").count() == 1, "the open tally does not refresh itself"
    page.wait_for_function("() => typeof htmx !== 'undefined'")
    return page


def announcement(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#tally-announcement").inner_text().strip()


def test_a_refresh_with_the_same_figures_says_nothing(context_as, live_server):
    page = open_dashboard(context_as, live_server)
    page.evaluate(REFRESH)
    assert announcement(page) == ""
    assert page.locator("#tally-announcement").get_attribute("role") == "status"


def test_changed_figures_are_announced(context_as, live_server):
    page = open_dashboard(context_as, live_server, "en")
    # As if the page had been loaded before the last vote: the figures it showed differ.
    page.evaluate("document.getElementById('tally').setAttribute('data-announce', 'earlier')")
    page.evaluate("document.dispatchEvent(new Event('DOMContentLoaded'))")
    page.evaluate(REFRESH)
    text = announcement(page)
    assert text == page.locator("#tally").get_attribute("data-announce")
    assert "agree" in text, text


def test_focus_stays_in_the_refreshed_tally(context_as, live_server):
    page = open_dashboard(context_as, live_server)
    page.focus("#tally-table-scroll")
    page.evaluate(REFRESH)
    assert page.evaluate("document.activeElement.id") == "tally-table-scroll"
