"""Tenant initiatives: the request, its co-signatures, status history, pauses, attachments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from consent.timeutil import utcnow


class Status(StrEnum):
    DRAFT = "draft"
    COLLECTING = "collecting"
    SUBMITTED = "submitted"
    MORE_INFO_NEEDED = "more_info_needed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Initiative(SQLModel, table=True):
    """One initiative for a complex, or for one home (`unit_id` set) of that complex.

    Started either by a tenancy (with its code) or by a committee member (staff user).
    `due_at` caches the answer clock (consent.clock.deadline); None before submission and
    while the clock is paused.
    """

    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    complex_id: int = Field(foreign_key="complex.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    initiator_tenancy_id: int | None = Field(default=None, foreign_key="tenancy.id", index=True)
    initiator_staff_id: int | None = Field(default=None, foreign_key="staffuser.id")
    title: str = Field(max_length=200)
    measures: str = Field(default="", max_length=300)
    measure_text: str = Field(default="", sa_type=Text)
    reason: str = Field(default="", sa_type=Text)
    offer_cents: int | None = None
    status: str = Field(default=Status.DRAFT.value, max_length=20, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    due_at: datetime | None = Field(default=None, index=True)
    answered_at: datetime | None = None
    answer_reasons: str = Field(default="", sa_type=Text)
    overdue_notified_at: datetime | None = None
    proposal_id: int | None = None


class StatusChange(SQLModel, table=True):
    __tablename__ = "initiative_status_change"
    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    from_status: str = Field(default="", max_length=20)
    to_status: str = Field(max_length=20)
    at: datetime = Field(default_factory=utcnow)
    by_staff: bool = False
    note: str = Field(default="", sa_type=Text)


class Signature(SQLModel, table=True):
    __tablename__ = "initiative_signature"
    __table_args__ = (UniqueConstraint("initiative_id", "tenancy_id"),)
    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    signed_at: datetime = Field(default_factory=utcnow)


class Pause(SQLModel, table=True):
    """The answer clock stands still from `started_at` (information asked) to `ended_at`."""

    __tablename__ = "initiative_pause"
    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    started_at: datetime
    ended_at: datetime | None = None


class Attachment(SQLModel, table=True):
    __tablename__ = "initiative_attachment"
    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    filename: str = Field(max_length=120)
    stored_name: str = Field(max_length=80, unique=True)
    content_type: str = Field(max_length=40)
    size: int
    uploaded_at: datetime = Field(default_factory=utcnow)
