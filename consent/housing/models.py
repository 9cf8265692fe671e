"""The housing register: corporations, complexes (cluster), units (eenheid), tenancies."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from consent.timeutil import utcnow

LANGUAGES = ("nl", "en", "tr", "ar", "pl", "uk")


class UnitKind(StrEnum):
    SOCIAL = "sociale_huur"
    MID_RENT = "middenhuur"
    FREE_SECTOR = "vrije_sector"
    SOLD = "koop"
    COMMERCIAL = "bedrijfsruimte"


RENTED_KINDS = (UnitKind.SOCIAL, UnitKind.MID_RENT, UnitKind.FREE_SECTOR)


class Corporation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=60)
    name: str = Field(max_length=200)
    help_phone: str = Field(default="", max_length=40)
    paper_four_eyes: bool = False
    initiative_response_days: int = 42
    initiative_support_percent: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Complex(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("corporation_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    code: str = Field(max_length=60)
    name: str = Field(max_length=200)


class Unit(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("corporation_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    complex_id: int = Field(foreign_key="complex.id", index=True)
    code: str = Field(max_length=60)
    street: str = Field(max_length=200)
    number: int
    letter: str = Field(default="", max_length=5)
    addition: str = Field(default="", max_length=20)
    postcode: str = Field(max_length=7, index=True)
    town: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    bare_rent_cents: int | None = None

    @property
    def address(self) -> str:
        addition = f"-{self.addition}" if self.addition else ""
        return f"{self.street} {self.number}{self.letter}{addition}"


class Tenancy(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("corporation_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    code: str = Field(max_length=60)
    start_date: date
    end_date: date | None = None
    language: str = Field(default="nl", max_length=5)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)


class Tenant(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    position: int = 0
    name: str = Field(max_length=200)
