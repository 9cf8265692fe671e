"""Mail backends: `console` prints whole messages (development), `smtp` sends them."""

from __future__ import annotations

import smtplib
import ssl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Protocol

from consent.settings import Settings

SMTP_TIMEOUT = 20  # seconds, for connecting and for each reply


class Backend(Protocol):
    def send(self, email: EmailMessage) -> None: ...

    def close(self) -> None: ...


class ConsoleBackend:
    """Writes each message in full to standard output; for development only."""

    def send(self, email: EmailMessage) -> None:
        sys.stdout.write(f"{email.as_string()}\n{'-' * 72}\n")
        sys.stdout.flush()

    def close(self) -> None:
        return None


class SmtpBackend:
    """One connection for a whole run; after any error the next message reconnects."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT)
        try:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, email: EmailMessage) -> None:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(email)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


@contextmanager
def open_backend(settings: Settings) -> Iterator[Backend]:
    """The configured backend (CONSENT_MAIL_BACKEND), closed when the run ends."""
    backend: Backend = (
        SmtpBackend(settings) if settings.mail_backend == "smtp" else ConsoleBackend()
    )
    try:
        yield backend
    finally:
        backend.close()
