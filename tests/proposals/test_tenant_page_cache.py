"""The tenant's proposal page: one query, its content rendered once, never out of date."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import event

from consent.db import DriverSelect, session_scope
from consent.proposals import attachments, content, service, tenant_page
from consent.proposals.inputs import MeasureInput, ProposalInput
from consent.proposals.models import Proposal
from consent.proposals.tenant_page import FragmentCache
from consent.timeutil import utcnow

PDF = b"%PDF-1.7\n" + b"x" * 64


def soup(response):  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def statements(engine, action, monkeypatch):  # type: ignore[no-untyped-def]
    """The statements run during ``action``: SQLAlchemy's, and on PostgreSQL also those a
    DriverSelect runs on the driver's cursor."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    first = DriverSelect.first

    def counted_first(self, connection, values):  # type: ignore[no-untyped-def]
        if connection.dialect.name == "postgresql":
            seen.append("driver select")
        return first(self, connection, values)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with monkeypatch.context() as patch:
            patch.setattr(DriverSelect, "first", counted_first)
            result = action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result, seen


def test_the_page_is_one_query_and_a_vote_eight(acme, client, enter_code, monkeypatch):
    proposal = acme.proposal(state="open")
    enter_code(client, acme.code(acme.tenancies()[0], proposal))
    client.get(f"/voorstel/{proposal.id}")  # renders and keeps the content
    page, seen = statements(
        acme.engine, lambda: client.get(f"/voorstel/{proposal.id}"), monkeypatch
    )
    assert page.status_code == 200 and len(seen) == 1
    vote, seen = statements(
        acme.engine,
        lambda: client.submit(f"/voorstel/{proposal.id}/stem", {"choice": "agree"}),
        monkeypatch,
    )
    assert vote.status_code == 303 and len(seen) == 8


def test_every_change_of_the_content_shows_at_once(acme, client, enter_code):
    proposal = acme.proposal(state="open")
    enter_code(client, acme.code(acme.tenancies()[0], proposal))
    url = f"/voorstel/{proposal.id}"

    def change(action):  # type: ignore[no-untyped-def]
        client.get(url)  # the current version is in the cache
        with session_scope(acme.engine) as session:
            found = session.get(Proposal, proposal.id)
            result = action(session, found)
        return result, soup(client.get(url))

    row, page = change(lambda s, p: content.add_question(s, p, "Hoe lang duurt het?", "Zes weken", "nl", "t"))  # fmt: skip
    assert "Hoe lang duurt het?" in page.find("section", attrs={"aria-labelledby": "qa-title"}).get_text()
    _, page = change(lambda s, p: content.add_question(s, p, "Komt er een steiger?", "Ja", "nl", "t"))
    assert "Komt er een steiger?" in page.get_text()

    def swap_question(s, p):  # type: ignore[no-untyped-def]  # as many questions as before
        content.remove_question(s, p, row.id, "t")
        content.add_question(s, p, "Wie betaalt de steiger?", "De corporatie", "nl", "t")

    _, page = change(swap_question)
    text = page.get_text()
    assert "Hoe lang duurt het?" not in text and "Wie betaalt de steiger?" in text
    document, page = change(
        lambda s, p: attachments.add(s, acme.settings, p, title="Tekening", filename="t.pdf",
                                     data=PDF, actor="t")  # fmt: skip
    )
    assert page.find("a", string="Tekening") is not None

    def swap(s, p):  # type: ignore[no-untyped-def]  # as many documents as before
        attachments.remove(s, acme.settings, p, document.id, "t")
        attachments.add(s, acme.settings, p, title="Planning", filename="p.pdf", data=PDF,
                        actor="t")  # fmt: skip

    _, page = change(swap)
    assert page.find("a", string="Tekening") is None and page.find("a", string="Planning")
    # Before voting opens the content can still change (with its measures).
    draft = acme.proposal()
    enter_code(client, acme.code(acme.tenancies()[0], draft))
    client.get(f"/voorstel/{draft.id}")
    with session_scope(acme.engine) as session:
        found = session.get(Proposal, draft.id)
        data = ProposalInput(
            complex=acme.world.complex.code, title="Nieuwe daken", summary="Wij vernieuwen het dak.",
            opens_at=utcnow() + timedelta(days=1), closes_at=utcnow() + timedelta(days=14),
            measures=[MeasureInput("maintenance", "roof", "Nieuw dak", 0)],
        )  # fmt: skip
        service.update_proposal(session, found, data, "t")
    page = soup(client.get(f"/voorstel/{draft.id}"))
    assert page.h1.get_text(strip=True) == "Nieuwe daken" and "Nieuw dak" in page.get_text()


def test_a_new_translation_shows_at_once(acme, client, enter_code):
    proposal = acme.proposal(state="open")
    enter_code(client, acme.code(acme.tenancies()[0], proposal), lang="en")
    url = f"/voorstel/{proposal.id}"
    assert soup(client.get(url)).find(id="language-notice") is not None  # not translated
    for title, summary in (("New facades", "We insulate."), ("New facades", "We insulate it.")):
        with session_scope(acme.engine) as session:
            found = session.get(Proposal, proposal.id)
            errors = content.save_translation(
                session, found, "en", {"title": title, "summary": summary}, "t"
            )
            assert errors == {}
        page = soup(client.get(url))
        assert page.h1.get_text(strip=True) == title
        assert page.find("p", class_="lead").get_text(strip=True) == summary


def test_links_in_the_content_follow_the_site_address(acme, client, enter_code):
    proposal = acme.proposal(state="open")
    with session_scope(acme.engine) as session:
        attachments.add(session, acme.settings, session.get(Proposal, proposal.id),
                        title="Tekening", filename="t.pdf", data=PDF, actor="t")  # fmt: skip
    enter_code(client, acme.code(acme.tenancies()[0], proposal))
    url = f"/voorstel/{proposal.id}"
    first = soup(client.get(url)).find("a", string="Tekening")["href"]
    other = soup(client.get(url, headers={"host": "elders.example"})).find("a", string="Tekening")
    assert first.startswith("http://testserver/")
    assert other["href"] == first.replace("testserver", "elders.example")


def test_the_vote_form_shows_each_households_own_choice(acme, client, make_client, enter_code):
    proposal = acme.proposal(state="open")
    first, second = acme.tenancies()[:2]
    enter_code(client, acme.code(first, proposal))
    assert client.submit(f"/voorstel/{proposal.id}/stem", {"choice": "agree"}).status_code == 303
    page = soup(client.get(f"/voorstel/{proposal.id}"))
    assert page.find("input", attrs={"value": "agree"}).has_attr("checked")
    neighbour = make_client()
    enter_code(neighbour, acme.code(second, proposal))
    page = soup(neighbour.get(f"/voorstel/{proposal.id}"))
    assert not any(radio.has_attr("checked") for radio in page.find_all("input", type="radio"))
    assert page.find(id="current-choice") is None


def test_the_cache_keeps_the_most_recently_used_entries():
    cache = FragmentCache(size=2)
    rendered: list[str] = []

    def render(text: str):  # type: ignore[no-untyped-def]
        return lambda: rendered.append(text) or text

    assert cache.get("a", render("A")) == "A"
    cache.get("b", render("B"))
    cache.get("a", render("A again"))  # a hit: "a" is now the most recent
    cache.get("c", render("C"))  # drops "b"
    assert len(cache) == 2 and rendered == ["A", "B", "C"]
    assert cache.get("a", render("A2")) == "A" and cache.get("b", render("B2")) == "B2"


def test_a_page_before_voting_opens_is_not_cached(acme, client, enter_code):
    draft = acme.proposal()
    enter_code(client, acme.code(acme.tenancies()[0], draft))
    before = len(tenant_page.fragments)
    assert client.get(f"/voorstel/{draft.id}").status_code == 200
    assert len(tenant_page.fragments) == before
