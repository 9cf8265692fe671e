"""Queued letters (outbox channel "letter") as letters to print.

``job_of(message)`` gives the letter of one queued message: our templates in the shared
letter layout, another domain's own letter template as it is, and a message that only
has an email template as a plain letter with that text. They are made into a PDF by a
letter run (``consent.paper.runs``), which marks them sent once confirmed posted.
"""

from __future__ import annotations

import json
from typing import Any

from jinja2 import TemplateNotFound
from sqlmodel import Session

from consent.accounts.models import StaffUser
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
    """The waiting letters this user prints, listed up to message ``up_to``."""
    return [m for m in printable(session, user) if (m.id or 0) <= up_to]
