"""The result certificate: the frozen result of a closed vote, as a PDF.

Every figure comes from the frozen ``ProposalResult`` (through ``results.tally_for``),
the excluded units from the electorate frozen at opening, the counts per channel from
the counted ballots (which cannot change after closing) and the audit-chain hash
recorded when voting closed.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from consent.housing.models import Corporation
from consent.paper.pdf import environment, html_to_pdf
from consent.proposals import electorate, labels, results, service
from consent.proposals.models import Proposal
from consent.timeutil import utcnow

TEMPLATE = "paper/certificate.html"


def certificate_context(session: Session, proposal: Proposal) -> dict[str, Any] | None:
    """What the certificate shows; None while voting has not closed."""
    pid = proposal.id or 0
    result = results.result_of(session, pid)
    if result is None:
        return None
    tally = results.tally_for(session, proposal)
    corporation = session.get(Corporation, proposal.corporation_id)
    return {
        "proposal": proposal,
        "corporation": corporation.name if corporation else "",
        "complex": service.complex_of(session, proposal),
        "result": result,
        "tally": tally,
        "excluded": electorate.frozen(session, proposal).excluded,
        "channels": results.channel_counts(session, pid),
        "rule_labels": labels.COUNTING_RULE,
        "reason_labels": labels.EXCLUSION_REASON,
        "channel_labels": labels.CHANNEL,
        "made_at": utcnow(),
    }


def certificate_html(context: dict[str, Any]) -> str:
    """In the locale in use (the staff member's language)."""
    return environment().get_template(TEMPLATE).render(context)


def certificate_pdf(context: dict[str, Any]) -> bytes:
    return html_to_pdf(certificate_html(context))
