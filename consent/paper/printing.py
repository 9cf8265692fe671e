"""Queued letters (outbox channel "letter") rendered for printing, then marked printed.

``render_letter(message)`` gives the HTML of one queued letter: our templates in the
shared letter layout, another domain's own letter template as it is, and a message
that only has an email template as a plain letter with that text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from jinja2 import TemplateNotFound
from sqlalchemy import update
from sqlmodel import Session, col

from consent.accounts.models import StaffUser
from consent.audit.service import record
from consent.i18n import format_date, use_locale
from consent.outbox.models import OutboxMessage
from consent.outbox.render import render_email
from consent.paper import pdf
from consent.paper.views import printable
from consent.timeutil import to_local, utcnow

PLAIN = "paper/_plain_letter"


def _exists(template: str) -> bool:
    try:
        pdf.environment().get_template(pdf.template_path(template))
    except TemplateNotFound:
        return False
    return True


def job_of(message: OutboxMessage) -> pdf.LetterJob:
    """The letter for a queued message, in the message's language."""
    context: dict[str, Any] = json.loads(message.context or "{}")
    if message.template in pdf.ARTICLE_TEMPLATES or _exists(message.template):
        return pdf.LetterJob(message.template, message.language, context)
    with use_locale(message.language):
        subject, body = render_email(pdf.environment(), message)
        today = format_date(to_local(utcnow()).date())
    lines = [part.strip() for part in message.recipient.split(",") if part.strip()]
    plain = {
        "corporation": str(context.get("corporation", "")),
        "address_lines": lines,
        "subject": subject,
        "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
        "letter_date_text": today,
        "reference": "",
    }
    return pdf.LetterJob(PLAIN, message.language, plain)


def render_letter(message: OutboxMessage) -> str:
    """One queued letter as a whole HTML document (what WeasyPrint prints)."""
    return pdf.standalone_html(job_of(message))


def to_print(session: Session, user: StaffUser, up_to: int) -> list[OutboxMessage]:
    return [m for m in printable(session, user) if (m.id or 0) <= up_to]


def print_letters(session: Session, user: StaffUser, messages: Sequence[OutboxMessage]) -> bytes:
    """One PDF of these letters; marks them printed and clears their context.

    The caller commits after the PDF is safely made (the context holds personal data,
    e.g. a tenant's code, that is not kept once the letter is printed).
    """
    document = pdf.mixed_pdf([job_of(m) for m in messages])
    ids = [m.id for m in messages]
    session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.sent_at).is_(None))
        .values(sent_at=utcnow(), context="{}", claimed_until=None, claimed_by="")
    )
    record(
        session,
        actor=f"staff:{user.id}",
        action="outbox.letters_printed",
        object_type="outbox_message",
        object_id=",".join(str(i) for i in ids)[:200],
        corporation_id=user.corporation_id,
        details={"letters": len(ids), "templates": sorted({m.template for m in messages})},
    )
    return document
