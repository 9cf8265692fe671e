"""An open demo proposal for a complex, run through consultation, ready to vote on."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from consent.housing.models import Complex
from consent.proposals import content, rules, service, workflow
from consent.proposals.inputs import MeasureInput, ProposalInput, default_lapse_statement
from consent.proposals.models import Proposal
from consent.timeutil import to_local, utcnow

TITLE = "Isolatie en zonnepanelen voor De Linde"


def _input(complex_code: str, threshold_percent: int) -> ProposalInput:
    now = utcnow()
    start = to_local(now).date() + timedelta(days=90)
    return ProposalInput(
        complex=complex_code,
        title=TITLE,
        summary=(
            "Wij willen uw woning beter isoleren en zonnepanelen op het dak leggen. "
            "Uw woning wordt warmer en uw energierekening lager."
        ),
        works=(
            "Wij isoleren de gevel en het dak. Wij plaatsen nieuw isolatieglas. "
            "Er komt betere ventilatie. Op het dak komen zonnepanelen."
        ),
        nuisance=(
            "De werkmensen zijn ongeveer 5 dagen in uw woning. U hoort geluid van boren. "
            "U kunt thuis blijven wonen."
        ),
        rent_justification=(
            "Voor de zonnepanelen vraagt u een kleine huurverhoging. "
            "Voor isolatie betaalt u geen extra huur."
        ),
        energy_text="Door de isolatie en de zonnepanelen gebruikt u minder gas en stroom.",
        social_plan="Het Sociaal Plan Renovatie 2024 van Woonstichting Demo en de huurdersvereniging.",
        lapse_statement=default_lapse_statement(threshold_percent),
        planned_start=start,
        planned_end=start + timedelta(days=120),
        working_days=5,
        stay_home=True,
        energy_change_cents=-3500,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=28),
        measures=[
            MeasureInput("improvement", "facade", "Isolatie aan de buitenkant van de gevel"),
            MeasureInput("improvement", "roof", "Isolatie van het dak"),
            MeasureInput("maintenance", "glazing", "Nieuwe kozijnen met isolatieglas"),
            MeasureInput("improvement", "ventilation", "Nieuwe mechanische ventilatie"),
            MeasureInput("improvement", "solar_panels", "Zes zonnepanelen per woning", 1200),
        ],
        rent_changes={"sociale_huur": 1200, "middenhuur": 1200},
    )


def open_demo_proposal(
    session: Session, corporation_id: int, complex_code: str, threshold_percent: int
) -> Proposal:
    """The open demo proposal for the complex: reused if present, else made and opened."""
    complex_ = session.exec(
        select(Complex).where(
            Complex.corporation_id == corporation_id, Complex.code == complex_code
        )
    ).one()
    found = session.exec(
        select(Proposal)
        .where(
            Proposal.complex_id == complex_.id,
            Proposal.title == TITLE,
            Proposal.status == rules.Status.OPEN,
            col(Proposal.closes_at) > utcnow(),
        )
        .order_by(col(Proposal.id).desc())
    ).first()
    if found is not None:
        return found
    data = _input(complex_code, threshold_percent)
    proposal = service.create_proposal(
        session, corporation_id=corporation_id, data=data, actor="demo"
    )
    if service.has_committee(session, complex_.id or 0):
        sent = utcnow() - timedelta(weeks=8)
        workflow.start_consultation(session, proposal, "demo", sent_at=sent)
        workflow.record_advice(
            session,
            proposal,
            received_at=sent + timedelta(weeks=4),
            text="De bewonerscommissie is positief. Zorg voor goede informatie vooraf.",
            followed=True,
            actor="demo",
        )
    workflow.open_voting(session, proposal, "demo")
    content.add_question(
        session,
        proposal,
        "Moet ik thuis zijn als de werkmensen komen?",
        "Ja, of u geeft een sleutel aan de opzichter. Wij maken vooraf een afspraak met u.",
        "nl",
        "demo",
    )
    content.save_translation(
        session,
        proposal,
        "en",
        {
            "title": "Insulation and solar panels for De Linde",
            "summary": "We want to insulate your home and put solar panels on the roof.",
        },
        "demo",
    )
    return proposal
