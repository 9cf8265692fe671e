"""Reminders: on the next-action date the assigned broker gets one email via the outbox."""

from datetime import date, timedelta

from sqlmodel import select

from consent import jobs
from consent.db import new_session, session_scope
from consent.moving import service
from consent.moving.jobs import moving_reminders, queue_reminders
from consent.moving.models import MovingSignup
from consent.outbox.models import OutboxMessage
from consent.outbox.render import render_email
from consent.outbox.sender import send_due
from consent.templating import make_environment
from tests.moving.moving_helpers import NEEDS, make_signup, office, signup_row

DAY = date(2031, 3, 15)


def _plan(engine, signup_id, user, on, note="Bellen over de woning"):
    with session_scope(engine) as session:
        signup = session.get(MovingSignup, signup_id)
        service.set_next_action(session, user, signup, on, note)


def _messages(engine):
    with new_session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def test_reminder_is_queued_on_the_day_once(engine, settings):
    o = office(engine)
    signup = make_signup(
        engine, o.world.corporation.id, broker_id=o.broker.id, needs=NEEDS, consent=True
    )
    _plan(engine, signup.id, o.broker, DAY)
    assert queue_reminders(engine, settings, on=DAY - timedelta(days=1)) == 0
    assert queue_reminders(engine, settings, on=DAY) == 1
    assert queue_reminders(engine, settings, on=DAY + timedelta(days=2)) == 0  # not twice
    [message] = _messages(engine)
    assert (message.recipient, message.template, message.channel) == (
        o.broker.email,
        "moving_reminder",
        "email",
    )
    assert signup_row(engine, signup.id).reminded_for == DAY
    subject, body = render_email(make_environment(), message)
    assert subject == f"Herinnering: aanmelding {signup.id} vraagt actie"
    assert "15 maart 2031" in body and "Bellen over de woning" in body
    assert f"{settings.base_url}/medewerkers/verhuizen/{signup.id}" in body
    assert "rollator" not in body and "Tenant" not in body  # no care needs, no tenant name


def test_a_new_date_gives_a_new_reminder(engine, settings):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id, broker_id=o.broker.id)
    _plan(engine, signup.id, o.broker, DAY)
    queue_reminders(engine, settings, on=DAY)
    _plan(engine, signup.id, o.broker, DAY + timedelta(days=7))
    assert queue_reminders(engine, settings, on=DAY + timedelta(days=6)) == 0
    assert queue_reminders(engine, settings, on=DAY + timedelta(days=7)) == 1
    assert len(_messages(engine)) == 2


def test_no_reminder_without_broker_or_for_closed_cases(engine, settings):
    o = office(engine)
    cid = o.world.corporation.id
    unassigned = make_signup(engine, cid)
    stopped = make_signup(engine, cid, broker_id=o.broker.id, status="stopped")
    for signup in (unassigned, stopped):
        _plan(engine, signup.id, o.admin, DAY)
    assert queue_reminders(engine, settings, on=DAY) == 0
    assert _messages(engine) == []


def test_reminder_job_is_registered_before_the_outbox(engine, settings):
    jobs.discover()
    assert moving_reminders in jobs.JOBS and send_due in jobs.JOBS
    assert jobs.JOBS.index(moving_reminders) < jobs.JOBS.index(send_due)
    assert moving_reminders(engine, settings) == "moving: 0 reminders queued"


def test_a_new_broker_gets_the_reminder(engine, settings):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id, broker_id=o.broker.id)
    _plan(engine, signup.id, o.broker, DAY)
    queue_reminders(engine, settings, on=DAY)
    with session_scope(engine) as session:
        row = session.get(MovingSignup, signup.id)
        assert service.assign(session, o.admin, row, o.other_broker.id)
    assert queue_reminders(engine, settings, on=DAY) == 1
    assert [m.recipient for m in _messages(engine)] == [o.broker.email, o.other_broker.email]
