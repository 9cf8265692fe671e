"""Pure decisions for the outbox: back-off, leases, and error text without personal data."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from jinja2 import TemplateError

BATCH_SIZE = 20  # messages claimed at once by one sender
LEASE = timedelta(minutes=15)  # a claimed batch is retried by another run after this
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=6)
FAILING_AFTER = 5  # failed attempts before staff see a message as failing


def backoff(failed_attempts: int) -> timedelta:
    """The wait before the next try: 1, 2, 4, 8 ... minutes, never more than 6 hours."""
    if failed_attempts < 1:
        return timedelta(0)
    return min(FIRST_RETRY * 2 ** min(failed_attempts - 1, 30), MAX_RETRY)


class TemplateFormatError(ValueError):
    """An email template does not have a subject line followed by a blank line."""


def error_text(exc: BaseException) -> str:
    """Why a send failed, for last_error and the audit log: never an address or a name.

    Only the exception's type and SMTP reply codes, or a template error (which names a
    template or a variable, not a value). Server replies are left out: they often quote
    the recipient's address.
    """
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _reply in exc.recipients.values()})
        return f"{name} {','.join(codes)}".strip()
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{name} {exc.smtp_code}"
    if isinstance(exc, TemplateError | TemplateFormatError):
        return " ".join(f"{name}: {exc}".split())[:300]
    return name
