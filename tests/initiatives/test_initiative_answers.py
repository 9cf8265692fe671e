"""The answer clock in the service: submission, pauses for information, answers, overdue job."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from consent.db import new_session, session_scope
from consent.housing.models import Tenancy
from consent.initiatives import answers, jobs, service
from consent.initiatives.models import Initiative, Pause, Status
from consent.initiatives.service import InitiativeError
from consent.measures import decode
from consent.proposals.models import Proposal, ProposalMeasure
from consent.timeutil import utcnow
from tests.factories import corporation_with_complex, tenancies
from tests.initiatives.initiative_helpers import make_initiative, outbox, reload, set_corporation


def _submit(engine, settings, initiative_id):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        service.submit(session, settings, initiative_id, actor="test")
    return reload(engine, initiative_id)


def _shift(engine, initiative_id: int, days: int) -> None:
    """Move the submission (and any pauses) `days` into the past, keeping due_at consistent."""
    with session_scope(engine) as session:
        found = session.get(Initiative, initiative_id)
        assert found is not None and found.submitted_at is not None
        found.submitted_at -= timedelta(days=days)
        for pause in service.pauses(session, initiative_id):
            pause.started_at -= timedelta(days=days)
            if pause.ended_at:
                pause.ended_at -= timedelta(days=days)
            session.add(pause)
        service.refresh_due(session, found)
        session.add(found)


def test_submission_starts_the_corporations_response_period(engine, settings):
    world = corporation_with_complex(engine)
    set_corporation(engine, world.corporation.id, initiative_response_days=30)
    initiative = make_initiative(engine, settings, world)
    found = _submit(engine, settings, initiative.id)
    assert found.status == Status.SUBMITTED
    assert found.due_at is not None and found.submitted_at is not None
    local_days = (found.due_at - found.submitted_at).total_seconds() / 86400
    assert 29.9 < local_days < 30.1  # 30 calendar days (± an hour for daylight saving)


def test_more_information_pauses_and_the_reply_extends_the_deadline(engine, settings):
    world = corporation_with_complex(engine)
    initiative = make_initiative(engine, settings, world)
    _submit(engine, settings, initiative.id)
    _shift(engine, initiative.id, 10)
    before = reload(engine, initiative.id).due_at
    with session_scope(engine) as session:
        answers.request_info(
            session, settings, initiative.id, actor="staff:1", question="Welk dak?"
        )
    paused = reload(engine, initiative.id)
    assert paused.status == Status.MORE_INFO_NEEDED and paused.due_at is None
    # The pause lasted three days.
    with session_scope(engine) as session:
        session.execute(
            update(Pause).where(Pause.initiative_id == initiative.id)
            .values(started_at=utcnow() - timedelta(days=3))
        )  # fmt: skip
    with session_scope(engine) as session:
        answers.give_info(
            session, settings, initiative.id, actor="tenancy:1", text="Het platte dak."
        )
    resumed = reload(engine, initiative.id)
    assert resumed.status == Status.SUBMITTED
    assert before is not None and resumed.due_at is not None
    assert timedelta(days=2, hours=23) < resumed.due_at - before < timedelta(days=3, minutes=1)


def test_reject_needs_reasons_and_answers_need_a_submitted_initiative(engine, settings):
    world = corporation_with_complex(engine)
    initiative = make_initiative(engine, settings, world)
    with pytest.raises(InitiativeError, match="state"), session_scope(engine) as session:
        answers.accept(session, settings, initiative.id, actor="staff:1")
    _submit(engine, settings, initiative.id)
    with pytest.raises(InitiativeError, match="reasons"), session_scope(engine) as session:
        answers.reject(session, settings, initiative.id, actor="staff:1", reasons="  ")
    with session_scope(engine) as session:
        answers.reject(session, settings, initiative.id, actor="staff:1", reasons="Te duur.")
    found = reload(engine, initiative.id)
    assert found.status == Status.REJECTED and found.answer_reasons == "Te duur."


def test_accept_can_create_a_draft_proposal_with_the_initiative_content(engine, settings):
    world = corporation_with_complex(engine)
    initiative = make_initiative(engine, settings, world)
    _submit(engine, settings, initiative.id)
    with session_scope(engine) as session:
        answers.accept(session, settings, initiative.id, actor="staff:1", create_proposal=True)
    found = reload(engine, initiative.id)
    assert found.status == Status.ACCEPTED and found.proposal_id
    with new_session(engine) as session:
        proposal = session.get(Proposal, found.proposal_id)
        measures = session.exec(
            select(ProposalMeasure).where(ProposalMeasure.proposal_id == proposal.id)
        ).all()
    assert proposal.status == "draft" and proposal.complex_id == world.complex.id
    assert proposal.title == "Zonnepanelen op het dak"
    assert [m.tag for m in measures] == decode(found.measures)
    assert proposal.opens_at > found.answered_at


def test_every_status_change_is_queued_in_each_recipients_language(engine, settings):
    world = corporation_with_complex(engine)
    homes = tenancies(engine, world.corporation.id)
    initiator, neighbour, silent = homes[0], homes[1], homes[2]
    with session_scope(engine) as session:
        session.execute(update(Tenancy).where(Tenancy.id == initiator.id).values(language="tr"))
        session.execute(update(Tenancy).where(Tenancy.id == neighbour.id).values(language="pl"))
        session.execute(update(Tenancy).where(Tenancy.id == silent.id).values(email=""))
    initiative = make_initiative(engine, settings, world, initiator)
    with session_scope(engine) as session:
        service.open_for_signing(session, settings, initiative.id, actor="test")
    with session_scope(engine) as session:
        service.sign(session, settings, initiative.id, neighbour.id)
        service.sign(session, settings, initiative.id, silent.id)
    before = len(outbox(engine, "initiative_status"))
    _submit(engine, settings, initiative.id)
    messages = outbox(engine, "initiative_status")[before:]
    assert sorted((m.recipient, m.language) for m in messages) == sorted(
        [(initiator.email, "tr"), (neighbour.email, "pl")]
    )  # the signer without an email gets nothing; nobody else in the complex is mailed
    context = json.loads(messages[0].context)
    assert context["status"] == "submitted" and context["link"].endswith(
        f"/initiatieven/{initiative.id}"
    )
    assert context["due"]


def test_overdue_initiatives_are_flagged_and_the_initiator_told_once(engine, settings):
    world = corporation_with_complex(engine)
    initiative = make_initiative(engine, settings, world)
    _submit(engine, settings, initiative.id)
    assert "0 initiator" in jobs.notify_overdue(engine, settings)
    _shift(engine, initiative.id, 43)
    found = reload(engine, initiative.id)
    assert found.due_at is not None and found.due_at < utcnow()
    assert "1 initiator" in jobs.notify_overdue(engine, settings)
    assert "0 initiator" in jobs.notify_overdue(engine, settings)
    told = outbox(engine, "initiative_overdue")
    assert len(told) == 1
    assert told[0].recipient == tenancies(engine, world.corporation.id)[0].email


def test_overdue_job_is_registered(engine, settings):
    from consent import jobs as registry

    registry.discover()
    assert jobs.notify_overdue in registry.JOBS


def test_queued_emails_render_with_a_subject_line(engine, settings):
    from consent.outbox.render import render_email
    from consent.templating import make_environment

    world = corporation_with_complex(engine)
    initiative = make_initiative(engine, settings, world, measures=[])
    _submit(engine, settings, initiative.id)
    with session_scope(engine) as session:
        answers.reject(
            session, settings, initiative.id, actor="staff:1", reasons="Te duur.\nSorry."
        )
    env = make_environment()
    for message in outbox(engine, "initiative_status"):
        subject, body = render_email(env, message)
        assert subject == "Nieuws over het initiatief: Zonnepanelen op het dak"
        assert f"/initiatieven/{initiative.id}" in body
    rejected = outbox(engine, "initiative_status")[-1]
    body = render_email(env, rejected)[1]
    assert "afgewezen" in body and "Te duur.\nSorry." in body and "kantonrechter" not in body
