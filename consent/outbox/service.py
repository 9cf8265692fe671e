"""Queue a notification as a row; `consent jobs run-due` sends it later."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session

from consent.outbox.models import OutboxMessage
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
