"""Several senders at once: every message exactly once; a dead sender's lease runs out."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from consent.audit.models import AuditEvent
from consent.db import new_session, session_scope
from consent.outbox import sender
from consent.outbox.models import OutboxMessage
from consent.outbox.sender import claim, send_due
from consent.timeutil import utcnow

pytestmark = pytest.mark.usefixtures("use_test_templates")


def test_two_senders_at_once_send_each_message_exactly_once(
    engine: Engine, smtp_server, smtp_settings, queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipients = [f"huurder{i}@example.nl" for i in range(24)]
    for recipient in recipients:
        queue(recipient)
    monkeypatch.setattr(sender, "BATCH_SIZE", 3)  # many small claims, so they interleave
    smtp_server.data_delay = 0.005
    start = threading.Barrier(2)
    lines: list[str] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            lines.append(send_due(engine, smtp_settings))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert Counter(email["To"] for email in smtp_server.emails()) == Counter(recipients)
    sent = [int(line.split()[1]) for line in lines]
    assert sum(sent) == 24 and all("0 failed" in line for line in lines)
    assert all(n > 0 for n in sent), lines  # both senders did part of the work
    with new_session(engine) as session:
        assert all(m.sent_at for m in session.exec(select(OutboxMessage)).all())
        actions = session.exec(select(AuditEvent.action)).all()
        assert Counter(actions)["outbox.sent"] == 24


def test_claims_do_not_overlap_and_a_dead_senders_lease_runs_out(
    engine: Engine, smtp_server, smtp_settings, queue
) -> None:
    ids = [queue(f"huurder{i}@example.nl") for i in range(5)]
    token_a, claimed_a = claim(engine, 3)
    token_b, claimed_b = claim(engine, 3)
    assert [m.id for m in claimed_a] == ids[:3]
    assert [m.id for m in claimed_b] == ids[3:]
    assert token_a != token_b
    assert claim(engine, 3)[1] == []

    # Both "senders" died. Until their leases run out, nobody sends these.
    assert send_due(engine, smtp_settings).startswith("outbox: 0 sent")
    with session_scope(engine) as session:
        session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.claimed_by) == token_a)
            .values(claimed_until=utcnow() - timedelta(seconds=1))
        )
    assert send_due(engine, smtp_settings).startswith("outbox: 3 sent, 0 failed")
    assert sorted(email["To"] for email in smtp_server.emails()) == [
        f"huurder{i}@example.nl" for i in range(3)
    ]


def test_postgresql_claim_skips_locked_rows_without_waiting(engine: Engine, queue) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite claims with one atomic UPDATE")
    ids = [queue(f"huurder{i}@example.nl") for i in range(4)]
    with engine.connect() as other, other.begin():
        other.execute(
            text("SELECT id FROM outboxmessage WHERE id IN (:a, :b) FOR UPDATE"),
            {"a": ids[0], "b": ids[1]},
        )
        began = time.monotonic()
        _token, claimed = claim(engine, 10)
        assert time.monotonic() - began < 5
        assert [m.id for m in claimed] == ids[2:]
