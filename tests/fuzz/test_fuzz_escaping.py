"""HTML and script in every free-text field are shown as text, never run, on every page.

A corporation is built whose every free-text field (proposal texts, measures, questions,
answers, document titles, exclusion reasons, vote comments, initiative texts, rent-
reduction answers, moving wishes and notes) holds PAYLOAD; more is typed in through the
forms (a vote comment, a translation, an initiative question, a moving note, a broker's
status reason, a case worker's question). Then every page a staff member or a tenant
can open is fetched: no page may contain the payload's markup as markup.
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from sqlalchemy.engine import Engine

from consent.access_codes.models import Purpose
from consent.db import session_scope
from consent.initiatives import service as initiatives
from consent.settings import Settings
from tests.security.sec_checks import browser, url_for
from tests.security.sec_routes import PUBLIC, STAFF, TENANT, of_kind
from tests.security.sec_world import CorpWorld, build, code, signup_fields

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert(1)>\"'&<b>vet</b>"
RAW = ("<script>alert", "<img src=x", "<b>vet</b>")
ESCAPED = "&lt;script&gt;alert"


def unsafe(html: str) -> list[str]:
    """What in a page came from the payload as markup: script tags, handlers, <b>vet."""
    soup = BeautifulSoup(html, "html.parser")
    found = [
        f"script: {s.get_text()[:40]}" for s in soup.find_all("script") if "xss" in s.get_text()
    ]
    for tag in soup.find_all(True):
        for name in tag.attrs:
            if name.lower().startswith("on"):
                found.append(f"{tag.name} {name}")
        if tag.name == "b" and tag.get_text() == "vet":
            found.append("<b>vet</b>")
    found += [f"raw {part}" for part in RAW if part in html]
    return found


def error_of(response: Any) -> str:
    found = BeautifulSoup(response.text, "html.parser").select_one(".error-summary")
    return found.get_text(" ", strip=True) if found else str(response.status_code)


def _type_in_forms(engine: Engine, settings: Settings, make_client: Any, w: CorpWorld) -> None:
    """The payload entered through the forms, as a tenant and as staff."""
    tenant = browser(make_client)
    tenant.submit("/code", {"code": code(engine, settings, w, Purpose.PROPOSAL)})
    tenant._csrf = None
    vote = tenant.submit(
        f"/voorstel/{w.proposal_id}/stem", {"choice": "disagree", "comment": PAYLOAD}
    )
    assert vote.status_code == 303
    staff = browser(make_client, w.admin_email)
    base = f"/medewerkers/voorstellen/{w.draft_proposal_id}"
    posts = [
        (f"{base}/vertaling/en", {"title": PAYLOAD, "summary": PAYLOAD, "works": PAYLOAD}),
        (f"/medewerkers/verhuizen/{w.signup_id}/notitie", {"body": PAYLOAD}),
        (f"/medewerkers/verhuizen/{w.signup_id}/actie",
         {"next_action_on": "2030-01-01", "next_action_note": PAYLOAD}),
        (f"/medewerkers/huurverlaging/{w.rr_request_id}/informatie", {"question": PAYLOAD}),
        (f"/medewerkers/initiatieven/{w.initiative_id}/antwoord",
         {"decision": "more_info", "reasons": PAYLOAD}),
    ]  # fmt: skip
    with session_scope(engine) as session:  # a sent initiative can be answered
        initiatives.submit(session, settings, w.initiative_id, actor="test")
    for url, form in posts:
        response = staff.submit(url, form)
        assert response.status_code == 303, (url, response.status_code)
    # The tenants answer the questions; someone signs up for moving without a code.
    rr = browser(make_client)
    rr.submit("/code", {"code": code(engine, settings, w, Purpose.RENT_REDUCTION)})
    rr._csrf = None
    answered = rr.submit(
        f"/huurverlaging/{w.rr_tenancy_id}/aanvragen/{w.rr_request_id}/antwoord",
        {"answer": PAYLOAD},
    )
    assert answered.status_code == 303
    initiator = browser(make_client)
    initiator.submit("/code", {"code": code(engine, settings, w, Purpose.INITIATIVE)})
    initiator._csrf = None
    info = initiator.submit(f"/initiatieven/{w.initiative_id}/informatie", {"text": PAYLOAD})
    assert info.status_code == 303
    open_signup = signup_fields(
        contact_name=PAYLOAD[:200], street_address="Kerkstraat 12", postcode="3511ab",
        town="Utrecht", wish_area=PAYLOAD[:200], languages_other=PAYLOAD[:200],
    )  # fmt: skip
    signed_up = browser(make_client).submit(f"/verhuizen/aanmelden/{w.slug}", open_signup)
    assert signed_up.status_code == 303, error_of(signed_up)


def test_free_text_is_escaped_on_every_page(
    app: Any, engine: Engine, settings: Settings, make_client: Any,
    monkeypatch: Any,
) -> None:  # fmt: skip
    from tests.security.sec_world import freeze_rent_reduction_day

    freeze_rent_reduction_day(monkeypatch)
    w = build(engine, settings, "gamma", mark=PAYLOAD)
    _type_in_forms(engine, settings, make_client, w)
    staff = browser(make_client, w.admin_email)
    tenant = browser(make_client)
    for purpose in Purpose:
        tenant.submit("/code", {"code": code(engine, settings, w, purpose)})
        tenant._csrf = None
    failures, escaped_pages = [], []
    extra = [f"/medewerkers/voorstellen/{w.draft_proposal_id}",
             f"/medewerkers/voorstellen/{w.draft_proposal_id}/vertaling/en",
             f"/voorstel/{w.proposal_id}?lang=en"]  # fmt: skip
    for kind, client in ((STAFF, staff), (TENANT, tenant), (PUBLIC, browser(make_client))):
        urls = [url_for(r, w) for r in of_kind(app, kind) if r.readable] + extra
        for url in urls:
            response = client.get(url, follow_redirects=False)
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue  # CSV, PDF and files are downloads, not pages
            if problems := unsafe(response.text):
                failures.append((url, response.status_code, problems))
            if ESCAPED in response.text:
                escaped_pages.append(url)
    assert not failures
    # The payload was shown (escaped) on the pages of every domain.
    for part in ("/voorstellen/", "/voorstel/", "/initiatieven", "/verhuizen", "/huurverlaging"):
        assert any(part in url for url in escaped_pages), part
