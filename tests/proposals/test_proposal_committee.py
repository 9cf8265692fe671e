"""Tenant committee members see their complex's proposals and aggregate figures only."""

from __future__ import annotations

from bs4 import BeautifulSoup

BASE = "/medewerkers/voorstellen"


def soup(response):  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def test_committee_sees_own_complex_and_only_aggregates(acme, client):
    own = acme.proposal(state="open", title="Eigen complex")
    elsewhere = acme.proposal(state="open", title="Ander complex", world=acme.second_complex())
    tenancies = acme.tenancies()
    acme.vote(own, tenancies[0], "agree", comment="Geheim commentaar")
    acme.vote(own, tenancies[1], "disagree")
    acme.staff_client(client, "committee", complex_code="C-1")

    listing = soup(client.get(BASE))
    assert [a.get_text(strip=True) for a in listing.find("table").find_all("a")] == [
        "Eigen complex"
    ]
    assert listing.find("a", string="Nieuw voorstel maken") is None
    assert client.get(f"{BASE}/{elsewhere.id}").status_code == 404

    for url in (f"{BASE}/{own.id}", f"{BASE}/{own.id}/stand", f"{BASE}/overzicht"):
        page = client.get(url)
        assert page.status_code == 200
        text = page.text
        for tenancy in tenancies[:2]:
            assert tenancy.code not in text  # no household is named
        assert "Geheim commentaar" not in text
        assert "Lindelaan 1," not in text and "06-1000" not in text

    detail = soup(client.get(f"{BASE}/{own.id}"))
    assert detail.find("form", action=lambda a: a and "/stap/" in a) is None
    assert detail.find(id="codes") is None
    assert detail.find("a", href=lambda h: h and "niet-gestemd" in h) is None
    figures = {
        td["data-figure"]: td.get_text(strip=True)
        for td in detail.find_all("td", attrs={"data-figure": True})
    }
    assert (figures["agree"], figures["disagree"]) == ("1", "1")


def test_committee_cannot_act_or_list_households(acme, client):
    proposal = acme.proposal(state="open")
    acme.staff_client(client, "committee", complex_code="C-1")
    for url in (f"{BASE}/{proposal.id}/niet-gestemd", f"{BASE}/{proposal.id}/niet-gestemd.csv",
                f"{BASE}/nieuw", f"{BASE}/{proposal.id}/bewerken", f"{BASE}/{proposal.id}/vertaling/en"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    for step in ("close", "open"):
        assert client.submit(f"{BASE}/{proposal.id}/stap/{step}").status_code == 403
    assert client.submit(f"{BASE}/{proposal.id}/codes").status_code == 403
    assert acme.reload(proposal).status == "open"


def test_committee_api_reads_the_tally_but_cannot_write(acme, client):
    proposal = acme.proposal(state="open")
    acme.vote(proposal, acme.tenancies()[0], "agree")
    headers = acme.token("committee", complex_code="C-1")
    tally = client.get(f"/api/v1/proposals/{proposal.id}/tally", headers=headers)
    assert tally.status_code == 200 and tally.json()["agree"] == 1
    assert set(tally.json()) >= {"respondents", "statutory"}
    assert "ballots" not in tally.json()
    assert client.post(f"/api/v1/proposals/{proposal.id}/close", headers=headers).status_code == 403
    assert client.post(f"/api/v1/proposals/{proposal.id}/codes", headers=headers).status_code == 403
    other_complex = acme.proposal(world=acme.second_complex())
    assert client.get(f"/api/v1/proposals/{other_complex.id}", headers=headers).status_code == 404
