"""Who may vote on a proposal: one ballot per current social/mid-rent tenancy.

Units without such a tenancy are excluded with a reason code, and the exclusion
list is part of the result (RULES.md section 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class UnitKind(StrEnum):
    """The kind of a unit in a complex."""

    SOCIALE_HUUR = "sociale_huur"
    MIDDENHUUR = "middenhuur"
    VRIJE_SECTOR = "vrije_sector"
    KOOP = "koop"
    BEDRIJFSRUIMTE = "bedrijfsruimte"


class ExclusionReason(StrEnum):
    """Why a unit gets no ballot."""

    VACANT = "vacant"
    SOLD = "sold"
    COMMERCIAL = "commercial"
    NOT_SOCIAL_OR_MID_RENT = "not_social_or_mid_rent"
    EXCLUDED = "excluded"  # by the project leader, with a note


Key = int | str  # a unit or tenancy id, as the caller stores it

VOTING_KINDS = frozenset({UnitKind.SOCIALE_HUUR, UnitKind.MIDDENHUUR})


@dataclass(frozen=True)
class TenancySnapshot:
    """A tenancy (rental contract); co-tenants share it and so share one ballot."""

    tenancy_id: Key
    start_date: date
    end_date: date | None = None

    def is_current(self, on: date) -> bool:
        """Started on or before ``on`` and not yet ended on ``on``."""
        return self.start_date <= on and (self.end_date is None or self.end_date > on)


@dataclass(frozen=True)
class UnitSnapshot:
    """A unit with its tenancies as known when the ballot opens."""

    unit_id: Key
    kind: str
    tenancies: list[TenancySnapshot] = field(default_factory=list)


@dataclass(frozen=True)
class Eligibility:
    """Ballots as (unit_id, tenancy_id); exclusions as (unit_id, reason_code, note)."""

    ballots: list[tuple[Key, Key]]
    excluded: list[tuple[Key, str, str]]


def current_tenancy(unit: UnitSnapshot, on: date) -> TenancySnapshot | None:
    """The current tenancy on ``on``; of several, the one that started latest."""
    current = [(t.start_date, i, t) for i, t in enumerate(unit.tenancies) if t.is_current(on)]
    return max(current, key=lambda item: item[:2])[2] if current else None


def _reason(kind: UnitKind, tenancy: TenancySnapshot | None) -> ExclusionReason | None:
    if kind is UnitKind.KOOP:
        return ExclusionReason.SOLD
    if kind is UnitKind.BEDRIJFSRUIMTE:
        return ExclusionReason.COMMERCIAL
    if tenancy is None:
        return ExclusionReason.VACANT
    if kind not in VOTING_KINDS:
        return ExclusionReason.NOT_SOCIAL_OR_MID_RENT
    return None


def eligible_units(
    units: Sequence[UnitSnapshot], exclusions: Mapping[Key, str], opens_at: date
) -> Eligibility:
    """Split ``units`` into ballots and exclusions as of ``opens_at``.

    A structural reason (sold, commercial, vacant, not social/mid-rent) wins over a
    project leader's exclusion, whose text is then kept as the note; otherwise a unit
    in ``exclusions`` is excluded with reason ``excluded``. Order follows ``units``.
    """
    ballots: list[tuple[Key, Key]] = []
    excluded: list[tuple[Key, str, str]] = []
    seen: set[Key] = set()
    for unit in units:
        if unit.unit_id in seen:
            raise ValueError(f"unit {unit.unit_id!r} listed twice")
        seen.add(unit.unit_id)
        try:
            kind = UnitKind(unit.kind)
        except ValueError:
            raise ValueError(f"unit {unit.unit_id!r}: unknown kind {unit.kind!r}") from None
        tenancy = current_tenancy(unit, opens_at)
        reason = _reason(kind, tenancy)
        note = exclusions.get(unit.unit_id)
        if reason is None and note is not None:
            reason = ExclusionReason.EXCLUDED
        if reason is not None:
            excluded.append((unit.unit_id, reason.value, note or ""))
        elif tenancy is not None:
            ballots.append((unit.unit_id, tenancy.tenancy_id))
    return Eligibility(ballots=ballots, excluded=excluded)
