"""Staff pages: not allowed, not found, valid and bad input; no-JS posts and htmx partials."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup

from consent.audit.models import AuditEvent
from consent.proposals.inputs import MeasureInput
from consent.proposals.models import Proposal, ProposalText
from tests.factories import staff

BASE = "/medewerkers/voorstellen"


def soup(response):  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def error_links(page) -> list[str]:  # type: ignore[no-untyped-def]
    summary = page.find(class_="error-summary")
    return [a["href"] for a in summary.find_all("a")] if summary else []


VALID = {
    "complex": "C-1",
    "title": "Nieuwe kozijnen",
    "summary": "Wij vervangen de kozijnen.",
    "opens_at": "2030-03-01T09:00",
    "closes_at": "2030-03-29T17:00",
    "counting_rule": "respondents",
    "stay_home": "stay",
    "measure-1-category": "maintenance",
    "measure-1-tag": "glazing",
    "measure-1-description": "Nieuwe kozijnen met HR++ glas",
    "rent-sociale_huur": "12,50",
}


@pytest.mark.parametrize("role", ["broker", "case_worker"])
def test_other_roles_are_refused(acme, client, role):
    proposal = acme.proposal()
    acme.staff_client(client, role)
    for url in (BASE, f"{BASE}/{proposal.id}", f"{BASE}/nieuw", f"{BASE}/{proposal.id}/stand"):
        response = client.get(url)
        assert response.status_code == 403
        assert soup(response).h1.get_text(strip=True) == "U kunt deze pagina niet openen"


def test_signed_out_staff_go_to_sign_in(acme, client):
    proposal = acme.proposal()
    response = client.get(f"{BASE}/{proposal.id}", follow_redirects=False)
    assert response.status_code == 303 and "/inloggen" in response.headers["location"]


def test_another_corporations_proposal_is_not_found(acme, other, client):
    theirs = other.proposal()
    acme.staff_client(client)
    for url in ("", "/bewerken", "/stand", "/niet-gestemd", "/vertaling/en"):
        response = client.get(f"{BASE}/{theirs.id}{url}")
        assert response.status_code == 404, url
        assert soup(response).h1.get_text(strip=True) == "Pagina niet gevonden"
    assert client.submit(f"{BASE}/{theirs.id}/stap/open").status_code == 404
    assert client.get(f"{BASE}/999999").status_code == 404
    assert other.reload(theirs).status == "draft"


def test_new_form_is_prefilled_with_dated_figures(acme, client):
    acme.staff_client(client)
    page = soup(client.get(f"{BASE}/nieuw"))
    assert page.find("select", id="complex").find("option", value="C-1") is not None
    assert page.find("input", id="moving_allowance")["value"] == "7428,00"
    assert "70 procent" in page.find("textarea", id="lapse_statement").get_text()
    assert page.find("input", id="opens_at")["type"] == "datetime-local"
    legends = [legend.get_text(strip=True) for legend in page.find_all("legend")]
    assert "Hoe worden de stemmen geteld?" in legends and "Maatregel 1" in legends


def test_create_with_errors_keeps_every_value(acme, client):
    acme.staff_client(client)
    data = VALID | {"title": "", "closes_at": "2030-02-01T09:00", "measure-2-description": "Extra"}
    data |= {"measure-2-tag": "nonsense", "rent-middenhuur": "twaalf", "stay_home": "move"}
    response = client.submit(f"{BASE}/nieuw", data)
    assert response.status_code == 400
    page = soup(response)
    assert {"#title", "#closes_at", "#measure-2-tag", "#rent-middenhuur", "#temporary_home"} <= set(
        error_links(page)
    )
    assert page.find("textarea", id="summary").get_text() == VALID["summary"]
    assert page.find("input", id="measure-2-description")["value"] == "Extra"
    assert page.find("input", id="rent-middenhuur")["value"] == "twaalf"
    assert page.find("input", id="stay_home-2").has_attr("checked")
    assert acme.all(Proposal) == []


def test_create_then_edit(acme, client):
    acme.staff_client(client)
    response = client.submit(f"{BASE}/nieuw", VALID)
    assert response.status_code == 303
    [proposal] = acme.all(Proposal)
    assert response.headers["location"].endswith(f"{BASE}/{proposal.id}")
    page = soup(client.get(response.headers["location"]))
    assert page.h1.get_text(strip=True) == "Nieuwe kozijnen"
    assert "Nieuwe kozijnen met HR++ glas" in page.get_text()
    form = soup(client.get(f"{BASE}/{proposal.id}/bewerken"))
    assert (
        form.find("input", id="measure-1-description")["value"] == "Nieuwe kozijnen met HR++ glas"
    )
    assert form.find("input", id="rent-sociale_huur")["value"] == "12,50"
    assert form.find("input", id="opens_at")["value"] == "2030-03-01T09:00"
    edited = VALID | {"title": "Nieuwe kozijnen en deuren"}
    assert client.submit(f"{BASE}/{proposal.id}/bewerken", edited).status_code == 303
    assert acme.reload(proposal).title == "Nieuwe kozijnen en deuren"
    assert acme.reload(proposal).opens_at.hour == 8  # 09:00 in Amsterdam (winter) is 08:00 UTC
    bad = client.submit(f"{BASE}/{proposal.id}/bewerken", edited | {"title": ""})
    assert bad.status_code == 400 and error_links(soup(bad)) == ["#title"]


def test_content_cannot_change_after_opening(acme, client):
    proposal = acme.proposal(state="open")
    acme.staff_client(client)
    response = client.get(f"{BASE}/{proposal.id}/bewerken")
    assert response.status_code == 409
    assert (
        "kan het voorstel niet meer veranderen"
        in soup(response).find(class_="error-summary").get_text()
    )


def test_workflow_with_plain_form_posts(acme, client):
    proposal = acme.proposal()
    acme.staff_client(client)
    page = soup(client.get(f"{BASE}/{proposal.id}"))
    assert page.find("button", string="Stemming openen") is not None
    response = client.submit(f"{BASE}/{proposal.id}/stap/open")
    assert response.status_code == 303 and response.headers["location"].endswith("#steps")
    page = soup(client.get(f"{BASE}/{proposal.id}"))
    assert page.find(id="status").get_text(strip=True) == "Stemmen is open"
    assert "geen bewonerscommissie" in page.find(id="consultation-skipped").get_text()
    acme.vote(proposal, acme.tenancies()[0], "agree")
    for step in ("close", "decide", "notices"):
        assert client.submit(f"{BASE}/{proposal.id}/stap/{step}").status_code == 303
    page = soup(client.get(f"{BASE}/{proposal.id}"))
    assert page.find(id="status").get_text(strip=True) == "Brieven over de uitslag verstuurd"
    assert page.find(id="outcome").get_text(strip=True) == "Grens gehaald"
    audited = [e.action for e in acme.all(AuditEvent) if e.object_type == "proposal"]
    assert {
        "proposal.opened",
        "proposal.closed",
        "proposal.decided",
        "proposal.notices_sent",
    } <= set(audited)


def test_a_step_that_cannot_be_taken_shows_why(acme, client):
    staff(acme.engine, "acme", "committee", complex_code="C-1")
    proposal = acme.proposal()
    acme.staff_client(client)
    response = client.submit(f"{BASE}/{proposal.id}/stap/open")
    assert response.status_code == 400
    assert "bewonerscommissie" in soup(response).find(class_="error-summary").get_text()
    assert client.submit(f"{BASE}/{proposal.id}/stap/fly").status_code == 404
    advice = client.submit(f"{BASE}/{proposal.id}/stap/consult", {"sent_on": "2999-01-01"})
    assert advice.status_code == 400 and error_links(soup(advice)) == ["#sent_on"]
    assert client.submit(f"{BASE}/{proposal.id}/stap/consult", {"sent_on": ""}).status_code == 303
    page = soup(client.get(f"{BASE}/{proposal.id}"))
    assert page.find(id="advice-due") is not None
    missing = client.submit(
        f"{BASE}/{proposal.id}/stap/advice", {"received_on": "", "advice_text": "x"}
    )
    assert missing.status_code == 400


def test_tally_partial_for_htmx_and_full_page_without(acme, client):
    proposal = acme.proposal(state="open")
    acme.vote(proposal, acme.tenancies()[0], "agree")
    acme.staff_client(client)
    full = soup(client.get(f"{BASE}/{proposal.id}/stand"))
    assert full.h1 is not None and full.find(id="tally") is not None
    partial = client.get(f"{BASE}/{proposal.id}/stand", headers={"HX-Request": "true"})
    fragment = soup(partial)
    assert fragment.find("html") is None and fragment.find("h1") is None
    root = fragment.find(id="tally")
    assert root["hx-trigger"] == "every 10s" and root["hx-swap"] == "outerHTML"
    figures = {
        td["data-figure"]: td.get_text(strip=True)
        for td in root.find_all("td", attrs={"data-figure": True})
    }
    assert (
        figures["eligible"] == "12"
        and figures["agree"] == "1"
        and figures["non_respondents"] == "11"
    )
    assert root.find(id="figure-respondents").find(class_="value")["data-percent"] == "100.00"
    assert root.find(id="figure-statutory").find(class_="value")["data-percent"] == "8.33"
    assert root.find("svg")["role"] == "img" and root.find("table").caption is not None


def test_detail_warns_about_rent_for_insulation_and_small_complexes(engine, settings, client):
    from tests.factories import corporation_with_complex
    from tests.proposals.conftest import Acme

    small = Acme(engine, settings, corporation_with_complex(engine, "klein", homes=8))
    proposal = small.proposal(measures=[MeasureInput("improvement", "roof", "Dakisolatie", 900)])
    small.staff_client(client)
    page = soup(client.get(f"{BASE}/{proposal.id}"))
    assert "1 januari 2023" in page.find(id="insulation-warning").get_text()
    assert "minder dan 10 woningen" in page.find(id="no-presumption").get_text()


def test_exclusions_by_form(acme, client):
    proposal = acme.proposal()
    acme.staff_client(client)
    bad = client.submit(
        f"{BASE}/{proposal.id}/uitsluitingen", {"unit": "acme-E-C-1-0002", "reason": ""}
    )
    assert bad.status_code == 400 and error_links(soup(bad)) == ["#reason"]
    assert (
        soup(bad).find("select", id="unit").find("option", selected=True)["value"]
        == "acme-E-C-1-0002"
    )
    unknown = client.submit(f"{BASE}/{proposal.id}/uitsluitingen", {"unit": "x", "reason": "y"})
    assert unknown.status_code == 400 and error_links(soup(unknown)) == ["#unit"]
    ok = client.submit(
        f"{BASE}/{proposal.id}/uitsluitingen", {"unit": "acme-E-C-1-0002", "reason": "Sloop"}
    )
    assert ok.status_code == 303
    page = soup(client.get(f"{BASE}/{proposal.id}"))
    row = page.find("td", string="acme-E-C-1-0002").find_parent("tr")
    assert "Sloop" in row.get_text()
    remove = row.find("form")["action"]
    assert client.submit(remove).status_code == 303
    assert soup(client.get(f"{BASE}/{proposal.id}")).find("td", string="acme-E-C-1-0002") is None


def test_codes_are_shown_once(acme, client):
    proposal = acme.proposal()
    acme.staff_client(client)
    response = client.submit(f"{BASE}/{proposal.id}/codes")
    assert response.headers["cache-control"] == "no-store"
    rows = soup(response).find(id="codes-table").tbody.find_all("tr")
    assert len(rows) == 12
    again = soup(client.submit(f"{BASE}/{proposal.id}/codes"))
    assert again.find(id="codes-table") is None
    assert "al een code" in again.get_text()


def test_questions_and_translations(acme, client):
    proposal = acme.proposal()
    acme.staff_client(client)
    bad = client.submit(f"{BASE}/{proposal.id}/vragen", {"question": "Wanneer?", "answer": ""})
    assert bad.status_code == 400 and soup(bad).find("input", id="question")["value"] == "Wanneer?"
    assert (
        client.submit(
            f"{BASE}/{proposal.id}/vragen",
            {"question": "Wanneer?", "answer": "In mei.", "question_language": "nl"},
        ).status_code
        == 303
    )
    page = soup(client.get(f"{BASE}/{proposal.id}"))
    assert any(
        "Wanneer?" in dt.get_text()
        for dt in page.find(id="questions").find_next("dl").find_all("dt")
    )
    assert client.get(f"{BASE}/{proposal.id}/vertaling/xx").status_code == 404
    form = soup(client.get(f"{BASE}/{proposal.id}/vertaling/en"))
    assert form.find("input", id="title")["value"] == ""
    missing = client.submit(f"{BASE}/{proposal.id}/vertaling/en", {"summary": "We insulate"})
    assert missing.status_code == 400 and error_links(soup(missing)) == ["#title"]
    assert soup(missing).find("textarea", id="summary").get_text() == "We insulate"
    saved = client.submit(
        f"{BASE}/{proposal.id}/vertaling/en", {"title": "New facades", "summary": "We insulate"}
    )
    assert saved.status_code == 303
    [text] = acme.all(ProposalText)
    assert (text.language, text.title) == ("en", "New facades")


def test_non_respondents_list_and_csv(acme, client):
    proposal = acme.proposal(state="open")
    tenancies = acme.tenancies()
    acme.vote(proposal, tenancies[0], "agree")
    acme.vote(proposal, tenancies[1], "disagree")
    acme.staff_client(client)
    rows = (
        soup(client.get(f"{BASE}/{proposal.id}/niet-gestemd"))
        .find(id="non-respondents")
        .tbody.find_all("tr")
    )
    assert len(rows) == 10
    assert "Lindelaan 3" in rows[0].get_text() and "06-10000003" in rows[0].get_text()
    response = client.get(f"{BASE}/{proposal.id}/niet-gestemd.csv")
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == [
        "eenheidCode",
        "huurovereenkomstCode",
        "adres",
        "postcode",
        "woonplaats",
        "taal",
        "telefoon",
    ]
    assert len(table) == 11 and tenancies[0].code not in response.text


def test_overview_across_the_corporation(acme, other, client):
    mine = acme.proposal(state="open", title="Eerste")
    acme.proposal(title="Tweede")
    other.proposal(title="Van een ander")
    acme.vote(mine, acme.tenancies()[0], "agree")
    acme.staff_client(client)
    page = soup(client.get(f"{BASE}/overzicht"))
    titles = [
        th.a.get_text(strip=True) for th in page.find(id="overview-table").tbody.find_all("th")
    ]
    assert sorted(titles) == ["Eerste", "Tweede"]
    assert page.find("svg")["role"] == "img"
    listing = soup(client.get(BASE))
    assert {a.get_text(strip=True) for a in listing.find("table").find_all("a")} == {
        "Eerste",
        "Tweede",
    }


def test_htmx_form_posts_get_a_location_header_instead_of_a_redirect(acme, client):
    proposal = acme.proposal()
    acme.staff_client(client)
    response = client.submit(f"{BASE}/{proposal.id}/stap/open", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Location"].endswith(f"{BASE}/{proposal.id}#steps")
    assert acme.reload(proposal).status == "open"
