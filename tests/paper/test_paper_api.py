"""POST /api/v1/proposals/{id}/ballots: paper and home-visit ballots from other systems."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consent.api.app import openapi_document
from consent.audit.models import AuditEvent
from consent.proposals.models import Ballot, BallotEvent
from consent.timeutil import to_local, utcnow


def api(proposal):
    return f"/api/v1/proposals/{proposal.id}/ballots"


def test_records_a_paper_ballot_that_counts_at_once_even_with_four_eyes(acme, client):
    acme.set(paper_four_eyes=True)  # the entry page's rule, not the API's
    proposal = acme.proposal("open", days_open=3)
    tenancy = acme.tenancies()[1]
    signed = utcnow() - timedelta(days=1)
    body = {"tenancy": tenancy.code, "choice": "agree", "channel": "paper", "cast_at": signed.isoformat()}
    response = client.post(api(proposal), json=body, headers=acme.token())
    assert response.status_code == 201, response.text
    data = response.json()
    assert (data["tenancy"], data["choice"], data["channel"], data["counted"]) == (tenancy.code, "agree", "paper", True)
    [ballot] = acme.all(Ballot)
    assert ballot.receipt == data["receipt"] and ballot.channel == "paper"
    assert "paper.api_recorded" in [e.action for e in acme.all(AuditEvent)]


def test_a_plain_date_counts_from_the_start_of_that_day_and_the_latest_wins(acme, client):
    proposal = acme.proposal("open", days_open=5)
    tenancy = acme.tenancies()[0]
    acme.vote(proposal, tenancy, "agree")  # online, now
    yesterday = (to_local(utcnow()).date() - timedelta(days=1)).isoformat()
    body = {"tenancy": tenancy.code, "choice": "disagree", "channel": "home_visit", "cast_at": yesterday}
    response = client.post(api(proposal), json=body, headers=acme.token())
    assert response.status_code == 201 and response.json()["counted"] is False
    [ballot] = acme.all(Ballot)
    assert (ballot.channel, ballot.choice) == ("online", "agree")
    assert {e.channel for e in acme.all(BallotEvent)} == {"online", "home_visit"}


def test_without_cast_at_it_is_cast_now(acme, client):
    proposal = acme.proposal("open")
    body = {"tenancy": acme.tenancies()[0].code, "choice": "disagree", "channel": "home_visit"}
    response = client.post(api(proposal), json=body, headers=acme.token())
    assert response.status_code == 201 and response.json()["counted"] is True


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"tenancy", "choice", "channel"}),
        ({"tenancy": "acme-HO-C-1-0001", "choice": "yes", "channel": "online"}, {"choice", "channel"}),
        ({"tenancy": "acme-HO-C-1-0001", "choice": "agree", "channel": "paper", "cast_at": "gisteren"}, {"cast_at"}),
        ({"tenancy": "acme-HO-C-1-0001", "choice": "agree", "channel": "paper", "cast_at": 5}, {"cast_at"}),
        ({"tenancy": "nope", "choice": "agree", "channel": "paper"}, {"tenancy"}),
        ({"tenancy": "acme-HO-C-1-0001", "choice": "agree", "channel": "paper", "cast_at": "2001-01-01"}, {"cast_at"}),
    ],
)
def test_bad_input_is_422_with_the_fields(acme, client, body, fields):
    proposal = acme.proposal("open")
    response = client.post(api(proposal), json=body, headers=acme.token())
    assert response.status_code == 422, response.text
    assert {d["field"] for d in response.json()["details"]} == fields
    assert not acme.all(Ballot)


def test_future_cast_at_and_not_json(acme, client):
    proposal = acme.proposal("open")
    future = (utcnow() + timedelta(days=2)).isoformat()
    body = {"tenancy": acme.tenancies()[0].code, "choice": "agree", "channel": "paper", "cast_at": future}
    headers = acme.token()
    response = client.post(api(proposal), json=body, headers=headers)
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "cast_at"
    response = client.post(api(proposal), content=b"[1]", headers=headers)
    assert response.status_code == 400 and "error" in response.json()


def test_not_open_is_409(acme, client):
    proposal = acme.proposal("draft")
    body = {"tenancy": acme.tenancies()[0].code, "choice": "agree", "channel": "paper"}
    response = client.post(api(proposal), json=body, headers=acme.token())
    assert response.status_code == 409 and response.json()["error"]
    closed = acme.close(acme.proposal("open", title="Dak"))
    response = client.post(api(closed), json=body, headers=acme.token())
    assert response.status_code == 409 and response.json()["error"]


def test_not_allowed_and_not_found(acme, other, client):
    proposal = acme.proposal("open")
    body = {"tenancy": acme.tenancies()[0].code, "choice": "agree", "channel": "paper"}
    assert client.post(api(proposal), json=body).status_code == 401
    assert client.post(api(proposal), json=body, headers=acme.token("committee")).status_code == 403
    response = client.post(api(proposal), json=body, headers=other.token())
    assert response.status_code == 404 and response.json()["error"] == "Not found"
    assert client.post("/api/v1/proposals/9999/ballots", json=body, headers=acme.token("admin")).status_code == 404
    assert client.get(api(proposal), headers=acme.token()).status_code == 405
    assert not acme.all(Ballot)


def test_in_the_openapi_document():
    document = openapi_document()
    operation = document["paths"]["/proposals/{proposal_id}/ballots"]["post"]
    assert operation["operationId"] == "recordProposalBallot"
    schema = document["components"]["schemas"]["BallotInput"]
    assert set(schema["required"]) == {"tenancy", "choice", "channel"}
    assert schema["properties"]["channel"]["enum"] == ["paper", "home_visit"]
    assert "BallotRecorded" in document["components"]["schemas"]
