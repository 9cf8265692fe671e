"""Notifications are rows first; `consent jobs run-due` sends them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from consent.timeutil import utcnow


class OutboxMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    channel: str = Field(default="email", max_length=10)  # email | letter
    recipient: str = Field(max_length=200)
    language: str = Field(default="nl", max_length=5)
    template: str = Field(max_length=100)
    context: str = "{}"
    created_at: datetime = Field(default_factory=utcnow)
    due_at: datetime = Field(default_factory=utcnow, index=True)
    attempts: int = 0  # send attempts made (failed ones, plus the one that succeeded)
    last_error: str = ""  # the last failure, without personal data
    sent_at: datetime | None = Field(default=None, index=True)  # letters: when printed
    # A sender's lease: the row is being sent by `claimed_by` until `claimed_until`;
    # after that another run may pick it up again (its sender died).
    claimed_until: datetime | None = None
    claimed_by: str = Field(default="", max_length=32, index=True)
