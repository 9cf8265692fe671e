"""Tenants' personal codes: one per tenancy and purpose, stored only as a hash."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from consent.timeutil import utcnow


class Purpose(StrEnum):
    PROPOSAL = "proposal"
    INITIATIVE = "initiative"
    RENT_REDUCTION = "rent_reduction"
    MOVING = "moving"


class AccessCode(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    purpose: str = Field(max_length=20)
    object_id: int | None = None
    code_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class Throttle(SQLModel, table=True):
    """A fixed-window counter shared by all workers (sign-in and code entry)."""

    key: str = Field(primary_key=True, max_length=100)
    window_start: datetime
    count: int = 0
