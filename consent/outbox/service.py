"""Queue a notification as a row; `consent jobs run-due` sends it later."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from consent.outbox.models import OutboxMessage
from consent.outbox.rules import FAILING_AFTER
from consent.timeutil import utcnow


def enqueue(
    session: Session,
    *,
    corporation_id: int,
    recipient: str,
    language: str,
    template: str,
    context: dict[str, Any],
    channel: str = "email",
    due_at: datetime | None = None,
) -> OutboxMessage:
    """Add a message in the caller's transaction.

    `template` names templates/emails/<template>.txt (subject on the first line) for
    email, or templates/letters/<template>.html for a letter; `context` must be JSON.
    `channel` is "email", or "letter" for a letter queued for staff to print.
    """
    message = OutboxMessage(
        corporation_id=corporation_id,
        channel=channel,
        recipient=recipient,
        language=language,
        template=template,
        context=json.dumps(context, default=str),
        due_at=due_at or utcnow(),
    )
    session.add(message)
    session.flush()
    return message


def pending_letters(session: Session, corporation_id: int) -> Sequence[OutboxMessage]:
    """Letters queued for staff to print (set `sent_at` once printed), oldest first."""
    return session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.corporation_id == corporation_id,
            OutboxMessage.channel == "letter",
            col(OutboxMessage.sent_at).is_(None),
        )
        .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id))
    ).all()


def failing(session: Session, corporation_id: int) -> Sequence[OutboxMessage]:
    """Unsent email messages that failed FAILING_AFTER times or more (still retried)."""
    return session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.corporation_id == corporation_id,
            OutboxMessage.channel == "email",
            col(OutboxMessage.sent_at).is_(None),
            OutboxMessage.attempts >= FAILING_AFTER,
        )
        .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id))
    ).all()
