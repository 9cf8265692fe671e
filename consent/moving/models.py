"""Programmes per corporation, sign-ups, their care needs (kept apart) and broker notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from consent.timeutil import utcnow


class Programme(SQLModel, table=True):
    """What a corporation offers tenants who move; parameters are data, edited by admin."""

    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    kind: str = Field(max_length=20)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=4000)
    priority_65_step_free: bool = False
    keep_old_rent: bool = False
    moving_allowance_cents: int | None = None
    phased_rent_years: int | None = None
    phased_rent_threshold_cents: int | None = None
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class MovingSignup(SQLModel, table=True):
    """A tenant's request for guidance, and the broker's case that follows from it.

    Care or disability needs are never stored here: see SignupCareNeeds.
    """

    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    tenancy_id: int | None = Field(default=None, foreign_key="tenancy.id", index=True)
    channel: str = Field(default="code", max_length=10)  # code | open
    created_at: datetime = Field(default_factory=utcnow)
    # Who and where (typed in without a code; prefilled from the tenancy with one).
    contact_name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    street_address: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=7)
    town: str = Field(default="", max_length=100)
    # What the tenant told us.
    programme_kind: str = Field(max_length=20)
    age_band: str = Field(max_length=10)
    household: str = Field(max_length=20)
    persons: int = 1
    home_type: str = Field(max_length=20)
    floor: int = 0
    rooms: int
    access: str = Field(max_length=10)  # stairs | lift | ground
    current_rent_cents: int | None = None
    wish_rooms: int | None = None
    wish_step_free: bool = False
    wish_area: str = Field(default="", max_length=200)
    wish_near_shops: bool = False
    wish_near_care: bool = False
    wish_clustered: bool = False
    budget_cents: int | None = None
    contact_by: str = Field(max_length=10)
    contact_when: str = Field(max_length=20)
    languages: str = Field(default="", max_length=100)  # comma-separated codes
    languages_other: str = Field(default="", max_length=200)
    # The broker's case.
    status: str = Field(default="new", max_length=20, index=True)
    stop_reason: str = Field(default="", max_length=500)
    broker_id: int | None = Field(default=None, foreign_key="staffuser.id", index=True)
    next_action_on: date | None = Field(default=None, index=True)
    next_action_note: str = Field(default="", max_length=300)
    reminded_for: date | None = None
    moved_on: date | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class SignupCareNeeds(SQLModel, table=True):
    """Special-category data (art. 9 GDPR): stored only with explicit consent,
    shown only to the broker assigned to the sign-up."""

    id: int | None = Field(default=None, primary_key=True)
    signup_id: int = Field(foreign_key="movingsignup.id", unique=True)
    needs: str = Field(max_length=2000)
    consented_at: datetime = Field(default_factory=utcnow)


class SignupNote(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    signup_id: int = Field(foreign_key="movingsignup.id", index=True)
    author_id: int = Field(foreign_key="staffuser.id")
    body: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)
