"""The append-only audit log: each row carries the hash of the row before it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from consent.timeutil import utcnow

GENESIS = "0" * 64


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    corporation_id: int | None = Field(default=None, index=True)
    actor: str = Field(max_length=120)
    action: str = Field(max_length=60)
    object_type: str = Field(max_length=40)
    object_id: str = Field(max_length=60)
    details: str = ""
    prev_hash: str = Field(max_length=64, unique=True)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """One row holding the newest hash; updating it serialises writers on every database."""

    id: int = Field(default=1, primary_key=True)
    last_hash: str = Field(default=GENESIS, max_length=64)
