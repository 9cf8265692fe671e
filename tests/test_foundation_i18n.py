"""Language choice (?lang=, cookie, Accept-Language), text direction, and Babel formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from consent import i18n


def html(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    tag = BeautifulSoup(response.text, "html.parser").html
    return {"lang": tag["lang"], "dir": tag["dir"]}


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [(None, None, "", "nl"), ("en", None, "", "en"), (None, "pl", "", "pl"),
     ("tr", "pl", "uk", "tr"), (None, "pl", "en", "pl"), (None, None, "en-GB,en;q=0.9", "en"),
     (None, None, "de-DE,de;q=0.9,pl;q=0.5", "pl"), (None, None, "fr-FR", "nl"),
     (None, None, "ar-MA", "ar"), (None, None, "uk;q=0.2, tr;q=0.8", "tr"),
     (None, None, "en;q=abc, tr", "tr"), ("xx", "yy", "zz", "nl"), (None, None, "*", "nl")],
)  # fmt: skip
def test_choose_prefers_query_then_cookie_then_browser_then_dutch(query, cookie, accept, expected):
    assert i18n.choose(query, cookie, accept) == expected


def test_lang_in_the_query_sets_the_page_language_and_a_cookie(client):
    response = client.get("/?lang=en")
    assert html(response) == {"lang": "en", "dir": "ltr"}
    assert "lang=en" in response.headers["set-cookie"]
    assert html(client.get("/")) == {"lang": "en", "dir": "ltr"}  # remembered
    assert "lang=" not in client.get("/").headers.get("set-cookie", "")


def test_an_unknown_language_is_ignored(client):
    response = client.get("/?lang=xx")
    assert html(response) == {"lang": "nl", "dir": "ltr"}
    assert "lang=xx" not in response.headers.get("set-cookie", "")


def test_arabic_pages_run_right_to_left(client):
    assert html(client.get("/?lang=ar")) == {"lang": "ar", "dir": "rtl"}
    assert html(client.get("/inloggen")) == {"lang": "ar", "dir": "rtl"}


def test_the_browser_language_is_used_without_a_choice(client):
    assert html(client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9"}))["lang"] == "pl"
    assert html(client.get("/", headers={"Accept-Language": "ar"})) == {"lang": "ar", "dir": "rtl"}


def test_every_page_has_a_language_switch_to_every_language(client):
    page = BeautifulSoup(client.get("/inloggen?next=/medewerkers").text, "html.parser")
    links = page.find("nav", attrs={"class": "lang-switch"}).find_all("a")
    assert [a["lang"] for a in links] == list(i18n.LANGUAGES)
    assert all(
        "next=%2Fmedewerkers" in a["href"] or "next=/medewerkers" in a["href"] for a in links
    )
    assert [a["dir"] for a in links if a["lang"] == "ar"] == ["rtl"]


def test_direction():
    assert i18n.direction("ar") == "rtl"
    assert {i18n.direction(lang) for lang in i18n.LANGUAGES if lang != "ar"} == {"ltr"}


@pytest.mark.parametrize(
    ("lang", "money", "day", "number"),
    [("nl", "€\xa01.234,56", "1 februari 2026", "1.234.567"),
     ("en", "€1,234.56", "February 1, 2026", "1,234,567"),
     ("tr", "€1.234,56", "1 Şubat 2026", "1.234.567"),
     ("pl", "1\xa0234,56\xa0€", "1 lutego 2026", "1\xa0234\xa0567")],
)  # fmt: skip
def test_money_dates_and_numbers_follow_the_locale(lang, money, day, number):
    with i18n.use_locale(lang):
        assert i18n.format_money(123456) == money
        assert i18n.format_date(date(2026, 2, 1)) == day
        assert i18n.format_number(1234567) == number
    assert i18n.current() == "nl"


def test_arabic_uses_western_digits():
    with i18n.use_locale("ar"):
        assert "1,234.56" in i18n.format_money(123456)
        assert "2026" in i18n.format_date(date(2026, 2, 1))


def test_times_are_shown_in_amsterdam_time():
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    winter = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
    with i18n.use_locale("nl"):
        assert "12:00" in i18n.format_datetime(summer)
        assert "11:00" in i18n.format_datetime(winter)
        assert i18n.format_date(datetime(2026, 1, 31, 23, 30, tzinfo=UTC)) == "1 februari 2026"


def test_empty_values_format_as_nothing():
    assert i18n.format_money(None) == "" and i18n.format_date(None) == ""
    assert i18n.format_datetime(None) == "" and i18n.format_percent(None) == "–"
    with i18n.use_locale("nl"):
        assert i18n.format_percent(Decimal("70.00")) == "70,00%"


def test_gettext_fills_named_placeholders_and_falls_back_to_dutch():
    with i18n.use_locale("nl"):
        assert i18n.gettext("%(n)s van %(total)s", n=3, total=7) == "3 van 7"
    with i18n.use_locale("xx"):
        assert i18n.current() == "nl"
    label = i18n.lazy_gettext("Een <label>")
    assert str(label) == "Een <label>" and label.__html__() == "Een &lt;label&gt;"
