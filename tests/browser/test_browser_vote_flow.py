"""End to end in a real browser: a tenant enters the personal code on the start page, reads the
proposal, votes "I agree", sees the receipt number and changes the vote. In English and in
Arabic (right to left), with JavaScript on and off; axe-core checks every page on the way.

The households and their codes are seeded by tests/proposals/browser_proposals.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from consent.i18n import gettext, use_locale
from tests.browser.driver import describe, run_axe

RECEIPT = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")
# The labels the issue asks for in the English interface (locales/en/LC_MESSAGES).
ENGLISH = {"code": "Personal code", "agree": "I agree", "disagree": "I do not agree"}
DUTCH = {"code": "Persoonlijke code", "agree": "Ik ga akkoord", "disagree": "Ik ga niet akkoord"}


@dataclass(frozen=True)
class Suite:
    server: Any  # tests.browser.conftest.LiveServer
    browser: Any  # playwright Browser
    axe_source: str


@pytest.fixture(scope="session")
def suite(live_server: Any, browser: Any, axe_source: str) -> Suite:
    return Suite(live_server, browser, axe_source)


def labels(lang: str) -> dict[str, str]:
    if lang == "en":
        return ENGLISH
    with use_locale(lang):
        return {key: gettext(msgid) for key, msgid in DUTCH.items()}


class Tenant:
    """One browser profile; `check()` runs axe-core on the page it is on."""

    def __init__(self, suite: Suite, context: Any, javascript: bool) -> None:
        self.suite, self.page, self.javascript = suite, context.new_page(), javascript
        self.checked: list[str] = []

    def check(self) -> None:
        violations = run_axe(self.page if self.javascript else self._twin(), self.suite.axe_source)
        assert not violations, f"axe-core on {self.page.url}:\n{describe(violations)}"
        self.checked.append(self.page.url)

    def _twin(self) -> Any:
        """axe-core needs a running event loop, which a page without JavaScript lacks: the
        same document (as the tenant got it, no script run) in a scripting profile, with the
        page's own scripts blocked, styles loaded from the server."""
        html, url = self.page.content(), self.page.url
        if not hasattr(self, "twin_context"):
            self.twin_context = self.suite.browser.new_context(
                viewport={"width": 1280, "height": 900}
            )
        twin = self.twin_context.new_page()

        def serve(route: Any) -> None:
            request = route.request
            if request.resource_type == "document" and request.url == url:
                route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")
            elif request.resource_type == "script":
                route.abort()
            else:
                route.continue_()

        twin.route("**/*", serve)
        twin.goto(url)
        assert twin.evaluate("() => typeof window.htmx") == "undefined"
        return twin

    def close(self) -> None:
        if hasattr(self, "twin_context"):
            self.twin_context.close()

    def send(self, selector: str = "main button[type=submit]") -> None:
        with self.page.expect_navigation():
            self.page.click(selector)


def reads_left_to_right(page: Any, selector: str) -> bool:
    """The element's first character is drawn left of its last one, whatever the page's dir."""
    return bool(page.locator(selector).evaluate(
        """element => {
            const text = element.firstChild, range = document.createRange();
            range.setStart(text, 0); range.setEnd(text, 1);
            const first = range.getBoundingClientRect().left;
            range.setStart(text, text.length - 1); range.setEnd(text, text.length);
            return getComputedStyle(element).direction === "ltr"
                && first < range.getBoundingClientRect().left;
        }"""
    ))  # fmt: skip


def vote_flow(suite: Suite, lang: str, javascript: bool) -> None:
    seed, words = suite.server.seed, labels(lang)
    flow = f"{lang}{'' if javascript else '_nojs'}"
    code, pid = seed.codes[f"proposal_flow_{flow}"], seed.extra["proposals"]["open"]
    rtl = lang == "ar"
    context = suite.browser.new_context(java_script_enabled=javascript,
                                        viewport={"width": 1280, "height": 900})  # fmt: skip
    tenant = Tenant(suite, context, javascript)
    try:
        page = tenant.page
        page.set_default_timeout(20_000)

        # The start page: the field is labelled "Personal code" in the tenant's language.
        page.goto(suite.server.url(f"/?lang={lang}"))
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == (
            lang, "rtl" if rtl else "ltr"
        )  # fmt: skip
        assert page.locator("label[for=code]").inner_text() == words["code"]
        tenant.check()
        page.fill("#code", code)
        tenant.send()

        # The proposal, in the tenant's language (English) or in Dutch with a notice (Arabic).
        assert page.url.endswith(f"/voorstel/{pid}"), page.url
        assert html.get_attribute("lang") == lang
        notice = page.locator("#language-notice")
        assert notice.count() == 1
        title_box = page.locator("main div:has(> h1)")
        if lang == "en":
            assert title_box.get_attribute("lang") == "en"
            assert page.locator("h1").inner_text() != seed.extra["proposals"]["open_title"]
            assert notice.locator("a[hreflang=nl]").count() == 1  # the binding Dutch text
        else:
            assert title_box.get_attribute("lang") == "nl"
            assert title_box.get_attribute("dir") == "ltr"
            assert page.locator("h1").inner_text() == seed.extra["proposals"]["open_title"]
        assert page.locator("#what-title").count() == 1 and page.locator("#rent-title").count() == 1
        options = page.locator("form[action$='/stem'] fieldset label")
        assert options.all_inner_texts() == [words["agree"], words["disagree"]]
        tenant.check()

        # Sent without a choice: the error, the comment kept.
        page.fill("#comment", "Wanneer begint het werk?")
        tenant.send("form[action$='/stem'] button[type=submit]")
        summary = page.locator(".error-summary")
        assert summary.locator("a").get_attribute("href") == "#choice"
        assert page.input_value("#comment") == "Wanneer begint het werk?"
        if javascript:
            page.wait_for_function("document.activeElement.classList.contains('error-summary')")
        tenant.check()

        # "I agree": the confirmation with the receipt number.
        page.get_by_label(words["agree"], exact=True).check()
        tenant.send("form[action$='/stem'] button[type=submit]")
        assert page.url.endswith(f"/voorstel/{pid}/bevestiging"), page.url
        first = page.locator("#receipt").inner_text().strip()
        assert RECEIPT.match(first), first
        assert words["agree"] in page.locator("#choice").inner_text()
        assert words["disagree"] not in page.locator("#choice").inner_text()
        if rtl:
            assert reads_left_to_right(page, "#receipt")
        tenant.check()

        # Back to the proposal: the choice is shown and can change until voting closes.
        tenant.send(f"main a[href$='/voorstel/{pid}']")
        assert words["agree"] in page.locator("#current-choice").inner_text()
        assert page.get_by_label(words["agree"], exact=True).is_checked()
        tenant.check()
        page.get_by_label(words["disagree"], exact=True).check()
        tenant.send("form[action$='/stem'] button[type=submit]")
        second = page.locator("#receipt").inner_text().strip()
        assert RECEIPT.match(second) and second != first
        assert words["disagree"] in page.locator("#choice").inner_text()
        if rtl:
            assert reads_left_to_right(page, "#receipt")
        tenant.check()

        tenant.send(f"main a[href$='/voorstel/{pid}']")
        assert words["disagree"] in page.locator("#current-choice").inner_text()
        assert page.get_by_label(words["disagree"], exact=True).is_checked()
        tenant.check()
        # start, proposal, errors, receipt, proposal, receipt, proposal
        assert len(tenant.checked) == 7
    finally:
        tenant.close()
        context.close()


def test_english_catalogue_has_the_labels_the_issue_asks_for():
    with use_locale("en"):
        assert {key: gettext(msgid) for key, msgid in DUTCH.items()} == ENGLISH


def test_arabic_catalogue_translates_the_vote_labels():
    arabic = labels("ar")
    assert all(arabic[key] != DUTCH[key] for key in DUTCH), arabic


@pytest.mark.browser
def test_tenant_votes_in_english(suite):
    vote_flow(suite, "en", javascript=True)


@pytest.mark.browser
def test_tenant_votes_in_arabic_right_to_left(suite):
    vote_flow(suite, "ar", javascript=True)


@pytest.mark.browser
def test_code_field_is_left_to_right_in_arabic(suite):
    context = suite.browser.new_context()
    try:
        page = context.new_page()
        page.goto(suite.server.url("/?lang=ar"))
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("#code").evaluate("e => getComputedStyle(e).direction") == "ltr"
    finally:
        context.close()


@pytest.mark.browser
def test_tenant_votes_in_english_without_javascript(suite):
    vote_flow(suite, "en", javascript=False)


@pytest.mark.browser
def test_tenant_votes_in_arabic_without_javascript(suite):
    vote_flow(suite, "ar", javascript=False)
