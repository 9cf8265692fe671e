"""The tenant's side: code -> proposal in their language, vote without JavaScript, receipt."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from consent.db import session_scope
from consent.proposals import content
from consent.proposals.models import Ballot, BallotEvent, Proposal
from consent.timeutil import utcnow

PDF = b"%PDF-1.7\n" + b"x" * 64


def soup(response):  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def test_code_lands_on_the_proposal_and_the_vote_works_without_javascript(acme, client, enter_code):
    proposal = acme.proposal(state="open")
    tenancy = acme.tenancies()[0]
    landing = enter_code(client, acme.code(tenancy, proposal))
    assert landing.headers["location"].endswith(f"/voorstel/{proposal.id}")
    page = soup(client.get(landing.headers["location"]))
    assert page.h1.get_text(strip=True) == "Nieuwe gevels en zonnepanelen"
    assert page.find(id="small-complex") is None  # 12 homes: the presumption applies
    form = page.find("form", action=lambda a: a and a.endswith(f"/voorstel/{proposal.id}/stem"))
    fieldset = form.find("fieldset")
    assert fieldset.legend.get_text(strip=True) == "Gaat u akkoord met dit voorstel?"
    labels = [label.get_text(strip=True) for label in fieldset.find_all("label")]
    assert labels == ["Ik ga akkoord", "Ik ga niet akkoord"]
    assert form.find("textarea", id="comment") is not None
    response = client.submit(
        f"/voorstel/{proposal.id}/stem", {"choice": "agree", "comment": "Prima"}
    )
    assert response.status_code == 303
    done = soup(client.get(response.headers["location"]))
    [ballot] = acme.all(Ballot)
    assert done.h1.get_text(strip=True) == "Uw stem is ontvangen"
    assert done.find(id="receipt").get_text(strip=True) == ballot.receipt
    assert "Ik ga akkoord" in done.find(id="choice").get_text()
    again = soup(client.get(f"/voorstel/{proposal.id}"))
    assert "Ik ga akkoord" in again.find(id="current-choice").get_text()
    assert again.find("input", attrs={"name": "choice", "value": "agree"}).has_attr("checked")


def test_changing_the_vote_keeps_one_ballot(acme, client, enter_code):
    proposal = acme.proposal(state="open")
    tenancy = acme.tenancies()[0]
    enter_code(client, acme.code(tenancy, proposal))
    for choice in ("agree", "disagree", "agree", "disagree"):
        assert client.submit(f"/voorstel/{proposal.id}/stem", {"choice": choice}).status_code == 303
    [ballot] = acme.all(Ballot)
    assert ballot.choice == "disagree" and len(acme.all(BallotEvent)) == 4


def test_no_choice_shows_the_error_and_keeps_the_comment(acme, client, enter_code):
    proposal = acme.proposal(state="open")
    enter_code(client, acme.code(acme.tenancies()[0], proposal))
    response = client.submit(f"/voorstel/{proposal.id}/stem", {"comment": "Ik twijfel"})
    assert response.status_code == 400
    page = soup(response)
    assert [a["href"] for a in page.find(class_="error-summary").find_all("a")] == ["#choice"]
    assert page.find("textarea", id="comment").get_text() == "Ik twijfel"
    assert acme.all(Ballot) == []


def test_without_the_right_code_the_page_is_closed(acme, other, client, make_client, enter_code):
    proposal = acme.proposal(state="open")
    assert client.get(f"/voorstel/{proposal.id}").status_code == 403
    another = acme.proposal(state="open", title="Ander voorstel")
    enter_code(client, acme.code(acme.tenancies()[0], another))
    response = client.get(f"/voorstel/{proposal.id}")
    assert response.status_code == 403
    assert soup(response).h1.get_text(strip=True) == "Vul eerst uw persoonlijke code in"
    assert client.submit(f"/voorstel/{proposal.id}/stem", {"choice": "agree"}).status_code == 403
    assert acme.all(Ballot) == []


def test_after_closing_the_tenant_sees_the_result_and_cannot_vote(acme, client, enter_code):
    proposal = acme.proposal(state="open")
    tenancies = acme.tenancies()
    enter_code(client, acme.code(tenancies[11], proposal))
    acme.advance(proposal, "closed", {t.id: "agree" for t in tenancies[:8]})
    page = soup(client.get(f"/voorstel/{proposal.id}"))
    assert "Genoeg huurders gingen akkoord" in page.find(id="result").get_text()
    assert page.find("form", action=lambda a: a and a.endswith("/stem")) is None
    late = client.submit(f"/voorstel/{proposal.id}/stem", {"choice": "disagree"})
    assert late.status_code == 409
    assert len(acme.all(Ballot)) == 8


def test_before_voting_opens_the_tenant_reads_but_cannot_vote(acme, client, enter_code):
    proposal = acme.proposal(opens_at=utcnow() + timedelta(days=3))
    enter_code(client, acme.code(acme.tenancies()[0], proposal))
    page = soup(client.get(f"/voorstel/{proposal.id}"))
    assert "U kunt stemmen vanaf" in page.find(id="vote-status").find_next("p").get_text()
    assert page.find("fieldset") is None


def test_an_excluded_household_is_told_it_does_not_vote(acme, client, enter_code):
    from consent.proposals import electorate

    proposal = acme.proposal()
    tenancy = acme.tenancies()[0]
    with session_scope(acme.engine) as session:
        electorate.add_exclusion(
            session, session.get(Proposal, proposal.id), "acme-E-C-1-0001", "Sloop", "t"
        )
    enter_code(client, acme.code(tenancy, proposal))
    acme.advance(proposal, "open")
    page = soup(client.get(f"/voorstel/{proposal.id}"))
    assert "stemt niet mee" in page.get_text()
    assert page.find("fieldset") is None


def test_language_fallback_and_binding_notice(acme, client, make_client, enter_code):
    proposal = acme.proposal(state="open")
    with session_scope(acme.engine) as session:
        errors = content.save_translation(
            session, session.get(Proposal, proposal.id), "en",
            {"title": "New facades and solar panels", "summary": "We insulate."}, "t",
        )  # fmt: skip
        assert errors == {}
    tenancy = acme.tenancies()[0]
    code = acme.code(tenancy, proposal)
    enter_code(client, code, lang="en")
    english = soup(client.get(f"/voorstel/{proposal.id}"))
    assert english.h1.get_text(strip=True) == "New facades and solar panels"
    assert english.html["lang"] == "en"
    assert english.find(id="language-notice").find("a")["hreflang"] == "nl"
    turkish = make_client()
    enter_code(turkish, code, lang="tr")
    page = soup(turkish.get(f"/voorstel/{proposal.id}"))
    assert page.h1.get_text(strip=True) == "Nieuwe gevels en zonnepanelen"
    assert page.find(id="language-notice") is not None
    assert page.find("div", attrs={"lang": "nl"}) is not None


def test_tenancy_language_is_the_default(acme, client, enter_code):
    proposal = acme.proposal(state="open")
    arabic = next(t for t in acme.tenancies() if t.language == "ar")
    enter_code(client, acme.code(arabic, proposal), lang=None)
    client.cookies.delete("lang")
    page = soup(client.get(f"/voorstel/{proposal.id}"))
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"


def test_documents_open_only_with_a_code_for_this_proposal(acme, client, make_client, enter_code):
    from consent.proposals import attachments

    proposal = acme.proposal(state="open")
    with session_scope(acme.engine) as session:
        row = attachments.add(
            session, acme.settings, session.get(Proposal, proposal.id), title="Tekening",
            filename="tekening.pdf", data=PDF, actor="t",
        )  # fmt: skip
    enter_code(client, acme.code(acme.tenancies()[0], proposal))
    page = soup(client.get(f"/voorstel/{proposal.id}"))
    link = page.find("a", string="Tekening")["href"]
    download = client.get(link)
    assert download.content == PDF and download.headers["content-type"] == "application/pdf"
    assert "attachment" in download.headers["content-disposition"]
    stranger = make_client()
    assert stranger.get(f"/voorstel/{proposal.id}/bijlagen/{row.id}").status_code == 403
    assert client.get(f"/voorstel/{proposal.id}/bijlagen/{row.id + 99}").status_code == 404


def test_a_small_complex_is_told_the_presumption_does_not_apply(
    engine, settings, client, enter_code
):
    from tests.factories import corporation_with_complex
    from tests.proposals.conftest import Acme

    small = Acme(engine, settings, corporation_with_complex(engine, "klein", homes=8))
    proposal = small.proposal(state="open")
    enter_code(client, small.code(small.tenancies()[0], proposal))
    page = soup(client.get(f"/voorstel/{proposal.id}"))
    assert "minder dan 10 woningen" in page.find(id="small-complex").get_text()
