"""Who votes: exclusions by the project leader, the live preview, and the frozen set.

Before voting opens the electorate is computed from the register each time
(``eligibility.eligible_units``). When voting opens it is frozen in ProposalVoter and
ExcludedUnit; from then on only the frozen rows count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from consent.audit.service import record
from consent.housing.models import RENTED_KINDS, Tenancy, Unit
from consent.i18n import gettext as _
from consent.proposals import rules
from consent.proposals.eligibility import TenancySnapshot, UnitSnapshot, eligible_units
from consent.proposals.models import ExcludedUnit, Proposal, ProposalExclusion, ProposalVoter
from consent.proposals.service import ProposalError


@dataclass(frozen=True)
class ExcludedRow:
    unit: Unit
    reason: str  # eligibility.ExclusionReason value
    note: str
    exclusion_id: int | None = None  # the project leader's exclusion, while removable


@dataclass(frozen=True)
class Electorate:
    voters: list[tuple[int, int]]  # (unit_id, tenancy_id)
    excluded: list[ExcludedRow]
    homes: int


def _units(session: Session, complex_id: int) -> list[Unit]:
    return list(
        session.exec(
            select(Unit).where(Unit.complex_id == complex_id).order_by(col(Unit.code))
        ).all()
    )


def homes_of(units: list[Unit]) -> int:
    """Homes the proposal covers: the landlord's rental homes, vacant ones included."""
    kinds = {kind.value for kind in RENTED_KINDS}
    return sum(1 for unit in units if unit.kind in kinds)


def homes_in(session: Session, complex_id: int) -> int:
    return homes_of(_units(session, complex_id))


def unit_codes(session: Session, proposal: Proposal) -> list[tuple[str, str]]:
    """(unit code, address) of every unit in the proposal's complex, for a select."""
    return [(u.code, f"{u.code} – {u.address}") for u in _units(session, proposal.complex_id)]


def staff_exclusions(session: Session, proposal_id: int) -> list[ProposalExclusion]:
    return list(
        session.exec(
            select(ProposalExclusion).where(ProposalExclusion.proposal_id == proposal_id)
        ).all()
    )


def live(session: Session, proposal: Proposal, on: date) -> Electorate:
    """The electorate as it would be frozen if voting opened on ``on``."""
    units = _units(session, proposal.complex_id)
    by_id = {unit.id or 0: unit for unit in units}
    tenancies = session.exec(select(Tenancy).where(col(Tenancy.unit_id).in_(list(by_id)))).all()
    per_unit: dict[int, list[TenancySnapshot]] = {}
    for t in tenancies:
        per_unit.setdefault(t.unit_id, []).append(
            TenancySnapshot(t.id or 0, t.start_date, t.end_date)
        )
    snapshots = [UnitSnapshot(uid, u.kind, per_unit.get(uid, [])) for uid, u in by_id.items()]
    own = {e.unit_id: e for e in staff_exclusions(session, proposal.id or 0)}
    result = eligible_units(snapshots, {uid: e.reason for uid, e in own.items()}, on)
    excluded = [
        ExcludedRow(by_id[int(uid)], reason, note, own[int(uid)].id if int(uid) in own else None)
        for uid, reason, note in result.excluded
    ]
    voters = [(int(uid), int(tid)) for uid, tid in result.ballots]
    return Electorate(voters, excluded, homes_of(units))


def frozen(session: Session, proposal: Proposal) -> Electorate:
    pid = proposal.id or 0
    voters = session.exec(
        select(ProposalVoter.unit_id, ProposalVoter.tenancy_id).where(
            ProposalVoter.proposal_id == pid
        )
    ).all()
    rows = session.exec(
        select(ExcludedUnit, Unit)
        .join(Unit, col(Unit.id) == col(ExcludedUnit.unit_id))
        .where(ExcludedUnit.proposal_id == pid)
        .order_by(col(Unit.code))
    ).all()
    excluded = [ExcludedRow(unit, row.reason, row.note) for row, unit in rows]
    return Electorate([(u, t) for u, t in voters], excluded, proposal.homes or 0)


def current(session: Session, proposal: Proposal, on: date) -> Electorate:
    """The frozen electorate once voting opened, else the live preview for ``on``."""
    if proposal.status in rules.BEFORE_VOTING:
        return live(session, proposal, on)
    return frozen(session, proposal)


def freeze(session: Session, proposal: Proposal, on: date) -> Electorate:
    """Write the electorate for ``on`` into the snapshot tables (once, at opening)."""
    electorate = live(session, proposal, on)
    pid = proposal.id or 0
    for unit_id, tenancy_id in electorate.voters:
        session.add(ProposalVoter(proposal_id=pid, unit_id=unit_id, tenancy_id=tenancy_id))
    for row in electorate.excluded:
        session.add(
            ExcludedUnit(
                proposal_id=pid, unit_id=row.unit.id or 0, reason=row.reason, note=row.note
            )
        )
    proposal.homes = electorate.homes
    proposal.eligibility_date = on
    session.add(proposal)
    session.flush()
    return electorate


def voter(session: Session, proposal_id: int, tenancy_id: int) -> ProposalVoter | None:
    """The frozen voter row of a tenancy, or None when it has no ballot."""
    return session.exec(
        select(ProposalVoter).where(
            ProposalVoter.proposal_id == proposal_id, ProposalVoter.tenancy_id == tenancy_id
        )
    ).first()


def add_exclusion(
    session: Session, proposal: Proposal, unit_code: str, reason: str, actor: str
) -> ProposalExclusion:
    """Exclude a unit of the proposal's complex, with a reason; only before voting."""
    if proposal.status not in rules.BEFORE_VOTING:
        raise ProposalError(_("Na het openen van de stemming kunt u niets meer uitsluiten"))
    if not reason.strip():
        raise ProposalError(_("Schrijf op waarom deze woning niet meedoet"), "reason")
    unit = session.exec(
        select(Unit).where(
            Unit.corporation_id == proposal.corporation_id,
            Unit.complex_id == proposal.complex_id,
            Unit.code == unit_code,
        )
    ).first()
    if unit is None:
        raise ProposalError(_("Deze woning hoort niet bij dit complex"), "unit")
    existing = session.exec(
        select(ProposalExclusion).where(
            ProposalExclusion.proposal_id == proposal.id, ProposalExclusion.unit_id == unit.id
        )
    ).first()
    row = existing or ProposalExclusion(
        proposal_id=proposal.id or 0, unit_id=unit.id or 0, reason=""
    )
    row.reason, row.created_by = reason.strip()[:500], actor
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="proposal.exclusion_added",
        object_type="proposal",
        object_id=proposal.id,
        corporation_id=proposal.corporation_id,
        details={"unit": unit.code, "comment": row.reason},  # free text: masked
    )
    return row


def remove_exclusion(session: Session, proposal: Proposal, exclusion_id: int, actor: str) -> None:
    if proposal.status not in rules.BEFORE_VOTING:
        raise ProposalError(_("Na het openen van de stemming kunt u niets meer uitsluiten"))
    row = session.get(ProposalExclusion, exclusion_id)
    if row is None or row.proposal_id != proposal.id:
        raise ProposalError(_("Deze uitsluiting bestaat niet"))
    session.delete(row)
    record(
        session,
        actor=actor,
        action="proposal.exclusion_removed",
        object_type="proposal",
        object_id=proposal.id,
        corporation_id=proposal.corporation_id,
        details={"unit_id": row.unit_id},
    )
