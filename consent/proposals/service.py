"""Creating, editing and finding proposals, always within one corporation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, delete
from sqlmodel import Session, col, select

from consent.accounts.models import Role, StaffUser
from consent.audit.service import record
from consent.housing.models import Complex
from consent.i18n import gettext as _
from consent.proposals import rules
from consent.proposals.inputs import TEXT_FIELDS, InvalidInput, ProposalInput, validate
from consent.proposals.models import Proposal, ProposalMeasure, ProposalRentChange
from consent.timeutil import utcnow


class ProposalError(Exception):
    """A request that cannot be carried out (wrong state, unknown unit...)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def actor_of(user: StaffUser) -> str:
    return f"staff:{user.id}"


def visible_to(proposal: Proposal | None, user: StaffUser) -> bool:
    """Staff see their corporation's proposals; a committee member only their complex's."""
    if proposal is None or proposal.corporation_id != user.corporation_id:
        return False
    if user.role == Role.COMMITTEE:
        return user.complex_id is not None and proposal.complex_id == user.complex_id
    return True


def get_for(session: Session, user: StaffUser, proposal_id: int) -> Proposal | None:
    proposal = session.get(Proposal, proposal_id)
    return proposal if proposal is not None and visible_to(proposal, user) else None


def visible_filter(user: StaffUser) -> ColumnElement[bool]:
    """``visible_to`` as a condition on Proposal, for queries."""
    condition = col(Proposal.corporation_id) == user.corporation_id
    if user.role == Role.COMMITTEE:
        return and_(condition, col(Proposal.complex_id) == (user.complex_id or -1))
    return condition


def list_for(session: Session, user: StaffUser) -> list[Proposal]:
    query = select(Proposal).where(visible_filter(user))
    return list(session.exec(query.order_by(col(Proposal.id).desc())).all())


def complexes_of(session: Session, corporation_id: int) -> list[Complex]:
    return list(
        session.exec(
            select(Complex)
            .where(Complex.corporation_id == corporation_id)
            .order_by(col(Complex.code))
        ).all()
    )


def complex_of(session: Session, proposal: Proposal) -> Complex:
    found = session.get(Complex, proposal.complex_id)
    assert found is not None
    return found


def has_committee(session: Session, complex_id: int) -> bool:
    """A complex has a tenant committee when a committee account is linked to it."""
    return (
        session.exec(
            select(StaffUser.id).where(
                StaffUser.role == Role.COMMITTEE,
                StaffUser.complex_id == complex_id,
                col(StaffUser.active).is_(True),
            )
        ).first()
        is not None
    )


def measures_of(session: Session, proposal_id: int) -> list[ProposalMeasure]:
    return list(
        session.exec(
            select(ProposalMeasure)
            .where(ProposalMeasure.proposal_id == proposal_id)
            .order_by(col(ProposalMeasure.position), col(ProposalMeasure.id))
        ).all()
    )


def rent_changes_of(session: Session, proposal_id: int) -> list[ProposalRentChange]:
    rows = session.exec(
        select(ProposalRentChange).where(ProposalRentChange.proposal_id == proposal_id)
    ).all()
    order = {kind: i for i, kind in enumerate(rules.RENT_KINDS)}
    return sorted(rows, key=lambda r: order.get(r.unit_kind, 99))


def insulation_warning(session: Session, proposal: Proposal) -> date | None:
    """The free-insulation date when this proposal raises rent for insulation."""
    measures = [(m.tag, m.rent_increase_cents) for m in measures_of(session, proposal.id or 0)]
    return rules.insulation_rent_warning(measures, proposal.planned_end or proposal.planned_start)


def _apply(session: Session, proposal: Proposal, data: ProposalInput) -> None:
    for name in TEXT_FIELDS:
        setattr(proposal, name, getattr(data, name))
    proposal.planned_start, proposal.planned_end = data.planned_start, data.planned_end
    proposal.working_days = data.working_days
    proposal.stay_home = data.stay_home
    proposal.moving_allowance_cents = None if data.stay_home else data.moving_allowance_cents
    if data.stay_home:
        proposal.temporary_home = ""
    proposal.energy_change_cents = data.energy_change_cents
    assert data.opens_at is not None and data.closes_at is not None
    proposal.opens_at, proposal.closes_at = data.opens_at, data.closes_at
    proposal.counting_rule = data.counting_rule
    proposal.updated_at = utcnow()
    session.add(proposal)
    session.flush()
    pid = proposal.id or 0
    session.execute(delete(ProposalMeasure).where(col(ProposalMeasure.proposal_id) == pid))
    session.execute(delete(ProposalRentChange).where(col(ProposalRentChange.proposal_id) == pid))
    for position, m in enumerate(data.measures):
        session.add(
            ProposalMeasure(
                proposal_id=pid,
                position=position,
                category=m.category,
                tag=m.tag,
                description=m.description,
                rent_increase_cents=m.rent_increase_cents,
            )
        )
    for kind, cents in data.rent_changes.items():
        session.add(ProposalRentChange(proposal_id=pid, unit_kind=kind, monthly_change_cents=cents))
    session.flush()


def create_proposal(
    session: Session, *, corporation_id: int, data: ProposalInput, actor: str
) -> Proposal:
    """A new draft proposal; raises InvalidInput with every problem found."""
    errors = validate(data)
    found = None
    if data.complex:
        found = session.exec(
            select(Complex).where(
                Complex.corporation_id == corporation_id, Complex.code == data.complex
            )
        ).first()
        if found is None:
            errors["complex"] = _("Dit complex bestaat niet")
    if errors or found is None:
        raise InvalidInput(errors)
    assert data.opens_at is not None and data.closes_at is not None
    proposal = Proposal(
        corporation_id=corporation_id,
        complex_id=found.id or 0,
        title=data.title,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        created_by=actor,
    )
    _apply(session, proposal, data)
    record(
        session,
        actor=actor,
        action="proposal.created",
        object_type="proposal",
        object_id=proposal.id,
        corporation_id=corporation_id,
        details={"complex": found.code, "counting_rule": proposal.counting_rule},
    )
    return proposal


def update_proposal(session: Session, proposal: Proposal, data: ProposalInput, actor: str) -> None:
    """Change a proposal's content; only before voting opens."""
    if not rules.can_edit(proposal.status):
        raise ProposalError(_("Dit voorstel kan niet meer worden veranderd"))
    errors = validate(data, need_complex=False)
    if errors:
        raise InvalidInput(errors)
    _apply(session, proposal, data)
    record(
        session,
        actor=actor,
        action="proposal.updated",
        object_type="proposal",
        object_id=proposal.id,
        corporation_id=proposal.corporation_id,
        details={"counting_rule": proposal.counting_rule},
    )
