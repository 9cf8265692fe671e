"""send_due: SMTP delivery, language, letters, back-off, failing, audit, console."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from consent.audit.models import AuditEvent
from consent.audit.service import verify
from consent.db import new_session, session_scope
from consent.outbox.models import OutboxMessage
from consent.outbox.rules import FAILING_AFTER, MAX_RETRY
from consent.outbox.sender import send_due
from consent.outbox.service import failing, pending_letters
from consent.settings import Settings
from consent.timeutil import utcnow

pytestmark = pytest.mark.usefixtures("use_test_templates")


def row(engine: Engine, message_id: int) -> OutboxMessage:
    with new_session(engine) as session:
        found = session.get(OutboxMessage, message_id)
        assert found is not None
        return found


def make_due(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.exec(update(OutboxMessage).values(due_at=utcnow() - timedelta(seconds=1)))


def audit(engine: Engine) -> list[AuditEvent]:
    with new_session(engine) as session:
        query = select(AuditEvent).where(col(AuditEvent.action).startswith("outbox."))
        return list(session.exec(query.order_by(col(AuditEvent.id))).all())


def test_sends_due_messages_over_smtp_in_each_recipients_language(
    engine, smtp_server, smtp_settings, queue
) -> None:
    first = queue("jan@example.nl", language="nl")
    second = queue("amal@example.nl", language="ar", context={"name": "Amal", "raw": ""})
    later = queue("later@example.nl", due_at=utcnow() + timedelta(hours=1))

    assert send_due(engine, smtp_settings) == "outbox: 2 sent, 0 failed, 0 letters waiting"

    by_recipient = {email["To"]: email for email in smtp_server.emails()}
    assert set(by_recipient) == {"jan@example.nl", "amal@example.nl"}
    assert by_recipient["jan@example.nl"]["Subject"] == "Bericht (nl) voor Jan"
    assert by_recipient["amal@example.nl"]["Subject"] == "Bericht (ar) voor Amal"
    assert "Taal: ar, richting: rtl." in by_recipient["amal@example.nl"].get_content()
    assert by_recipient["jan@example.nl"]["From"] == smtp_settings.mail_from
    assert row(engine, first).sent_at is not None and row(engine, second).sent_at is not None
    assert row(engine, later).sent_at is None
    assert row(engine, first).context == "{}"  # personal data is not kept after sending
    assert json.loads(row(engine, later).context) == {"name": "Jan", "raw": ""}

    events = audit(engine)
    assert [e.action for e in events] == ["outbox.sent", "outbox.sent"]
    assert all("@" not in e.details and "Jan" not in e.details for e in events)
    with new_session(engine) as session:
        assert verify(session).first_broken_id is None

    assert send_due(engine, smtp_settings) == "outbox: 0 sent, 0 failed, 0 letters waiting"
    assert len(smtp_server.emails()) == 2


def test_failure_is_retried_with_back_off_and_never_lost(
    engine, smtp_server, smtp_settings, queue
) -> None:
    message_id = queue("weiger@example.nl")
    smtp_server.reject["weiger@example.nl"] = 451

    before = utcnow()
    assert send_due(engine, smtp_settings) == "outbox: 0 sent, 1 failed, 0 letters waiting"
    failed = row(engine, message_id)
    assert failed.attempts == 1 and failed.sent_at is None
    assert failed.last_error == "SMTPRecipientsRefused 451"
    assert before + timedelta(minutes=1) <= failed.due_at <= utcnow() + timedelta(minutes=1)
    assert failed.claimed_until is None and failed.claimed_by == ""

    # Not due yet: the next run leaves it alone.
    assert send_due(engine, smtp_settings) == "outbox: 0 sent, 0 failed, 0 letters waiting"

    make_due(engine)
    assert send_due(engine, smtp_settings).startswith("outbox: 0 sent, 1 failed")
    second = row(engine, message_id)
    assert second.attempts == 2
    assert second.due_at - utcnow() > timedelta(minutes=1, seconds=50)

    del smtp_server.reject["weiger@example.nl"]
    make_due(engine)
    assert send_due(engine, smtp_settings).startswith("outbox: 1 sent, 0 failed")
    sent = row(engine, message_id)
    assert sent.sent_at is not None and sent.attempts == 3 and sent.last_error == ""
    assert [e.action for e in audit(engine)] == ["outbox.failed", "outbox.failed", "outbox.sent"]
    failure = json.loads(audit(engine)[0].details)
    assert failure == {
        "attempts": 1,
        "error": "SMTPRecipientsRefused 451",
        "template": "outbox_lang",
    }
    assert [email["To"] for email in smtp_server.emails()] == ["weiger@example.nl"]


def test_unreachable_server_is_a_failure_without_personal_data(
    engine, smtp_settings, queue
) -> None:
    message_id = queue("jan@example.nl")
    closed = dataclasses.replace(smtp_settings, smtp_port=1)  # nothing listens there
    assert send_due(engine, closed) == "outbox: 0 sent, 1 failed, 0 letters waiting"
    assert row(engine, message_id).last_error == "ConnectionRefusedError"


def test_a_broken_template_fails_that_message_only(
    engine, smtp_server, smtp_settings, queue
) -> None:
    bad = queue("bad@example.nl", template="outbox_bad")
    missing = queue("missing@example.nl", template="does_not_exist")
    good = queue("good@example.nl")
    assert send_due(engine, smtp_settings) == "outbox: 1 sent, 2 failed, 0 letters waiting"
    assert row(engine, bad).last_error.startswith("TemplateFormatError: emails/outbox_bad.txt")
    assert row(engine, missing).last_error == "TemplateNotFound: emails/does_not_exist.txt"
    assert row(engine, good).sent_at is not None


def test_failing_after_many_attempts_keeps_retrying_at_the_cap(
    engine, smtp_server, smtp_settings, queue, other_corporation_id
) -> None:
    message_id = queue("weiger@example.nl")
    queue("weiger@example.nl", corporation_id=other_corporation_id)
    smtp_server.reject["weiger@example.nl"] = 550
    for _attempt in range(FAILING_AFTER - 1):
        make_due(engine)
        send_due(engine, smtp_settings)
    corporation_id = row(engine, message_id).corporation_id
    with new_session(engine) as session:
        assert failing(session, corporation_id) == []
    make_due(engine)
    send_due(engine, smtp_settings)
    with new_session(engine) as session:
        assert [m.id for m in failing(session, corporation_id)] == [message_id]

    with session_scope(engine) as session:
        session.exec(update(OutboxMessage).values(attempts=40, due_at=utcnow()))
    send_due(engine, smtp_settings)
    capped = row(engine, message_id)
    assert capped.attempts == 41 and capped.sent_at is None
    assert MAX_RETRY - timedelta(minutes=1) < capped.due_at - utcnow() <= MAX_RETRY


def test_letters_are_not_emailed(
    engine, smtp_server, smtp_settings, queue, other_corporation_id
) -> None:
    letter = queue("Lindelaan 1, 3521 KL Utrecht", channel="letter")
    queue("Elders 2", channel="letter", corporation_id=other_corporation_id)
    assert send_due(engine, smtp_settings) == "outbox: 0 sent, 0 failed, 2 letters waiting"
    assert smtp_server.emails() == []
    stored = row(engine, letter)
    assert stored.sent_at is None and stored.attempts == 0
    with new_session(engine) as session:
        assert [m.id for m in pending_letters(session, stored.corporation_id)] == [letter]


def test_smtp_login_and_starttls(engine, smtp_server, smtp_settings, queue) -> None:
    smtp_server.credentials = ("mailer", "geheim")
    message_id = queue("jan@example.nl")
    wrong = dataclasses.replace(smtp_settings, smtp_user="mailer", smtp_password="fout")
    assert send_due(engine, wrong).startswith("outbox: 0 sent, 1 failed")
    assert row(engine, message_id).last_error == "SMTPAuthenticationError 535"

    make_due(engine)
    right = dataclasses.replace(smtp_settings, smtp_user="mailer", smtp_password="geheim")
    assert send_due(engine, right).startswith("outbox: 1 sent, 0 failed")

    # With STARTTLS configured, a server without TLS gets nothing in plain text.
    queue("piet@example.nl")
    smtp_server.offer_starttls = True
    tls = dataclasses.replace(right, smtp_starttls=True)
    assert send_due(engine, tls).startswith("outbox: 0 sent, 1 failed")
    assert [email["To"] for email in smtp_server.emails()] == ["jan@example.nl"]


def test_console_backend_prints_the_whole_message(
    engine, settings: Settings, queue, capsys: pytest.CaptureFixture[str]
) -> None:
    assert settings.mail_backend == "console"
    message_id = queue("jan@example.nl", language="en")
    assert send_due(engine, settings) == "outbox: 1 sent, 0 failed, 0 letters waiting"
    printed = capsys.readouterr().out
    assert "To: jan@example.nl" in printed
    assert "Subject: Bericht (en) voor Jan" in printed
    assert "Taal: en, richting: ltr." in printed
    assert row(engine, message_id).sent_at is not None
