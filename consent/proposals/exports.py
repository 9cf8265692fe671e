"""Who has not voted yet (for follow-up visits and calls), as rows and as CSV."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from consent.housing.models import Tenancy, Unit
from consent.proposals.models import Ballot, ProposalVoter

PHONE_LIKE = re.compile(r"^[+\-]?[\d\s()\-]+$")


@dataclass(frozen=True)
class NonRespondent:
    unit_code: str
    tenancy_code: str
    address: str
    postcode: str
    town: str
    language: str
    phone: str


def non_respondents(session: Session, proposal_id: int) -> list[NonRespondent]:
    """Eligible tenancies without a counted ballot, sorted by address."""
    voted = select(Ballot.tenancy_id).where(Ballot.proposal_id == proposal_id)
    rows = session.exec(
        select(Unit, Tenancy)
        .join(ProposalVoter, col(ProposalVoter.unit_id) == col(Unit.id))
        .join(Tenancy, col(Tenancy.id) == col(ProposalVoter.tenancy_id))
        .where(
            ProposalVoter.proposal_id == proposal_id,
            col(ProposalVoter.tenancy_id).not_in(voted),
        )
        .order_by(col(Unit.street), col(Unit.number), col(Unit.letter), col(Unit.addition))
    ).all()
    return [
        NonRespondent(
            unit.code, tenancy.code, unit.address, unit.postcode, unit.town, tenancy.language,
            tenancy.phone,
        )
        for unit, tenancy in rows
    ]  # fmt: skip


def _cell(value: str) -> str:
    """Keep spreadsheet formulas out: a leading =, +, -, @ makes a cell text.

    Phone numbers such as +31 6 ... stay as they are.
    """
    if value[:1] in ("=", "@", "\t", "\r") or (
        value[:1] in ("+", "-") and not PHONE_LIKE.match(value)
    ):
        return "'" + value
    return value


def non_respondents_csv(rows: list[NonRespondent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "eenheidCode",
            "huurovereenkomstCode",
            "adres",
            "postcode",
            "woonplaats",
            "taal",
            "telefoon",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    row.unit_code,
                    row.tenancy_code,
                    row.address,
                    row.postcode,
                    row.town,
                    row.language,
                    row.phone,
                )
            ]
        )
    return out.getvalue()
