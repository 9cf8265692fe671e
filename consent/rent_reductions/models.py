"""Rent-reduction tables: schemes enabled per corporation, requests, pauses, evidence."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from consent.timeutil import utcnow


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    MORE_INFO = "more_info"
    APPROVED = "approved"
    REJECTED = "rejected"


OPEN_STATUSES = (Status.SUBMITTED, Status.MORE_INFO)
DECIDED_STATUSES = (Status.APPROVED, Status.REJECTED)


class CorporationScheme(SQLModel, table=True):
    """A scheme (by file id) switched on or off for one corporation."""

    __table_args__ = (UniqueConstraint("corporation_id", "scheme_id"),)
    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    scheme_id: str = Field(max_length=60)
    enabled: bool = False
    changed_at: datetime = Field(default_factory=utcnow)
    changed_by: str = Field(default="", max_length=120)


class ReductionRequest(SQLModel, table=True):
    """One request; a draft (status draft, no reference yet) until the tenant sends it.

    ``answers`` is JSON: adults (name, birth_date, income_cents), children (birth_date),
    rent_cents, earlier (scheme ids), income_dropped_on. ``checklist`` is a JSON list of
    the scheme's evidence codes the case worker has ticked.
    """

    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    scheme_id: str = Field(max_length=60)
    scheme_name: str = Field(max_length=200)
    reference: str | None = Field(default=None, unique=True, max_length=20)
    status: str = Field(default=Status.DRAFT.value, max_length=12, index=True)
    answers: str = "{}"
    checklist: str = "[]"
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    # The day in the Netherlands it was sent: eligibility and start date count from it.
    submitted_on: date | None = None
    assigned_to: int | None = Field(default=None, foreign_key="staffuser.id")
    decided_at: datetime | None = Field(default=None, index=True)
    decided_by: int | None = Field(default=None, foreign_key="staffuser.id")
    old_rent_cents: int | None = None
    new_rent_cents: int | None = None
    start_date: date | None = None
    reject_reason: str = ""
    evidence_deleted_at: datetime | None = None


class ReductionPause(SQLModel, table=True):
    """The answer clock stands still while the case worker waits for information."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="reductionrequest.id", index=True)
    started_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    question: str = ""
    answer: str = ""


class EvidenceFile(SQLModel, table=True):
    """An uploaded document; the file lives under upload_dir with a random name."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="reductionrequest.id", index=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    kind: str = Field(max_length=40)
    original_name: str = Field(default="", max_length=200)
    stored_name: str = Field(max_length=80, unique=True)
    content_type: str = Field(max_length=40)
    size: int
    uploaded_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None
