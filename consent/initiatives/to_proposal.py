"""An accepted initiative becomes a draft renovation proposal carrying its content."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from consent.housing.models import Complex
from consent.initiatives.models import Initiative
from consent.measures import decode
from consent.proposals.inputs import MeasureInput, ProposalInput
from consent.proposals.rules import Category
from consent.proposals.service import create_proposal
from consent.rules_data import value_on
from consent.timeutil import utcnow

VOTING_WEEKS = 4


def draft_proposal(session: Session, initiative: Initiative, actor: str) -> int:
    """Create the draft and return its id.

    The voting window is a placeholder the project leader edits: it opens after the
    tenant committee's advice period (dated data) plus a week, and runs four weeks.
    """
    complex_ = session.get(Complex, initiative.complex_id)
    assert complex_ is not None
    now = utcnow()
    advice = timedelta(weeks=value_on("committee_advice_weeks", now.date()) + 1)
    opens_at = now + advice
    proposal = create_proposal(
        session,
        corporation_id=initiative.corporation_id,
        data=ProposalInput(
            complex=complex_.code,
            title=initiative.title,
            summary=initiative.reason or initiative.title,
            works=initiative.measure_text,
            opens_at=opens_at,
            closes_at=opens_at + timedelta(weeks=VOTING_WEEKS),
            measures=[
                MeasureInput(Category.IMPROVEMENT.value, measure.value, initiative.measure_text)
                for measure in decode(initiative.measures)
            ],
        ),
        actor=actor,
    )
    return proposal.id or 0
