"""The proposals API: per endpoint not allowed, not found, valid and bad input; isolation."""

from __future__ import annotations

import pytest

from consent.proposals.models import Proposal, ProposalExclusion

API = "/api/v1/proposals"
BODY = {
    "complex": "C-1",
    "title": "Nieuwe gevels",
    "summary": "Wij isoleren de gevels.",
    "opens_at": "2030-03-01T09:00:00+01:00",
    "closes_at": "2030-03-29T17:00:00",
    "counting_rule": "all_tenants",
}


def test_create_valid(acme, client):
    response = client.post(
        API,
        json=BODY
        | {"measures": [{"category": "improvement", "tag": "facade", "description": "Gevel"}]},
        headers=acme.token(),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] > 0 and body["status"] == "draft" and body["complex"] == "C-1"
    assert body["counting_rule"] == "all_tenants"
    assert body["opens_at"] == "2030-03-01T08:00:00Z"
    assert body["closes_at"] == "2030-03-29T16:00:00Z"  # no offset: Amsterdam (winter) time
    assert body["measures"][0]["tag"] == "facade"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"complex": "C-404"}, "complex"),
        ({"title": ""}, "title"),
        ({"title": 12}, "title"),
        ({"opens_at": "next week"}, "opens_at"),
        ({"closes_at": "2030-02-01T09:00:00"}, "closes_at"),
        ({"counting_rule": "majority"}, "counting_rule"),
        ({"stay_home": False}, "temporary_home"),
        (
            {"measures": [{"category": "improvement", "tag": "rocket", "description": "x"}]},
            "measure-1-tag",
        ),
    ],
)
def test_create_bad_input(acme, client, change, field):
    response = client.post(API, json=BODY | change, headers=acme.token())
    assert response.status_code == 422
    assert field in {detail["field"] for detail in response.json()["details"]}
    assert acme.all(Proposal) == []


def test_create_not_json_and_not_allowed(acme, client):
    headers = acme.token()
    assert client.post(API, content=b"{", headers=headers).status_code == 400
    assert client.post(API, json=[1], headers=headers).status_code == 400
    assert client.post(API, json=BODY).status_code == 401
    assert client.post(API, json=BODY, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.post(API, json=BODY, headers=acme.token("broker")).status_code == 403
    assert (
        client.post(API, json=BODY, headers=acme.token("committee", complex_code="C-1")).status_code
        == 403
    )


def test_list_and_get_are_scoped_to_the_corporation(acme, other, client):
    mine = acme.proposal()
    theirs = other.proposal()
    headers = acme.token()
    listed = client.get(API, headers=headers).json()["proposals"]
    assert [p["id"] for p in listed] == [mine.id]
    assert client.get(f"{API}/{mine.id}", headers=headers).json()["title"] == mine.title
    missing = client.get(f"{API}/{theirs.id}", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"] == "Not found"
    assert client.get(f"{API}/424242", headers=headers).status_code == 404
    assert client.get(API).status_code == 401
    assert client.get(API, headers=acme.token("case_worker")).status_code == 403


def test_open_and_close(acme, other, client):
    proposal = acme.proposal()
    headers = acme.token()
    assert client.post(f"{API}/{proposal.id}/open").status_code == 401
    assert client.post(f"{API}/{other.proposal().id}/open", headers=headers).status_code == 404
    opened = client.post(f"{API}/{proposal.id}/open", headers=headers)
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    assert opened.json()["consultation_skipped_at"] is not None
    again = client.post(f"{API}/{proposal.id}/open", headers=headers)
    assert again.status_code == 409 and again.json()["error"]
    acme.vote(proposal, acme.tenancies()[0], "agree")
    closed = client.post(f"{API}/{proposal.id}/close", headers=headers)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(f"{API}/{proposal.id}/close", headers=headers).status_code == 409
    assert (
        client.post(f"{API}/{proposal.id}/close", headers=acme.token("broker")).status_code == 403
    )


def test_exclusions(acme, other, client):
    proposal = acme.proposal()
    headers = acme.token()
    url = f"{API}/{proposal.id}/exclusions"
    ok = client.post(
        url, json={"unit": "acme-E-C-1-0003", "reason": "Wordt gesloopt"}, headers=headers
    )
    assert ok.status_code == 201 and ok.json() == {
        "unit": "acme-E-C-1-0003",
        "reason": "Wordt gesloopt",
    }
    assert len(acme.all(ProposalExclusion)) == 1
    assert client.post(url, json={"unit": "", "reason": "x"}, headers=headers).status_code == 422
    bad = client.post(url, json={"unit": "other-E-C-1-0001", "reason": "x"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["details"][0]["field"] == "unit"
    theirs = other.proposal()
    assert (
        client.post(
            f"{API}/{theirs.id}/exclusions", json={"unit": "x", "reason": "y"}, headers=headers
        ).status_code
        == 404
    )
    assert client.post(url, json={"unit": "acme-E-C-1-0003", "reason": "x"}).status_code == 401
    client.post(f"{API}/{proposal.id}/open", headers=headers)
    late = client.post(url, json={"unit": "acme-E-C-1-0004", "reason": "x"}, headers=headers)
    assert late.status_code == 409
    tally = client.get(f"{API}/{proposal.id}/tally", headers=headers).json()
    assert (tally["eligible"], tally["excluded"]) == (11, 1)


def test_codes(acme, other, client):
    proposal = acme.proposal()
    headers = acme.token()
    first = client.post(f"{API}/{proposal.id}/codes", headers=headers)
    assert first.status_code == 200
    codes = first.json()["codes"]
    assert len(codes) == 12 and set(codes[0]) == {"tenancy", "unit", "code"}
    assert codes[0]["unit"] == "acme-E-C-1-0001" and codes[0]["tenancy"] == "acme-HO-C-1-0001"
    assert client.post(f"{API}/{proposal.id}/codes", headers=headers).json() == {"codes": []}
    assert client.post(f"{API}/{other.proposal().id}/codes", headers=headers).status_code == 404
    assert (
        client.post(f"{API}/{proposal.id}/codes", headers=acme.token("broker")).status_code == 403
    )
    page = client.submit("/code?lang=nl", {"code": codes[0]["code"]})
    assert page.headers["location"].endswith(f"/voorstel/{proposal.id}")


def test_tally(acme, other, client):
    proposal = acme.proposal(state="open")
    tenancies = acme.tenancies()
    for tenancy in tenancies[:7]:
        acme.vote(proposal, tenancy, "agree")
    for tenancy in tenancies[7:10]:
        acme.vote(proposal, tenancy, "disagree")
    headers = acme.token()
    body = client.get(f"{API}/{proposal.id}/tally", headers=headers).json()
    assert body["status"] == "open" and body["counting_rule"] == "respondents"
    assert (body["threshold_percent"], body["eligible"], body["excluded"]) == (70, 12, 0)
    assert (body["responded"], body["agree"], body["disagree"], body["non_respondents"]) == (
        10,
        7,
        3,
        2,
    )
    assert body["reached"] is True
    assert body["respondents"] == {"percent_agree": "70.00", "reached": True, "votes_needed": 0}
    assert body["statutory"] == {"percent_agree": "58.33", "reached": False, "votes_needed": 2}
    tenancies_left = tenancies[10:]
    acme.vote(proposal, tenancies_left[0], "disagree")
    body = client.get(f"{API}/{proposal.id}/tally", headers=headers).json()
    assert body["statutory"] == {"percent_agree": "58.33", "reached": False, "votes_needed": None}
    assert client.get(f"{API}/{proposal.id}/tally").status_code == 401
    assert client.get(f"{API}/{other.proposal().id}/tally", headers=headers).status_code == 404
    empty = acme.proposal(state="open")
    nobody = client.get(f"{API}/{empty.id}/tally", headers=headers).json()
    assert nobody["respondents"] == {"percent_agree": None, "reached": False, "votes_needed": 1}
    assert nobody["statutory"]["votes_needed"] == 9


def test_openapi_documents_every_endpoint(client):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert set(paths["/proposals"]) == {"get", "post"}
    for suffix in ("", "/open", "/close", "/exclusions", "/codes", "/tally"):
        assert f"/proposals/{{proposal_id}}{suffix}" in paths
    tally = doc["components"]["schemas"]["ProposalTally"]["properties"]
    assert {"percent_agree", "reached", "votes_needed"} <= set(
        doc["components"]["schemas"]["ProposalTallyFigure"]["properties"]
    )
    assert {"respondents", "statutory", "non_respondents", "threshold_percent"} <= set(tally)
    create = paths["/proposals"]["post"]
    assert create["operationId"] == "createProposal" and "422" in create["responses"]
