"""The personal-code flow in a real browser: with JavaScript off, and the focus with it on."""

from __future__ import annotations

import pytest

from tests.browser.visits import submit

pytestmark = pytest.mark.browser


def test_code_entry_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url("/?lang=nl"))
        assert page.evaluate("1 + 1") == 2  # Playwright can still inspect; the page runs no JS

        submit(page, {"#code": ""})
        summary = page.locator(".error-summary")
        assert "Vul uw persoonlijke code in" in summary.inner_text()
        assert summary.locator("a").get_attribute("href") == "#code"
        assert page.get_attribute("#code", "aria-invalid") == "true"
        assert "code-error" in (page.get_attribute("#code", "aria-describedby") or "")

        submit(page, {"#code": "ABCDE-FGHJK-MNPQR"})
        assert "Deze code klopt niet" in page.locator(".error-summary").inner_text()
        assert page.input_value("#code") == "ABCDE-FGHJK-MNPQR"  # the entry is kept

        entered = live_server.seed.tenant_code.lower().replace("-", " ")
        submit(page, {"#code": entered})
        assert page.url.endswith("/mijn")
        assert page.locator("h1").inner_text() == "Uw woning"
        assert "Lindelaan" in page.locator("main").inner_text()
    finally:
        context.close()


def test_code_label_is_english_with_lang_en(context, live_server):
    page = context.new_page()
    page.goto(live_server.url("/?lang=en"))
    assert page.locator("label[for=code]").inner_text() == "Personal code"
    page.goto(live_server.url("/"))  # the choice is remembered in a cookie
    assert page.locator("html").get_attribute("lang") == "en"


def test_error_summary_gets_focus_with_javascript(context, live_server):
    page = context.new_page()
    page.goto(live_server.url("/?lang=nl"))
    submit(page, {"#code": ""})
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#code"
