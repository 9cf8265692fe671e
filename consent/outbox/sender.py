"""Send due email messages: claim a small batch, send it, record each result.

Claiming is safe with several `consent jobs run-due` at once. A claim sets a lease
(`claimed_until`, `claimed_by`) in one short transaction; sending happens outside any
transaction, so no lock is held while the mail server answers. On PostgreSQL the claim
selects its rows with FOR UPDATE SKIP LOCKED, so concurrent senders skip each other's
rows instead of waiting. On SQLite the claim is one UPDATE statement, atomic under
SQLite's single writer. A sender that dies leaves its lease; once the lease has run out,
the next run sends those messages again (at least once, never lost).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from functools import cache

from jinja2 import Environment
from sqlalchemy import func, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from consent.audit.service import Action, record
from consent.db import new_session, session_scope
from consent.outbox.backends import Backend, open_backend
from consent.outbox.models import OutboxMessage
from consent.outbox.render import build_email, render_email
from consent.outbox.rules import BATCH_SIZE, LEASE, backoff, error_text
from consent.settings import Settings
from consent.templating import make_environment
from consent.timeutil import utcnow

log = logging.getLogger(__name__)
ACTOR = "outbox"


@cache
def environment() -> Environment:
    return make_environment()


def claim(engine: Engine, limit: int = BATCH_SIZE) -> tuple[str, Sequence[OutboxMessage]]:
    """Lease up to `limit` due, unsent, unclaimed email messages; return the lease token."""
    token = uuid.uuid4().hex
    now = utcnow()
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.channel == "email",
            col(OutboxMessage.sent_at).is_(None),
            OutboxMessage.due_at <= now,
            or_(
                col(OutboxMessage.claimed_until).is_(None),
                col(OutboxMessage.claimed_until) < now,
            ),
        )
        .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite renders no FOR UPDATE
    )
    with session_scope(engine) as session:
        session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(due))
            .values(claimed_until=now + LEASE, claimed_by=token)
        )
        rows = session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.claimed_by) == token)
            .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
        ).all()
    return token, rows


def _finish(engine: Engine, message: OutboxMessage, token: str, error: str | None) -> None:
    """Record one attempt: sent, or failed with the next try pushed back."""
    now = utcnow()
    attempts = message.attempts + 1
    values: dict[str, object] = {"attempts": attempts, "claimed_until": None, "claimed_by": ""}
    if error is None:
        # The context may hold a tenant's code or other personal data: once the email
        # is sent it is not needed any more.
        values.update(sent_at=now, last_error="", context="{}")
    else:
        values.update(last_error=error, due_at=now + backoff(attempts))
    with session_scope(engine) as session:
        result = session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == message.id, col(OutboxMessage.claimed_by) == token)
            .values(**values)
        )
        if result.rowcount != 1:  # our lease ran out and another sender took it over
            log.warning("outbox message %s: lease lost before its result was saved", message.id)
            return
        details: dict[str, object] = {"template": message.template, "attempts": attempts}
        if error is not None:
            details["error"] = error
        record(
            session,
            actor=ACTOR,
            action=Action.MESSAGE_SENT if error is None else Action.MESSAGE_FAILED,
            object_type="outbox_message",
            object_id=message.id,
            corporation_id=message.corporation_id,
            details=details,
        )


def _deliver(
    engine: Engine,
    settings: Settings,
    backend: Backend,
    message: OutboxMessage,
    token: str,
) -> bool:
    try:
        subject, body = render_email(environment(), message)
        backend.send(build_email(settings, message, subject, body))
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried
        error = error_text(exc)
        log.warning("outbox message %s not sent: %s", message.id, error)
        _finish(engine, message, token, error)
        return False
    _finish(engine, message, token, None)
    return True


def letters_waiting(engine: Engine) -> int:
    with new_session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.channel == "letter", col(OutboxMessage.sent_at).is_(None))
        ).one()


def send_due(engine: Engine, settings: Settings) -> str:
    """Send every due email message; one summary line (no personal data)."""
    sent = failed = 0
    with open_backend(settings) as backend:
        while True:
            token, batch = claim(engine, BATCH_SIZE)
            if not batch:
                break
            for message in batch:
                if _deliver(engine, settings, backend, message, token):
                    sent += 1
                else:
                    failed += 1
    return f"outbox: {sent} sent, {failed} failed, {letters_waiting(engine)} letters waiting"
