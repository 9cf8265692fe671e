"""Casting ballots: one counted ballot per tenancy whatever happens, every cast audited."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from consent.app import create_app
from consent.audit.models import AuditEvent
from consent.audit.service import verify
from consent.db import new_session
from consent.proposals import results, voting
from consent.proposals.models import Ballot, BallotEvent
from consent.timeutil import utcnow
from tests.conftest import Client


def ballots(acme):
    return acme.all(Ballot)


def test_last_vote_counts_and_every_change_is_audited(acme):
    proposal = acme.proposal(state="open")
    tenancy = acme.tenancies()[0]
    first = acme.vote(proposal, tenancy, "agree", comment="Graag snel, Jansen")
    second = acme.vote(proposal, tenancy, "disagree")
    assert first.receipt != second.receipt and second.previous_choice == "agree"
    [ballot] = ballots(acme)
    assert (ballot.choice, ballot.receipt, ballot.channel) == ("disagree", second.receipt, "online")
    assert [e.choice for e in acme.all(BallotEvent)] == ["agree", "disagree"]
    audit = [e for e in acme.all(AuditEvent) if e.action.startswith("ballot.")]
    assert [e.action for e in audit] == ["ballot.cast", "ballot.changed"]
    details = json.loads(audit[0].details)
    assert details["choice"] == "agree" and details["receipt"] == first.receipt
    assert "Jansen" not in audit[0].details  # comments are personal: masked
    with new_session(acme.engine) as session:
        tally = results.tally_for(session, acme.reload(proposal))
    assert (tally.agree, tally.disagree, tally.responded) == (0, 1, 1)


def test_an_earlier_dated_ballot_arriving_later_is_kept_but_not_counted(acme):
    proposal = acme.proposal(state="open")
    tenancy = acme.tenancies()[0]
    acme.vote(proposal, tenancy, "agree")
    paper = acme.vote(
        proposal, tenancy, "disagree", channel="paper", cast_at=utcnow() - timedelta(minutes=30)
    )
    assert not paper.counted
    [ballot] = ballots(acme)
    assert ballot.choice == "agree" and ballot.channel == "online"
    assert [e.counted for e in acme.all(BallotEvent)] == [True, False]


def test_paper_and_home_visit_channels_count_once(acme):
    proposal = acme.proposal(state="open")
    tenancy = acme.tenancies()[0]
    acme.vote(proposal, tenancy, "agree", channel="paper", cast_at=utcnow() - timedelta(minutes=5))
    acme.vote(proposal, tenancy, "disagree", channel="home_visit")
    [ballot] = ballots(acme)
    assert ballot.channel == "home_visit"
    with new_session(acme.engine) as session:
        assert results.channel_counts(session, proposal.id) == {
            "online": 0,
            "paper": 0,
            "home_visit": 1,
        }


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"choice": "maybe"}, "bad_choice"),
        ({"channel": "pigeon"}, "bad_channel"),
        ({"cast_at_offset": timedelta(days=-1)}, "outside_window"),
        ({"cast_at_offset": timedelta(hours=1)}, "future"),
    ],
)
def test_ballots_that_cannot_count_are_refused(acme, kwargs, code):
    proposal = acme.proposal(state="open")
    tenancy = acme.tenancies()[0]
    kwargs = dict(kwargs)  # the parameters are shared by both databases' runs
    offset = kwargs.pop("cast_at_offset", None)
    if offset is not None:
        kwargs["cast_at"] = utcnow() + offset
    with pytest.raises(voting.VotingError) as caught:
        acme.vote(proposal, tenancy, kwargs.pop("choice", "agree"), **kwargs)
    assert caught.value.code == code
    assert ballots(acme) == []


def test_voting_before_the_window_or_for_another_household_is_refused(acme, other):
    early = acme.proposal(state="open", opens_at=utcnow() + timedelta(days=1))
    with pytest.raises(voting.VotingError) as caught:
        acme.vote(early, acme.tenancies()[0], "agree")
    assert caught.value.code == "outside_window"
    proposal = acme.proposal(state="open")
    with pytest.raises(voting.VotingError) as caught:
        acme.vote(proposal, other.tenancies()[0], "agree")
    assert caught.value.code == "not_eligible"
    draft = acme.proposal()
    with pytest.raises(voting.VotingError) as caught:
        acme.vote(draft, acme.tenancies()[0], "agree")
    assert caught.value.code == "not_open"


def test_casts_in_one_transaction_count_as_if_cast_one_by_one(acme, other):
    """cast_many: a double submit, a change and a refused cast in one batch; the refusal
    stops nothing, the last cast of a tenancy counts, every cast is an event and audited."""
    proposal = acme.proposal(state="open")
    first, second, third = acme.tenancies()[:3]
    earlier = acme.vote(proposal, third, "agree")
    casts = [
        voting.Cast(proposal.id, first.id, "agree", "tenancy:a"),
        voting.Cast(proposal.id, other.tenancies()[0].id, "agree", "tenancy:x"),
        voting.Cast(proposal.id, first.id, "disagree", "tenancy:a", comment="  Toch niet  "),
        voting.Cast(proposal.id, second.id, "agree", "tenancy:b", channel="carrier pigeon"),
        voting.Cast(proposal.id, third.id, "disagree", "tenancy:c"),
        voting.Cast(proposal.id, second.id, "disagree", "tenancy:b"),
    ]
    with new_session(acme.engine) as session:
        outcomes = voting.cast_many(session, casts)
    refused = [o.code for o in outcomes if isinstance(o, voting.VotingError)]
    assert refused == ["not_eligible", "bad_channel"]
    a1, _, a2, _, c, b = outcomes
    assert (a1.previous_choice, a2.previous_choice, b.previous_choice) == (None, "agree", None)
    assert a1.ballot_id == a2.ballot_id and c.ballot_id == earlier.ballot_id
    assert c.previous_choice == "agree" and all(o.counted for o in (a1, a2, b, c))
    assert a1.cast_at <= a2.cast_at
    counted = {(x.tenancy_id, x.choice, x.receipt) for x in ballots(acme)}
    assert counted == {(first.id, "disagree", a2.receipt), (second.id, "disagree", b.receipt),
                       (third.id, "disagree", c.receipt)}  # fmt: skip
    events = acme.all(BallotEvent)
    assert [e.receipt for e in events] == [earlier.receipt] + [o.receipt for o in (a1, a2, c, b)]
    assert events[2].comment == "Toch niet"
    audit = [e for e in acme.all(AuditEvent) if e.action.startswith("ballot.")]
    assert [(e.action, e.object_id) for e in audit[1:]] == [
        ("ballot.cast", str(a1.ballot_id)), ("ballot.changed", str(a1.ballot_id)),
        ("ballot.changed", str(c.ballot_id)), ("ballot.cast", str(b.ballot_id)),
    ]  # fmt: skip
    with new_session(acme.engine) as session:
        assert verify(session).first_broken_id is None


def test_an_earlier_dated_cast_in_a_batch_is_kept_but_not_counted(acme):
    proposal = acme.proposal(state="open")
    tenancy = acme.tenancies()[0]
    now = utcnow()
    casts = [
        voting.Cast(proposal.id, tenancy.id, "agree", "staff:1", "paper", now - timedelta(minutes=5)),
        voting.Cast(proposal.id, tenancy.id, "disagree", "staff:1", "paper", now - timedelta(hours=1)),
    ]  # fmt: skip
    with new_session(acme.engine) as session:
        kept, stale = voting.cast_many(session, casts)
    assert kept.counted and not stale.counted and stale.previous_choice == "agree"
    [ballot] = ballots(acme)
    assert (ballot.choice, ballot.receipt) == ("agree", kept.receipt)
    assert [e.counted for e in acme.all(BallotEvent)] == [True, False]


def test_an_insert_race_is_retried_as_an_update(acme, monkeypatch):
    """The first attempt misses the existing row, hits the unique constraint, retries."""
    proposal = acme.proposal(state="open")
    tenancy = acme.tenancies()[0]
    acme.vote(proposal, tenancy, "agree")
    real_households = voting._households
    missed = []

    def blind_households(*args):  # type: ignore[no-untyped-def]
        found = real_households(*args)
        if not missed:
            missed.append(True)
            for household in found.values():  # as if the tenancy had not voted yet
                household.ballot_id = household.choice = household.cast_at = None
        return found

    monkeypatch.setattr(voting, "_households", blind_households)
    result = acme.vote(proposal, tenancy, "disagree")
    assert missed and result.previous_choice == "agree"
    [ballot] = ballots(acme)
    assert ballot.choice == "disagree"
    assert len(acme.all(BallotEvent)) == 2


def test_concurrent_service_calls_yield_one_ballot(acme):
    proposal = acme.proposal(state="open")
    tenancy = acme.tenancies()[0]
    workers = 8
    barrier = threading.Barrier(workers)
    failures: list[BaseException] = []

    def cast(index: int) -> None:
        try:
            with new_session(acme.engine) as session:
                barrier.wait()
                voting.cast_ballot(
                    session, proposal_id=proposal.id, tenancy_id=tenancy.id,
                    choice="agree" if index % 2 else "disagree", actor=f"test:{index}",
                )  # fmt: skip
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(ballots(acme)) == 1
    assert len(acme.all(BallotEvent)) == workers


def test_concurrent_vote_requests_from_co_tenants_and_tabs_yield_one_ballot(acme, engine, settings):
    """Several browsers (two tabs, two co-tenants) post at once: exactly one ballot."""
    relaxed = replace(settings, code_attempts_per_code=100, code_attempts_per_client=100)
    app = create_app(relaxed, engine=engine)
    proposal = acme.proposal(state="open")
    tenancy = acme.tenancies()[0]
    code = acme.code(tenancy, proposal)
    workers = 6
    clients = [Client(app, base_url="http://testserver").__enter__() for _ in range(workers)]
    try:
        for browser in clients:
            assert browser.submit("/code?lang=nl", {"code": code}).status_code == 303
            browser.csrf()
        barrier = threading.Barrier(workers)
        statuses: list[int] = []

        def post(index: int) -> None:
            barrier.wait()
            choice = "agree" if index % 2 else "disagree"
            response = clients[index].submit(f"/voorstel/{proposal.id}/stem", {"choice": choice})
            statuses.append(response.status_code)

        threads = [threading.Thread(target=post, args=(i,)) for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [303] * workers
        [ballot] = ballots(acme)
        events = acme.all(BallotEvent)
        assert len(events) == workers and all(e.counted for e in events)
        assert ballot.receipt == max(events, key=lambda e: e.id).receipt  # the last one counts
        page = clients[0].get(f"/voorstel/{proposal.id}/bevestiging").text
        receipt = BeautifulSoup(page, "html.parser").find(id="receipt")
        assert receipt.get_text(strip=True) == ballot.receipt
    finally:
        for browser in clients:
            browser.__exit__(None, None, None)
