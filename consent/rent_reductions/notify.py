"""Tell the tenant about their request through the outbox: email, else a printed letter."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from consent.housing.models import Corporation, Tenancy, Tenant, Unit
from consent.i18n import use_locale
from consent.outbox.service import enqueue
from consent.rent_reductions import registry
from consent.rent_reductions.models import ReductionRequest
from consent.settings import Settings

# Messages that also go on paper when the tenant has no email address (template names
# under templates/letters/); the others are email only.
LETTER_FOR = {
    "rent_reduction_more_info": "rent_reduction_more_info",
    "rent_reduction_decided": "rent_reduction_decision",
}


def tenant(
    session: Session,
    settings: Settings,
    req: ReductionRequest,
    tenancy: Tenancy,
    template: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Queue ``template`` (templates/emails/<template>.txt) for the tenancy."""
    corporation = session.get(Corporation, req.corporation_id)
    scheme = registry.get(req.scheme_id)
    with use_locale(tenancy.language):
        context: dict[str, Any] = {
            "reference": req.reference or "",
            "scheme": registry.scheme_name(scheme) if scheme else req.scheme_name,
            "corporation": corporation.name if corporation else "",
            "link": settings.base_url + "/",
            **(extra or {}),
        }
    if tenancy.email:
        enqueue(
            session,
            corporation_id=req.corporation_id,
            recipient=tenancy.email,
            language=tenancy.language,
            template=template,
            context=context,
        )
        return
    letter = LETTER_FOR.get(template)
    if letter is None:
        return
    if letter == "rent_reduction_decision":
        from consent.rent_reductions.letters import letter_context

        context = letter_context(session, req)
    enqueue(
        session,
        corporation_id=req.corporation_id,
        recipient=_postal(session, tenancy),
        language=tenancy.language,
        template=letter,
        context=context,
        channel="letter",
    )


def _postal(session: Session, tenancy: Tenancy) -> str:
    """Names and address, the recipient of a letter staff print."""
    unit = session.get(Unit, tenancy.unit_id)
    names = session.exec(
        select(Tenant.name).where(Tenant.tenancy_id == tenancy.id).order_by(col(Tenant.position))
    ).all()
    address = f"{unit.address}, {unit.postcode} {unit.town}" if unit else ""
    return f"{', '.join(names)}, {address}"[:200]
