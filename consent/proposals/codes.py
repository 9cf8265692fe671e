"""Personal codes for a proposal: one per eligible tenancy, shown once when issued."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from consent.access_codes.models import AccessCode, Purpose
from consent.access_codes.service import issue
from consent.audit.service import record
from consent.housing.models import Tenancy, Unit
from consent.i18n import gettext as _
from consent.proposals import electorate, rules
from consent.proposals.models import Proposal
from consent.proposals.service import ProposalError
from consent.settings import Settings
from consent.timeutil import to_local, utcnow


@dataclass(frozen=True)
class IssuedCode:
    tenancy: Tenancy
    unit: Unit
    code: str


def tenancies_with_code(session: Session, proposal_id: int) -> set[int]:
    """Tenancies holding a valid (not revoked, not expired) code for this proposal."""
    rows = session.exec(
        select(AccessCode.tenancy_id).where(
            AccessCode.purpose == Purpose.PROPOSAL.value,
            AccessCode.object_id == proposal_id,
            col(AccessCode.revoked_at).is_(None),
            col(AccessCode.expires_at) > utcnow(),
        )
    ).all()
    return set(rows)


def issue_missing(
    session: Session, settings: Settings, proposal: Proposal, actor: str
) -> list[IssuedCode]:
    """Issue a code to every eligible tenancy that has none; the codes are returned once."""
    if proposal.status in rules.FINISHED:
        raise ProposalError(_("De stemming is voorbij: er zijn geen codes meer nodig"))
    pid = proposal.id or 0
    voters = electorate.current(session, proposal, to_local(utcnow()).date()).voters
    have = tenancies_with_code(session, pid)
    wanted = [(u, t) for u, t in voters if t not in have]
    tenancies = {
        t.id: t
        for t in session.exec(
            select(Tenancy).where(col(Tenancy.id).in_([t for _u, t in wanted]))
        ).all()
    }
    units = {
        u.id: u
        for u in session.exec(select(Unit).where(col(Unit.id).in_([u for u, _t in wanted]))).all()
    }
    issued = []
    for unit_id, tenancy_id in wanted:
        code = issue(
            session,
            settings,
            corporation_id=proposal.corporation_id,
            tenancy_id=tenancy_id,
            purpose=Purpose.PROPOSAL,
            object_id=pid,
            actor=actor,
        )
        issued.append(IssuedCode(tenancies[tenancy_id], units[unit_id], code))
    issued.sort(key=lambda item: item.unit.code)
    record(
        session,
        actor=actor,
        action="proposal.codes_issued",
        object_type="proposal",
        object_id=pid,
        corporation_id=proposal.corporation_id,
        details={"issued": len(issued)},
    )
    return issued
