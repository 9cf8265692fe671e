"""The layout's header and footer are rendered once per key, and the key is complete:
the page address (the language links), the language, and whether a staff user is in."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.factories import corporation_with_complex, sign_in, staff


def layout(response):  # type: ignore[no-untyped-def]
    page = BeautifulSoup(response.text, "html.parser")
    languages = {a["hreflang"]: a["href"] for a in page.select("nav.lang-switch a")}
    current = [a["hreflang"] for a in page.select("nav.lang-switch a[aria-current]")]
    footer = [a.get_text(strip=True) for a in page.select("footer a")]
    return languages, current, footer, bool(page.select("nav.staff-nav"))


def test_header_and_footer_follow_the_page_the_language_and_the_user(client, engine):
    assert layout(client.get("/"))[1] == ["nl"]
    first = layout(client.get("/toegankelijkheid?lang=nl"))
    assert first[0]["en"].endswith("/toegankelijkheid?lang=en") and first[1] == ["nl"]
    assert first[2] == ["Toegankelijkheid", "Inloggen voor medewerkers"] and not first[3]
    assert layout(client.get("/toegankelijkheid")) == first  # the same key: the same parts

    english = layout(client.get("/toegankelijkheid?lang=en"))
    assert english[1] == ["en"] and english[2] == ["Accessibility", "Staff sign-in"]
    start = layout(client.get("/"))
    assert start[0]["tr"].endswith("/?lang=tr") and start[1] == ["en"]  # the same address, in English

    corporation_with_complex(engine, "acme", homes=1)
    sign_in(client, staff(engine, "acme", "admin").email)
    staff_page = layout(client.get("/toegankelijkheid?lang=nl"))
    assert staff_page[0] == first[0] and staff_page[3]
    assert staff_page[2] == ["Toegankelijkheid"]  # no sign-in link for a signed-in user
