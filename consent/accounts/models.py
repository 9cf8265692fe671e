"""Staff accounts, roles and API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from consent.timeutil import utcnow


class Role(StrEnum):
    ADMIN = "admin"
    PROJECT_LEADER = "project_leader"
    BROKER = "broker"
    CASE_WORKER = "case_worker"
    COMMITTEE = "committee"


class StaffUser(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    email: str = Field(unique=True, max_length=200)
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=20)
    complex_id: int | None = Field(default=None, foreign_key="complex.id")
    language: str = Field(default="nl", max_length=5)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="staffuser.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class StaffSession(SQLModel, table=True):
    """One sign-in: the session cookie carries its key, the database only the key's hash.

    A sign-in works while its row is not ended, so signing out, a password change and a
    switched-off account end it on the server, whatever copies of the cookie exist.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="staffuser.id", index=True)
    key_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
