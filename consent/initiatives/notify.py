"""Status notifications through the outbox, each in its recipient's language.

Who is told: the initiator (their tenancy's email, or the committee member's staff email)
and every co-signer whose tenancy has an email address. Other tenancies of the complex
are not mailed: they did not ask to follow the initiative, and mailing a whole complex on
every step would be spam. They see the status history on the complex page. Tenancies
without an email address get no letter for a status change (only the code itself goes
out by letter); they see the status on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from consent.accounts.models import StaffUser
from consent.housing.models import Corporation, Tenancy
from consent.i18n import format_date, use_locale
from consent.initiatives.models import Initiative, Signature
from consent.initiatives.rules import public_path, where_next
from consent.measures import decode
from consent.outbox.service import enqueue
from consent.settings import Settings

STATUS_TEMPLATE = "initiative_status"
OVERDUE_TEMPLATE = "initiative_overdue"


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    staff: bool


def initiator(session: Session, initiative: Initiative) -> Recipient | None:
    if initiative.initiator_tenancy_id is not None:
        tenancy = session.get(Tenancy, initiative.initiator_tenancy_id)
        if tenancy is not None and tenancy.email:
            return Recipient(tenancy.email, tenancy.language, False)
    if initiative.initiator_staff_id is not None:
        user = session.get(StaffUser, initiative.initiator_staff_id)
        if user is not None and user.active:
            return Recipient(user.email, user.language, True)
    return None


def recipients(session: Session, initiative: Initiative) -> list[Recipient]:
    """The initiator first, then the co-signers with an email address; no address twice."""
    found: list[Recipient] = []
    first = initiator(session, initiative)
    if first is not None:
        found.append(first)
    signers = session.exec(
        select(Tenancy)
        .join(Signature, col(Signature.tenancy_id) == col(Tenancy.id))
        .where(Signature.initiative_id == initiative.id, Tenancy.email != "")
        .order_by(col(Signature.id))
    ).all()
    found.extend(Recipient(t.email, t.language, False) for t in signers)
    seen: set[str] = set()
    unique = []
    for recipient in found:
        if recipient.email.lower() not in seen:
            seen.add(recipient.email.lower())
            unique.append(recipient)
    return unique


def _context(
    settings: Settings, initiative: Initiative, corporation: Corporation, recipient: Recipient
) -> dict[str, object]:
    with use_locale(recipient.language):
        due = format_date(initiative.due_at) if initiative.due_at else ""
    path = public_path(initiative.id or 0, staff=recipient.staff)
    return {
        "title": initiative.title,
        "status": initiative.status,
        "reasons": initiative.answer_reasons,
        "due": due,
        "corporation": corporation.name,
        "link": f"{settings.base_url}{path}",
        "next_steps": where_next(m.value for m in decode(initiative.measures)),
    }


def status_changed(
    session: Session, settings: Settings, initiative: Initiative, note: str = ""
) -> int:
    """Queue one message per recipient about the initiative's new status."""
    corporation = session.get(Corporation, initiative.corporation_id)
    assert corporation is not None
    sent = 0
    for recipient in recipients(session, initiative):
        context = _context(settings, initiative, corporation, recipient)
        context["note"] = note
        enqueue(
            session,
            corporation_id=initiative.corporation_id,
            recipient=recipient.email,
            language=recipient.language,
            template=STATUS_TEMPLATE,
            context=context,
        )
        sent += 1
    return sent


def overdue(session: Session, settings: Settings, initiative: Initiative) -> bool:
    """Tell the initiator the answer is late and where to turn next."""
    corporation = session.get(Corporation, initiative.corporation_id)
    recipient = initiator(session, initiative)
    if corporation is None or recipient is None:
        return False
    enqueue(
        session,
        corporation_id=initiative.corporation_id,
        recipient=recipient.email,
        language=recipient.language,
        template=OVERDUE_TEMPLATE,
        context=_context(settings, initiative, corporation, recipient),
    )
    return True
