"""The outbox's due job: send due email messages."""

from __future__ import annotations

from consent.jobs import register
from consent.outbox.sender import send_due

register(send_due)
