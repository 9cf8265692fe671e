"""Render an outbox message: templates/emails/<template>.txt in the recipient's language.

The template's first line is the subject, the second line is empty, the rest is the body.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import format_datetime

from jinja2 import Environment

from consent import i18n
from consent.outbox.models import OutboxMessage
from consent.outbox.rules import TemplateFormatError
from consent.settings import Settings
from consent.timeutil import utcnow


def template_name(template: str) -> str:
    return f"emails/{template}.txt"


def render_email(env: Environment, message: OutboxMessage) -> tuple[str, str]:
    """(subject, body) of an email message, rendered with its JSON context."""
    context = json.loads(message.context or "{}")
    with i18n.use_locale(message.language):
        text = env.get_template(template_name(message.template)).render(context)
    subject, newline, rest = text.partition("\n")
    blank, _newline, body = rest.partition("\n")
    if not subject.strip() or not newline or blank.strip():
        raise TemplateFormatError(
            f"{template_name(message.template)}: the first line must be the subject, "
            "the second line must be empty"
        )
    return subject.strip(), body.rstrip() + "\n"


def build_email(
    settings: Settings, message: OutboxMessage, subject: str, body: str
) -> EmailMessage:
    """A plain-text email. The Message-ID is stable, so a resent message is recognisable."""
    domain = settings.mail_from.rpartition("@")[2] or "localhost"
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.recipient
    email["Subject"] = subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = f"<outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(body)  # clears Content-* headers: add those after it
    email["Content-Language"] = message.language
    return email
