"""The four tenant flows with the keyboard only (WCAG 2.1.1, 2.4.3, 2.4.7, 2.4.11): enter the
personal code, open the page, fill in the form and send it, with Tab, arrow keys, Space and
Enter; every stop on the way is on screen and shows where focus is. The households used here
are seeded for these tests only (their domain's browser_<domain>.py)."""

from __future__ import annotations

import re

import pytest

from tests.browser.driver import with_lang
from tests.browser.keyboard import KeyboardUser
from tests.moving.moving_helpers import open_form

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


def enter_code(user: KeyboardUser, server, code: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    user.page.goto(server.url(with_lang("/", lang)))
    user.fill_and_send({"code": code}, "main button[type=submit]")
    assert "/code" not in user.page.url, f"the code was refused: {user.page.url}"


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_vote_with_the_keyboard(context, live_server, lang):
    user = KeyboardUser(context.new_page())
    enter_code(user, live_server, live_server.seed.codes["proposal_keyboard"], lang)
    choice = "agree" if lang == "nl" else "disagree"
    user.fill_and_send({"choice": choice, "comment": "Graag op tijd beginnen."},
                       "main form button[type=submit]")  # fmt: skip
    assert RECEIPT.search(user.page.inner_text("main")), user.page.url
    user.follow("main a[href*='/voorstel/']")
    checked = user.page.locator(f"input[name=choice][value={choice}]")
    assert checked.is_checked(), "the vote sent with the keyboard is not the one shown"


def test_co_sign_an_initiative_with_the_keyboard(context, live_server):
    user = KeyboardUser(context.new_page())
    enter_code(user, live_server, live_server.seed.codes["initiative_keyboard"], "nl")
    collecting = live_server.seed.extra["initiatives"]["collecting_id"]
    user.follow(f"main a[href$='/{collecting}']")
    user.fill_and_send({}, "main form[action$='/ondertekenen'] button[type=submit]")
    assert "Uw huishouden steunt dit initiatief." in user.page.inner_text("main")


def test_answer_a_rent_reduction_question_with_the_keyboard(context, live_server):
    user = KeyboardUser(context.new_page())
    enter_code(user, live_server, live_server.seed.codes["rr_keyboard"], "nl")
    request_id = live_server.seed.extra["rent_reductions"]["keyboard"]["request_id"]
    user.follow(f"main a[href$='/{request_id}']")
    assert user.page.locator("#question-title").count() == 1, user.page.url
    user.fill_and_send({"answer": "De loonstrook van juni zit erbij."},
                       "main form[action$='/antwoord'] button[type=submit]")  # fmt: skip
    assert user.page.locator("#question-title").count() == 0, "the question is still open"


def test_sign_up_for_moving_guidance_with_the_keyboard(context, live_server):
    user = KeyboardUser(context.new_page())
    user.page.goto(live_server.url("/verhuizen/aanmelden/acme?lang=nl"))
    user.fill_and_send(open_form(), "main form button[type=submit]")
    assert user.page.url.endswith("/verhuizen/aanmelden/acme/ontvangen"), user.page.url


def test_keyboard_check_detects_a_missing_focus_indicator(context, live_server):
    """The harness itself: a page without a focus indicator fails the walkthrough."""
    page = context.new_page()
    page.goto(live_server.url("/?lang=nl"))
    page.evaluate(
        """document.addEventListener("focusin", event => {
            event.target.style.setProperty("outline", "none", "important");
            event.target.style.setProperty("box-shadow", "none", "important");
        })"""
    )
    user = KeyboardUser(page)
    user.start()
    with pytest.raises(AssertionError, match="no visible focus indicator"):
        user.tab()
