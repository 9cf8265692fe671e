"""Renovation proposals, their content, the frozen electorate, and ballots.

All timestamps are aware UTC. A tenancy has at most one counted `Ballot` per proposal
(unique constraint); every cast, whatever its channel, also adds a `BallotEvent`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from consent.timeutil import utcnow


class Proposal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    complex_id: int = Field(foreign_key="complex.id", index=True)
    status: str = Field(default="draft", max_length=20, index=True)
    counting_rule: str = Field(default="respondents", max_length=20)
    # Dutch content (binding); translations live in ProposalText.
    title: str = Field(max_length=200)
    summary: str = ""
    works: str = ""
    nuisance: str = ""
    temporary_home: str = ""
    rent_justification: str = ""
    energy_text: str = ""
    social_plan: str = ""
    lapse_statement: str = ""
    # Planning and money (cents; rent and energy changes are per month, signed).
    planned_start: date | None = None
    planned_end: date | None = None
    working_days: int | None = None
    stay_home: bool = True
    moving_allowance_cents: int | None = None
    energy_change_cents: int | None = None
    # Voting window, entered and shown in Europe/Amsterdam.
    opens_at: datetime
    closes_at: datetime
    # Consultation with the tenant committee (Overlegwet art. 5).
    consultation_started_at: datetime | None = None
    advice_received_at: datetime | None = None
    advice_text: str = ""
    advice_followed: bool | None = None
    answer_sent_at: datetime | None = None
    answer_text: str = ""
    consultation_skipped_at: datetime | None = None
    # Lifecycle.
    opened_at: datetime | None = None
    eligibility_date: date | None = None
    homes: int | None = None  # frozen when voting opens
    closed_at: datetime | None = None
    decided_at: datetime | None = None
    reached: bool | None = None
    notices_sent_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=120)


class ProposalText(SQLModel, table=True):
    """A translation of the proposal's text fields into one tenant language."""

    __table_args__ = (UniqueConstraint("proposal_id", "language"),)
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    language: str = Field(max_length=5)
    title: str = Field(default="", max_length=200)
    summary: str = ""
    works: str = ""
    nuisance: str = ""
    temporary_home: str = ""
    rent_justification: str = ""
    energy_text: str = ""
    social_plan: str = ""
    lapse_statement: str = ""
    updated_at: datetime = Field(default_factory=utcnow)


class ProposalMeasure(SQLModel, table=True):
    """One measure of the works: improvement or maintenance, with a tag."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    position: int = 0
    category: str = Field(max_length=20)  # improvement | maintenance
    tag: str = Field(max_length=30)
    description: str = Field(default="", max_length=500)
    rent_increase_cents: int = 0  # monthly rent increase asked for this measure


class ProposalRentChange(SQLModel, table=True):
    """The monthly rent change for one unit kind (sociale_huur, middenhuur, ...)."""

    __table_args__ = (UniqueConstraint("proposal_id", "unit_kind"),)
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    unit_kind: str = Field(max_length=20)
    monthly_change_cents: int


class ProposalQuestion(SQLModel, table=True):
    """A question and its answer, in one language (Dutch unless stated)."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    language: str = Field(default="nl", max_length=5)
    position: int = 0
    question: str = Field(max_length=500)
    answer: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class ProposalAttachment(SQLModel, table=True):
    """A document (PDF, JPEG, PNG) stored under settings.upload_dir."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    title: str = Field(max_length=200)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size: int
    stored_name: str = Field(unique=True, max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=120)


class ProposalExclusion(SQLModel, table=True):
    """A unit the project leader excludes from the ballot, with the reason."""

    __table_args__ = (UniqueConstraint("proposal_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    reason: str = Field(max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=120)


class ProposalVoter(SQLModel, table=True):
    """The electorate, frozen when voting opens: one row per eligible tenancy."""

    __table_args__ = (UniqueConstraint("proposal_id", "tenancy_id"),)
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)


class ExcludedUnit(SQLModel, table=True):
    """A unit without a ballot, frozen when voting opens, with its reason code and note."""

    __table_args__ = (UniqueConstraint("proposal_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    reason: str = Field(max_length=30)  # eligibility.ExclusionReason
    note: str = Field(default="", max_length=500)


class Ballot(SQLModel, table=True):
    """The counted ballot of one tenancy: updated in place when a later one arrives."""

    __table_args__ = (
        UniqueConstraint("proposal_id", "tenancy_id", name="uq_ballot_proposal_tenancy"),
        Index("ix_ballot_proposal_choice", "proposal_id", "choice"),
    )
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id")
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    choice: str = Field(max_length=10)  # agree | disagree
    channel: str = Field(max_length=12)  # online | paper | home_visit
    cast_at: datetime
    receipt: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class BallotEvent(SQLModel, table=True):
    """Every cast ballot, counted or not (a stale earlier-dated one is kept, not counted)."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    choice: str = Field(max_length=10)
    channel: str = Field(max_length=12)
    cast_at: datetime
    recorded_at: datetime = Field(default_factory=utcnow)
    receipt: str = Field(unique=True, max_length=20)
    comment: str = Field(default="", max_length=2000)
    actor: str = Field(default="", max_length=120)
    counted: bool = True


class ProposalResult(SQLModel, table=True):
    """The result frozen when voting closes."""

    proposal_id: int = Field(foreign_key="proposal.id", primary_key=True)
    counting_rule: str = Field(max_length=20)
    threshold_percent: int
    presumption_min_homes: int
    homes: int
    eligible: int
    excluded: int
    agree: int
    disagree: int
    closed_at: datetime
    audit_hash: str = Field(default="", max_length=64)
