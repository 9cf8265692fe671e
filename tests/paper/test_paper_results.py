"""The result certificate, the home-visit list, the paper hub and its settings."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from consent.db import new_session
from consent.housing.models import Corporation
from consent.i18n import format_percent, use_locale
from consent.proposals import results
from consent.proposals.models import ProposalResult
from tests.factories import corporation_with_complex
from tests.paper.paper_helpers import Corp, flat, pdf_pages


@pytest.fixture
def mixed(engine, settings):
    """Ten homes, one vacant and one sold (excluded), the help phone set."""
    corp = Corp(engine, settings, corporation_with_complex(engine, "mixed", homes=10, vacant=1, sold=1))
    corp.set(help_phone="088-7654321")
    return corp


def cert_url(proposal):
    return f"/medewerkers/voorstellen/{proposal.id}/uitslag.pdf"


def test_certificate_figures_equal_the_frozen_tally(mixed, client):
    proposal = mixed.proposal("open", days_open=2)
    homes = mixed.tenancies()
    for tenancy in homes[:5]:
        mixed.vote(proposal, tenancy, "agree")
    mixed.vote(proposal, homes[5], "disagree", channel="paper")
    mixed.vote(proposal, homes[6], "agree", channel="home_visit")
    proposal = mixed.close(proposal)
    mixed.staff_client(client)
    response = client.get(cert_url(proposal))
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = flat(" ".join(pdf_pages(response.content)))
    with new_session(mixed.engine) as session:
        tally = results.tally_for(session, proposal)
        result = session.get(ProposalResult, proposal.id)
    assert (tally.eligible, tally.excluded, tally.agree, tally.disagree) == (10, 2, 6, 1)
    for label, value in [
        ("Huishoudens die mochten stemmen", tally.eligible),
        ("Woningen zonder stem", tally.excluded),
        ("Gestemd", tally.responded),
        ("Akkoord", tally.agree),
        ("Niet akkoord", tally.disagree),
        ("Niet gestemd", tally.non_respondents),
    ]:
        assert f"{label} {value}" in text, label
    with use_locale("nl"):
        assert format_percent(tally.respondents.percent_agree) in text  # 85,71%
        assert format_percent(tally.statutory.percent_agree) in text  # 60,00%
    assert "Online 5" in text and "Op papier 1" in text and "Bij huisbezoek 1" in text
    assert "Leeg: er woont niemand" in text and "Verkocht (koopwoning)" in text
    assert "mixed-E-C-1-0011" in text and "mixed-E-C-1-0012" in text
    assert result is not None and result.audit_hash and result.audit_hash in text.replace(" ", "")
    assert "De Linde" in text and "Alleen wie heeft gestemd telt mee" in text


def test_certificate_for_the_committee_of_that_complex_only(mixed, acme, client, make_client):
    proposal = mixed.close(mixed.proposal("open"))
    committee = mixed.staff_client(client, "committee", complex_code=mixed.world.complex.code)
    assert committee.get(cert_url(proposal)).status_code == 200
    hub = BeautifulSoup(committee.get(f"/medewerkers/voorstellen/{proposal.id}/papier").text, "html.parser")
    assert hub.select_one("#certificate-title") and not hub.select_one("#letters-title")
    assert hub.select_one(f"a[href$='/voorstellen/{proposal.id}/uitslag.pdf']")
    worker = mixed.staff_client(make_client(), "case_worker")
    assert worker.get(cert_url(proposal)).status_code == 403
    stranger = acme.staff_client(make_client())
    assert stranger.get(cert_url(proposal)).status_code == 404
    assert client.get("/medewerkers/voorstellen/9999/uitslag.pdf").status_code == 404


def test_no_certificate_before_voting_closes(mixed, client):
    proposal = mixed.proposal("open")
    mixed.staff_client(client)
    response = client.get(cert_url(proposal))
    assert response.status_code == 409
    assert BeautifulSoup(response.text, "html.parser").h1.text == "Nog geen uitslag"


def test_visit_list_of_non_respondents_by_address(mixed, client):
    proposal = mixed.proposal("open")
    homes = mixed.tenancies()
    mixed.vote(proposal, homes[1], "agree")
    mixed.staff_client(client)
    page = BeautifulSoup(client.get(f"/medewerkers/voorstellen/{proposal.id}/huisbezoeken").text, "html.parser")
    rows = page.select("#visits tbody tr")
    assert len(rows) == 9
    addresses = [row.td.text.split("3521")[0].strip() for row in rows]
    numbers = [int(a.split()[-1]) for a in addresses]
    assert numbers == sorted(numbers) and 2 not in numbers
    assert mixed.form_code(proposal, homes[0]) in rows[0].text
    assert page.select_one("a[download][href$='huisbezoeken.pdf']")
    response = client.get(f"/medewerkers/voorstellen/{proposal.id}/huisbezoeken.pdf")
    assert response.status_code == 200
    text = flat(" ".join(pdf_pages(response.content)))
    assert "Lindelaan 1 " in text and "Lindelaan 2 " not in text and "Lindelaan 10" in text


def test_visit_list_not_allowed(mixed, acme, client, make_client):
    proposal = mixed.proposal("open")
    mixed.staff_client(client, "committee", complex_code=mixed.world.complex.code)
    assert client.get(f"/medewerkers/voorstellen/{proposal.id}/huisbezoeken").status_code == 403
    stranger = acme.staff_client(make_client())
    assert stranger.get(f"/medewerkers/voorstellen/{proposal.id}/huisbezoeken.pdf").status_code == 404


def test_hub_for_the_project_leader(acme, client):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    page = BeautifulSoup(client.get(f"/medewerkers/voorstellen/{proposal.id}/papier").text, "html.parser")
    assert page.select_one("#codes-warning")  # printing again revokes the codes
    assert len(page.select("#tenancy option")) == 6
    assert page.select_one("#reminder-form") and not page.select_one("#help_phone")
    detail = BeautifulSoup(client.get(f"/medewerkers/voorstellen/{proposal.id}").text, "html.parser")
    assert detail.select_one(f"a[href$='/voorstellen/{proposal.id}/papier']")


def test_settings_for_the_admin(acme, client, make_client):
    proposal = acme.proposal("open")
    settings_url = f"/medewerkers/voorstellen/{proposal.id}/papier/instellingen"
    leader = acme.staff_client(make_client())
    assert leader.submit(settings_url, {"help_phone": "1", "four_eyes": "1"}).status_code == 403
    acme.staff_client(client, "admin")
    bad = client.submit(settings_url, {"help_phone": "bel maar"})
    assert bad.status_code == 400
    assert BeautifulSoup(bad.text, "html.parser").select_one("#help_phone")["value"] == "bel maar"
    long = client.submit(settings_url, {"help_phone": "0" * 41})
    assert long.status_code == 400
    assert BeautifulSoup(long.text, "html.parser").select_one("#help_phone")["value"] == "0" * 41
    done = client.submit(settings_url, {"help_phone": "+31 88 111 2222", "four_eyes": "1"})
    assert done.status_code == 303
    with new_session(acme.engine) as session:
        corporation = session.get(Corporation, acme.id)
        assert corporation.help_phone == "+31 88 111 2222" and corporation.paper_four_eyes
