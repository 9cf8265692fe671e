"""Proposal service and workflow: create, consult, open, close, decide, notices."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import select

from consent.audit.models import AuditEvent
from consent.db import new_session, session_scope
from consent.housing.models import Tenancy
from consent.outbox.models import OutboxMessage
from consent.outbox.render import render_email
from consent.proposals import codes, electorate, results, service, voting, workflow
from consent.proposals.inputs import InvalidInput, MeasureInput, ProposalInput
from consent.proposals.models import ExcludedUnit, Proposal, ProposalResult, ProposalVoter
from consent.templating import make_environment
from consent.timeutil import to_local, utcnow
from tests.factories import corporation_with_complex, staff


def actions(acme, proposal_id=None):
    rows = acme.all(AuditEvent)
    return [
        r.action
        for r in rows
        if proposal_id is None or (r.object_type == "proposal" and r.object_id == str(proposal_id))
    ]


def test_create_rejects_bad_input_with_every_error(acme):
    data = ProposalInput(complex="C-404", title="", summary="")
    with session_scope(acme.engine) as session, pytest.raises(InvalidInput) as caught:
        service.create_proposal(session, corporation_id=acme.corporation_id, data=data, actor="t")
    assert {"complex", "title", "summary", "opens_at", "closes_at"} <= set(caught.value.errors)


def test_create_stores_content_and_audits(acme):
    proposal = acme.proposal(
        rent_changes={"sociale_huur": 1500},
        measures=[MeasureInput("maintenance", "roof", "Nieuw dak", 0)],
    )
    assert proposal.status == "draft"
    with new_session(acme.engine) as session:
        assert [m.tag for m in service.measures_of(session, proposal.id)] == ["roof"]
        assert service.rent_changes_of(session, proposal.id)[0].monthly_change_cents == 1500
    assert "proposal.created" in actions(acme, proposal.id)


def test_moving_out_needs_allowance_of_at_least_the_statutory_minimum(acme):
    base = {
        "stay_home": False,
        "temporary_home": "Wisselwoning in de straat",
        "planned_start": date(2024, 6, 1),
    }
    with pytest.raises(InvalidInput) as caught:
        acme.proposal(moving_allowance_cents=700_000, **base)
    assert "moving_allowance" in caught.value.errors  # EUR 7,428 since 1 March 2024
    proposal = acme.proposal(moving_allowance_cents=742_800, **base)
    assert proposal.moving_allowance_cents == 742_800


def test_open_without_committee_records_the_skip_and_freezes_the_electorate(engine, settings):
    world = corporation_with_complex(engine, "acme", homes=12, vacant=2, sold=1)
    from tests.proposals.conftest import Acme

    acme = Acme(engine, settings, world)
    proposal = acme.proposal(state="open")
    assert proposal.consultation_skipped_at is not None
    assert proposal.homes == 14  # rented homes, vacant ones included; the sold flat is not
    assert len(acme.all(ProposalVoter)) == 12
    reasons = sorted(row.reason for row in acme.all(ExcludedUnit))
    assert reasons == ["sold", "vacant", "vacant"]
    assert actions(acme, proposal.id)[-2:] == ["proposal.consultation_skipped", "proposal.opened"]


def test_committee_consultation_gates_opening(acme):
    staff(acme.engine, "acme", "committee", complex_code=acme.world.complex.code)
    proposal = acme.proposal()
    with new_session(acme.engine) as session:
        current = session.get(Proposal, proposal.id)
        assert workflow.available_steps(session, current) == {"consult"}
        with pytest.raises(service.ProposalError):
            workflow.open_voting(session, current, "t")
        workflow.start_consultation(session, current, "t")
        assert "open" not in workflow.available_steps(session, current)
        with pytest.raises(service.ProposalError):
            workflow.open_voting(session, current, "t")
        workflow.record_advice(
            session, current, received_at=utcnow(), text="Liever in mei", followed=False, actor="t"
        )
        assert workflow.available_steps(session, current) == {"answer"}
        workflow.record_answer(
            session, current, sent_at=utcnow(), text="Mei kan niet door de aannemer", actor="t"
        )
        workflow.open_voting(session, current, "t")
        session.commit()
        assert current.status == "open" and current.consultation_skipped_at is None
    assert actions(acme, proposal.id)[1:4] == [  # after proposal.created
        "proposal.consultation_started",
        "proposal.advice_recorded",
        "proposal.answer_recorded",
    ]


def test_advice_period_ending_without_advice_allows_opening(acme):
    staff(acme.engine, "acme", "committee", complex_code=acme.world.complex.code)
    proposal = acme.proposal()
    with new_session(acme.engine) as session:
        current = session.get(Proposal, proposal.id)
        workflow.start_consultation(session, current, "t", sent_at=utcnow() - timedelta(days=43))
        assert "open" in workflow.available_steps(session, current)
        workflow.open_voting(session, current, "t")
        session.commit()


def test_exclusions_only_before_opening_and_listed_with_reason(acme):
    proposal = acme.proposal()
    unit_code = "acme-E-C-1-0001"
    with session_scope(acme.engine) as session:
        current = session.get(Proposal, proposal.id)
        electorate.add_exclusion(session, current, unit_code, "Wordt gesloopt", "t")
        with pytest.raises(service.ProposalError):
            electorate.add_exclusion(session, current, "no-such-unit", "x", "t")
    proposal = acme.advance(proposal, "open")
    excluded = acme.all(ExcludedUnit)
    assert [(row.reason, row.note) for row in excluded] == [("excluded", "Wordt gesloopt")]
    with new_session(acme.engine) as session, pytest.raises(service.ProposalError):
        electorate.add_exclusion(session, session.get(Proposal, proposal.id), unit_code, "x", "t")
    detail = next(e for e in acme.all(AuditEvent) if e.action == "proposal.exclusion_added")
    assert "Wordt gesloopt" not in detail.details  # free text is masked


def test_frozen_electorate_ignores_later_register_changes(acme):
    proposal = acme.proposal(state="open")
    first = acme.tenancies()[0]
    with session_scope(acme.engine) as session:
        row = session.get(Tenancy, first.id)
        row.end_date = date.today() - timedelta(days=1)
        session.add(row)
    result = acme.vote(proposal, first, "agree")
    assert result.counted
    with new_session(acme.engine) as session:
        assert results.tally_for(session, acme.reload(proposal)).eligible == 12


def test_close_freezes_the_result(acme):
    proposal = acme.proposal(state="open")
    tenancies = acme.tenancies()
    for tenancy in tenancies[:8]:
        acme.vote(proposal, tenancy, "agree")
    acme.vote(proposal, tenancies[8], "disagree")
    proposal = acme.advance(proposal, "closed")
    with pytest.raises(voting.VotingError):
        acme.vote(proposal, tenancies[9], "agree")
    frozen = acme.all(ProposalResult)[0]
    assert (frozen.eligible, frozen.agree, frozen.disagree) == (12, 8, 1)
    assert frozen.audit_hash == next(
        e.hash for e in acme.all(AuditEvent) if e.action == "proposal.closed"
    )
    with session_scope(acme.engine) as session:  # even a changed ballot row no longer counts
        from consent.proposals.models import Ballot

        for ballot in session.exec(select(Ballot)):
            ballot.choice = "disagree"
            session.add(ballot)
    with new_session(acme.engine) as session:
        tally = results.tally_for(session, acme.reload(proposal))
    assert (tally.agree, tally.disagree, tally.reached) == (8, 1, True)


def _reached_with_three_notices(acme):
    proposal = acme.proposal(state="open")
    tenancies = acme.tenancies()
    with session_scope(acme.engine) as session:  # one tenancy without email gets a letter
        row = session.get(Tenancy, tenancies[10].id)
        row.email = ""
        session.add(row)
    votes = {t.id: "agree" for t in tenancies[:9]}
    votes[tenancies[9].id] = "disagree"
    return acme.advance(proposal, "notices_sent", votes), tenancies


def test_notices_go_to_every_tenancy_that_did_not_agree(acme):
    proposal, tenancies = _reached_with_three_notices(acme)
    assert proposal.status == "notices_sent" and proposal.reached
    messages = sorted(acme.all(OutboxMessage), key=lambda m: json.loads(m.context)["tenancy"])
    assert [json.loads(m.context)["tenancy"] for m in messages] == [t.code for t in tenancies[9:]]
    assert [m.template for m in messages] == ["proposal_notice"] * 3
    assert [m.language for m in messages] == [t.language for t in tenancies[9:]]
    assert [m.channel for m in messages] == ["email", "letter", "email"]
    today = to_local(utcnow()).date()
    context = json.loads(messages[0].context)
    assert context["deadline"] == (today + timedelta(weeks=8)).isoformat()
    assert context["notice_date"] == today.isoformat()
    assert actions(acme, proposal.id)[-2:] == ["proposal.decided", "proposal.notices_sent"]


def test_notice_email_states_result_and_deadline(acme):
    _reached_with_three_notices(acme)
    for message in acme.all(OutboxMessage):  # in the tenant's own language: it renders
        subject, body = render_email(make_environment(), message)
        assert json.loads(message.context)["deadline_text"] in subject + body
    message = acme.all(OutboxMessage)[0]
    message.language = "nl"
    subject, body = render_email(make_environment(), message)
    context = json.loads(message.context)
    assert context["deadline_text"] in subject
    assert "kantonrechter" in body and "8 weken" in body
    assert "70 procent" in body and context["deadline_text"] in body


def test_not_reached_sends_no_notices(acme):
    proposal = acme.proposal(state="open")
    votes = {t.id: "disagree" for t in acme.tenancies()[:5]}
    proposal = acme.advance(proposal, "decided", votes)
    assert proposal.status == "decided" and proposal.reached is False
    with new_session(acme.engine) as session:
        current = session.get(Proposal, proposal.id)
        assert workflow.available_steps(session, current) == set()
        with pytest.raises(service.ProposalError):
            workflow.send_notices(session, current, "t")
    assert acme.all(OutboxMessage) == []


def test_fewer_than_ten_homes_has_no_presumption(engine, settings):
    from tests.proposals.conftest import Acme

    small = Acme(engine, settings, corporation_with_complex(engine, "klein", homes=8))
    proposal = small.proposal(state="open")
    for tenancy in small.tenancies():
        small.vote(proposal, tenancy, "agree")
    with new_session(engine) as session:
        tally = results.tally_for(session, small.reload(proposal))
    assert tally.reached and not tally.presumption_applies


def test_insulation_rent_increase_warns(acme):
    warned = acme.proposal(
        planned_start=date(2025, 3, 1),
        measures=[MeasureInput("improvement", "facade", "Gevelisolatie", 1000)],
    )
    free = acme.proposal(
        planned_start=date(2025, 3, 1),
        measures=[
            MeasureInput("improvement", "facade", "Gevelisolatie", 0),
            MeasureInput("improvement", "solar_panels", "Zonnepanelen", 1500),
        ],
    )
    before = acme.proposal(
        planned_start=date(2022, 3, 1),
        planned_end=date(2022, 9, 1),
        measures=[MeasureInput("improvement", "glazing", "HR++ glas", 1000)],
    )
    with new_session(acme.engine) as session:
        assert service.insulation_warning(session, warned) == date(2023, 1, 1)
        assert service.insulation_warning(session, free) is None
        assert service.insulation_warning(session, before) is None


def test_codes_go_once_to_each_eligible_tenancy(acme):
    proposal = acme.proposal()
    with session_scope(acme.engine) as session:
        first = codes.issue_missing(session, acme.settings, session.get(Proposal, proposal.id), "t")
    with session_scope(acme.engine) as session:
        second = codes.issue_missing(
            session, acme.settings, session.get(Proposal, proposal.id), "t"
        )
    assert len(first) == 12 and len({c.code for c in first}) == 12
    assert second == []
