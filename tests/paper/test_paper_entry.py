"""Entering returned forms: plain posts (no JavaScript), four-eyes, refusals, conflicts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from consent.audit.models import AuditEvent
from consent.paper.models import PaperEntry
from consent.proposals.models import Ballot, BallotEvent
from consent.timeutil import to_local, utcnow

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(proposal, tail=""):
    return f"/medewerkers/voorstellen/{proposal.id}/stemformulieren{tail}"


def soup(response):
    return BeautifulSoup(response.text, "html.parser")


def day(days_ago):
    return (to_local(utcnow()).date() - timedelta(days=days_ago)).isoformat()


def enter(client, proposal, code, choice="agree", signed_on=None, channel="paper", files=None):
    """Scan (find), then save: the two plain posts a staff member makes per form."""
    found = client.submit(url(proposal), {"step": "find", "form_code": code})
    assert found.status_code == 200, found.text
    data = {"step": "save", "form_code": code, "choice": choice, "channel": channel,
            "signed_on": signed_on or day(0)}  # fmt: skip
    return client.submit(url(proposal), data, files=files)


def test_entry_page_works_without_javascript(acme, client):
    proposal = acme.proposal("open")
    tenancy = acme.tenancies()[2]
    acme.staff_client(client)
    page = soup(client.get(url(proposal)))
    form = page.select_one("#find-form")
    assert form["method"] == "post" and form.select_one("input[name=csrf_token]")
    field = form.select_one("#form_code")
    assert field.has_attr("autofocus") and page.select_one("label[for=form_code]")
    assert "laatste datum" in page.select_one("#rule").text  # the rule is shown to staff
    code = acme.form_code(proposal, tenancy)
    found = client.submit(url(proposal), {"step": "find", "form_code": code.lower()})
    assert found.status_code == 200
    found = soup(found)
    assert "Lindelaan 3" in found.select_one("#match-address").text
    assert found.select_one("#match-names").text == "Tenant 3, Partner 3"
    assert found.select_one("#save-form input[name=choice]").has_attr("autofocus")
    assert found.select_one("#save-form")["enctype"] == "multipart/form-data"
    saved = enter(client, proposal, code, "disagree", day(0))
    assert saved.status_code == 303
    after = client.get(saved.headers["location"])
    page = soup(after)
    assert "telt mee" in page.select_one("#saved").text
    assert page.select_one("#form_code").has_attr("autofocus")  # ready for the next form
    [ballot] = acme.all(Ballot)
    assert (ballot.tenancy_id, ballot.choice, ballot.channel) == (tenancy.id, "disagree", "paper")
    [entry] = acme.all(PaperEntry)
    assert entry.status == "recorded" and entry.counted and entry.receipt == ballot.receipt
    actions = [e.action for e in acme.all(AuditEvent)]
    assert "paper.entered" in actions and "paper.recorded" in actions and "ballot.cast" in actions


def test_home_visit_ballot_through_the_same_page(acme, client):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    enter(client, proposal, acme.form_code(proposal, acme.tenancies()[0]), channel="home_visit")
    [ballot] = acme.all(Ballot)
    assert ballot.channel == "home_visit"


def test_bad_input_keeps_every_value(acme, client):
    proposal = acme.proposal("open")
    code = acme.form_code(proposal, acme.tenancies()[0])
    acme.staff_client(client)
    response = client.submit(url(proposal), {"step": "save", "form_code": code, "channel": "home_visit",
                                             "signed_on": day(-3)})  # fmt: skip
    assert response.status_code == 400
    page = soup(response)
    links = {a["href"] for a in page.select(".error-summary a")}
    assert links == {"#choice", "#signed_on"}
    assert page.select_one("#signed_on")["value"] == day(-3)
    assert page.select_one("input[name=channel][value=home_visit]").has_attr("checked")
    assert page.select_one("#save-form input[name=form_code]")["value"] == code
    bad = enter(client, proposal, code, files={"scan": ("form.txt", b"not a scan", "text/plain")})
    assert bad.status_code == 400
    assert {a["href"] for a in soup(bad).select(".error-summary a")} == {"#scan"}
    empty = client.submit(url(proposal), {"step": "find", "form_code": ""})
    assert empty.status_code == 400 and soup(empty).select_one("#form_code-error")
    assert not acme.all(Ballot) and not acme.all(PaperEntry)


def _tampered(code):
    return code[:-1] + ("1" if code.endswith("0") else "0")


def test_codes_of_another_corporation_or_proposal_are_refused(acme, other, client):
    proposal = acme.proposal("open")
    second = acme.proposal("open", title="Nieuwe daken")
    theirs = other.proposal("open")
    acme.staff_client(client)
    cases = [
        (other.form_code(theirs, other.tenancies()[0]), "andere woningcorporatie"),
        (acme.form_code(second, acme.tenancies()[0]), "ander voorstel: Nieuwe daken"),
        (_tampered(acme.form_code(proposal, acme.tenancies()[0])), "klopt niet"),
        (acme.form_code(proposal, other.tenancies()[0]), "mag niet stemmen"),
    ]
    for code, message in cases:
        response = client.submit(url(proposal), {"step": "find", "form_code": code})
        assert response.status_code == 400, code
        page = soup(response)
        assert message in page.select_one("#form_code-error").text
        assert page.select_one("#form_code")["value"] == code and not page.select_one("#match")
        saved = client.submit(url(proposal), {"step": "save", "form_code": code, "choice": "agree",
                                              "channel": "paper", "signed_on": day(0)})  # fmt: skip
        assert saved.status_code == 400
    assert not acme.all(Ballot)


def test_four_eyes_a_second_person_confirms(acme, client, make_client):
    acme.set(paper_four_eyes=True)
    proposal = acme.proposal("open")
    tenancy = acme.tenancies()[0]
    acme.staff_client(client, name="first")
    saved = enter(client, proposal, acme.form_code(proposal, tenancy), "agree",
                  files={"scan": ("form.png", PNG, "image/png")})  # fmt: skip
    assert saved.status_code == 303
    page = soup(client.get(saved.headers["location"]))
    assert "wacht op bevestiging" in page.select_one("#saved").text
    assert page.select_one("#four-eyes")
    assert not acme.all(Ballot)  # not counted yet
    [entry] = acme.all(PaperEntry)
    assert "eigen invoer" in page.select_one("#waiting").text
    row = page.select_one(f"#waiting-{entry.id}")
    assert "Lindelaan 1" in row.text
    scan = client.get(url(proposal, f"/{entry.id}/scan"))
    assert scan.status_code == 200 and scan.content == PNG
    own = client.submit(url(proposal, f"/{entry.id}/bevestigen"))
    assert own.status_code == 409
    assert "collega" in soup(own).select_one(".error-summary").text
    assert not acme.all(Ballot)
    second = acme.staff_client(make_client(), name="second")
    done = second.submit(url(proposal, f"/{entry.id}/bevestigen"))
    assert done.status_code == 303
    [ballot] = acme.all(Ballot)
    assert ballot.choice == "agree" and ballot.channel == "paper"
    [event] = acme.all(BallotEvent)
    assert event.actor == f"staff:{second.user.id}"
    again = second.submit(url(proposal, f"/{entry.id}/bevestigen"))
    assert again.status_code == 409  # already confirmed


def test_four_eyes_reject_never_counts(acme, client, make_client):
    acme.set(paper_four_eyes=True)
    proposal = acme.proposal("open")
    acme.staff_client(client, name="first")
    enter(client, proposal, acme.form_code(proposal, acme.tenancies()[0]))
    [entry] = acme.all(PaperEntry)
    second = acme.staff_client(make_client(), name="second")
    assert second.submit(url(proposal, f"/{entry.id}/afwijzen"), {"reason": "Geen handtekening"}).status_code == 303
    [entry] = acme.all(PaperEntry)
    assert entry.status == "rejected" and entry.reject_reason == "Geen handtekening"
    assert not acme.all(Ballot)
    assert second.submit(url(proposal, "/999/bevestigen")).status_code == 404


def test_four_eyes_off_counts_at_once(acme, client):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    enter(client, proposal, acme.form_code(proposal, acme.tenancies()[0]))
    assert len(acme.all(Ballot)) == 1
    assert not soup(client.get(url(proposal))).select_one("#four-eyes")


def _conflict(acme, client, online_days_ago, paper_days_ago, paper_first):
    proposal = acme.proposal("open", days_open=10)
    tenancy = acme.tenancies()[0]
    acme.staff_client(client)
    online_at = utcnow() - timedelta(days=online_days_ago)

    def online():
        acme.vote(proposal, tenancy, "agree", cast_at=online_at)

    def paper():
        enter(client, proposal, acme.form_code(proposal, tenancy), "disagree", day(paper_days_ago))

    for step in (paper, online) if paper_first else (online, paper):
        step()
    [ballot] = acme.all(Ballot)
    page = soup(client.get(f"/medewerkers/voorstellen/{proposal.id}/dubbele-stemmen"))
    [table] = page.select("table.conflict")
    counted = table.select_one("tr.counted")
    return ballot, counted.text


@pytest.mark.parametrize("paper_first", [True, False], ids=["paper-entered-first", "online-first"])
def test_paper_signed_earlier_than_online_vote_online_counts(acme, client, paper_first):
    ballot, row = _conflict(acme, client, online_days_ago=1, paper_days_ago=3, paper_first=paper_first)
    assert (ballot.channel, ballot.choice) == ("online", "agree")
    assert "Online" in row and "Deze stem telt" in row
    events = {e.channel: e.counted for e in acme.all(BallotEvent)}
    assert events["paper"] is (not paper_first) or events["online"]


@pytest.mark.parametrize("paper_first", [True, False], ids=["paper-entered-first", "online-first"])
def test_paper_signed_later_than_online_vote_paper_counts(acme, client, paper_first):
    ballot, row = _conflict(acme, client, online_days_ago=3, paper_days_ago=1, paper_first=paper_first)
    assert (ballot.channel, ballot.choice) == ("paper", "disagree")
    assert "Op papier" in row and "Deze stem telt" in row
    [entry] = acme.all(PaperEntry)
    assert entry.counted is True


def test_same_day_the_online_vote_wins(acme, client):
    ballot, _row = _conflict(acme, client, online_days_ago=0, paper_days_ago=0, paper_first=False)
    assert ballot.channel == "online"
    [entry] = acme.all(PaperEntry)
    assert entry.counted is False


def test_no_conflicts_listed_when_each_household_used_one_channel(acme, client):
    proposal = acme.proposal("open")
    acme.vote(proposal, acme.tenancies()[0], "agree")
    acme.staff_client(client)
    page = soup(client.get(f"/medewerkers/voorstellen/{proposal.id}/dubbele-stemmen"))
    assert page.select_one("#no-conflicts") and page.select_one("#rule")


def test_entry_not_allowed_not_found_and_closed(acme, other, client, make_client):
    proposal = acme.proposal("open")
    assert client.get(url(proposal), follow_redirects=False).status_code == 303  # to login
    acme.staff_client(client, "committee", complex_code=acme.world.complex.code)
    assert client.get(url(proposal)).status_code == 403
    assert client.get(f"/medewerkers/voorstellen/{proposal.id}/dubbele-stemmen").status_code == 403
    stranger = other.staff_client(make_client())
    assert stranger.get(url(proposal)).status_code == 404
    assert stranger.get(url(proposal, "/1/scan")).status_code == 404
    leader = acme.staff_client(make_client())
    assert leader.get(url(proposal, "/12345/scan")).status_code == 404
    assert leader.get("/medewerkers/voorstellen/9999/stemformulieren").status_code == 404
    acme.close(proposal)
    code = acme.form_code(proposal, acme.tenancies()[0])
    response = leader.submit(url(proposal), {"step": "find", "form_code": code})
    assert response.status_code == 400 and "niet open" in soup(response).select_one("#form_code-error").text


def test_an_overlong_reject_reason_is_refused_and_nothing_changes(acme, client, make_client):
    acme.set(paper_four_eyes=True)
    proposal = acme.proposal("open")
    acme.staff_client(client, name="first")
    enter(client, proposal, acme.form_code(proposal, acme.tenancies()[0]))
    [entry] = acme.all(PaperEntry)
    second = acme.staff_client(make_client(), name="second")
    response = second.submit(url(proposal, f"/{entry.id}/afwijzen"), {"reason": "x" * 501})
    assert response.status_code == 400
    assert soup(response).select_one(".error-summary a[href='#reason']"), response.text
    [entry] = acme.all(PaperEntry)
    assert entry.status != "rejected" and not entry.reject_reason
