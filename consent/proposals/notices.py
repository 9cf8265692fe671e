"""The notice after 70% agreed (art. 7:220 lid 3 BW): one per tenancy that did not agree.

It states the result and the last day to ask the kantonrechter (8 weeks from the
notice date, from dated data), in the tenant's language. Queued in the outbox: by
email when the tenancy has an address, else as a letter for staff to print.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from consent.housing.models import Complex, Corporation, Tenancy, Tenant, Unit
from consent.i18n import LANGUAGES, format_date, format_percent, use_locale
from consent.outbox.service import enqueue
from consent.proposals import content, results, rules
from consent.proposals.models import Ballot, Proposal, ProposalVoter
from consent.timeutil import to_local

TEMPLATE = "proposal_notice"


def not_agreed(session: Session, proposal_id: int) -> list[tuple[Tenancy, Unit]]:
    """Tenancies in the frozen electorate whose counted ballot is not 'agree'."""
    agreed = select(Ballot.tenancy_id).where(
        Ballot.proposal_id == proposal_id, Ballot.choice == "agree"
    )
    rows = session.exec(
        select(Tenancy, Unit)
        .join(ProposalVoter, col(ProposalVoter.tenancy_id) == col(Tenancy.id))
        .join(Unit, col(Unit.id) == col(ProposalVoter.unit_id))
        .where(
            ProposalVoter.proposal_id == proposal_id,
            col(ProposalVoter.tenancy_id).not_in(agreed),
        )
        .order_by(col(Unit.code))
    ).all()
    return [(tenancy, unit) for tenancy, unit in rows]


def _names(session: Session, tenancy_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for tenant in session.exec(
        select(Tenant).where(col(Tenant.tenancy_id).in_(tenancy_ids)).order_by(col(Tenant.position))
    ):
        found.setdefault(tenant.tenancy_id, []).append(tenant.name)
    return found


def notice_context(
    session: Session,
    proposal: Proposal,
    tenancy: Tenancy,
    unit: Unit,
    names: list[str],
    now: datetime,
) -> dict[str, Any]:
    """What the notice says, formatted in the tenant's language (JSON-safe)."""
    tally = results.tally_for(session, proposal)
    corporation = session.get(Corporation, proposal.corporation_id)
    complex_ = session.get(Complex, proposal.complex_id)
    assert corporation is not None and complex_ is not None
    notice_date = to_local(now).date()
    deadline = rules.objection_deadline(notice_date)
    language = tenancy.language if tenancy.language in LANGUAGES else "nl"
    with use_locale(language):
        text = content.content_for(session, proposal, language)
        return {
            "proposal_id": proposal.id,
            "tenancy_id": tenancy.id,
            "tenancy": tenancy.code,
            "names": names,
            "address_lines": [unit.address, f"{unit.postcode} {unit.town}"],
            "corporation": corporation.name,
            "help_phone": corporation.help_phone,
            "complex": complex_.name,
            "title": text.title,
            "counting_rule": tally.counting_rule.value,
            "threshold_percent": tally.threshold_percent,
            "eligible": tally.eligible,
            "responded": tally.responded,
            "agree": tally.agree,
            "disagree": tally.disagree,
            "respondents_percent": format_percent(tally.respondents.percent_agree),
            "statutory_percent": format_percent(tally.statutory.percent_agree),
            "objection_weeks": (deadline - notice_date).days // 7,
            "notice_date": notice_date.isoformat(),
            "notice_date_text": format_date(notice_date),
            "deadline": deadline.isoformat(),
            "deadline_text": format_date(deadline),
        }


def queue_notices(session: Session, proposal: Proposal, now: datetime) -> int:
    pid = proposal.id or 0
    rows = not_agreed(session, pid)
    names = _names(session, [t.id or 0 for t, _u in rows])
    for tenancy, unit in rows:
        context = notice_context(
            session, proposal, tenancy, unit, names.get(tenancy.id or 0, []), now
        )
        email = tenancy.email.strip()
        enqueue(
            session,
            corporation_id=proposal.corporation_id,
            recipient=email or f"{unit.address}, {unit.postcode} {unit.town}",
            language=tenancy.language if tenancy.language in LANGUAGES else "nl",
            template=TEMPLATE,
            context=context,
            channel="email" if email else "letter",
        )
    return len(rows)
