"""The home-visit list: households that have not voted yet, sorted by address.

Each row carries the household's form code, so a ballot given at the door is entered
on the same entry page (channel "home_visit").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from consent.housing.models import Tenancy, Unit
from consent.paper.letters import names_of
from consent.paper.rules import form_code
from consent.proposals.models import Ballot, ProposalVoter
from consent.settings import Settings


@dataclass(frozen=True)
class VisitRow:
    address: str
    postcode: str
    town: str
    names: list[str]
    language: str
    phone: str
    form_code: str


def visit_list(session: Session, settings: Settings, proposal_id: int) -> list[VisitRow]:
    voted = select(Ballot.tenancy_id).where(Ballot.proposal_id == proposal_id)
    rows = session.exec(
        select(Unit, Tenancy)
        .join(ProposalVoter, col(ProposalVoter.unit_id) == col(Unit.id))
        .join(Tenancy, col(Tenancy.id) == col(ProposalVoter.tenancy_id))
        .where(
            ProposalVoter.proposal_id == proposal_id, col(ProposalVoter.tenancy_id).not_in(voted)
        )
        .order_by(col(Unit.street), col(Unit.number), col(Unit.letter), col(Unit.addition))
    ).all()
    names = names_of(session, [t.id or 0 for _u, t in rows])
    return [
        VisitRow(
            unit.address, unit.postcode, unit.town, names.get(tenancy.id or 0, []),
            tenancy.language, tenancy.phone,
            form_code(settings.secret_key, proposal_id, tenancy.id or 0),
        )
        for unit, tenancy in rows
    ]  # fmt: skip
