"""No personal data or secrets in the logs: a whole sign-in, code, vote and mail flow, and errors."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from consent.access_codes.models import Purpose
from consent.db import make_engine
from consent.jobs import run_due
from consent.outbox import sender
from consent.settings import Settings
from tests.factories import PASSWORD
from tests.security.sec_checks import browser
from tests.security.sec_world import CorpWorld, code

COMMENT = "Ik ben Tenant 1 en mijn telefoon is 06-10000001"


class RefusingBackend:
    """An SMTP server that refuses every recipient, quoting the address (as real ones do)."""

    def send(self, email: Any) -> None:
        address = str(email["To"])
        raise smtplib.SMTPRecipientsRefused({address: (550, f"5.1.1 <{address}> unknown".encode())})

    def close(self) -> None:
        return None


@contextmanager
def refusing_backend(_settings: Settings) -> Iterator[RefusingBackend]:
    yield RefusingBackend()


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every captured record as a handler would write it, tracebacks included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_a_full_flow_logs_no_personal_data(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.WARNING, logger="sqlalchemy")  # SQL echo is an operator's choice
    secrets_ = [PASSWORD, corp_a.admin_email, "t1@example.nl", "Tenant 1", "06-10000001"]
    # Staff: a wrong password, then signing in; issuing codes.
    staff = browser(make_client)
    assert (
        staff.submit("/inloggen", {"email": corp_a.admin_email, "password": "fout"}).status_code
        == 400
    )
    staff = browser(make_client, corp_a.admin_email)
    issued = staff.submit(f"/medewerkers/voorstellen/{corp_a.proposal_id}/codes")
    assert issued.status_code in (200, 303)
    # A tenant: a wrong code, the right one, a vote with a comment, a changed vote.
    value = code(engine, settings, corp_a, Purpose.PROPOSAL)
    secrets_.append(value)
    tenant = browser(make_client)
    assert tenant.submit("/code", {"code": "ABCDE-FGHJK-MNPQR"}).status_code == 400
    assert tenant.submit("/code", {"code": value}).status_code == 303
    tenant._csrf = None
    vote = f"/voorstel/{corp_a.proposal_id}/stem"
    assert tenant.submit(vote, {"choice": "disagree", "comment": COMMENT}).status_code == 303
    assert tenant.submit(vote, {"choice": "agree"}).status_code == 303
    # Someone asks for a code by address; the mail server refuses the message.
    asked = browser(make_client).submit(
        "/code-aanvragen", {"postcode": "3521 KL", "number": "1", "purpose": "moving"}
    )
    assert asked.status_code == 303
    monkeypatch.setattr(sender, "open_backend", refusing_backend)
    lines = run_due(engine, settings)
    assert "outbox message" in logged(caplog)  # the refusals were logged (without addresses)
    assert lines
    text_ = logged(caplog)
    for secret in secrets_ + [COMMENT]:
        assert secret not in text_, secret


def test_database_errors_do_not_carry_the_values(database_url: str, engine: Engine) -> None:
    """An unhandled database error is logged with its message: the message holds no values."""
    own = make_engine(database_url)
    try:
        with pytest.raises(IntegrityError) as caught, own.begin() as connection:
            statement = text("INSERT INTO corporation (id, slug, name, help_phone, "
                             "paper_four_eyes, initiative_response_days, created_at) "
                             "VALUES (:id, :slug, :name, '', false, 42, CURRENT_TIMESTAMP)")  # fmt: skip
            connection.execute(statement, {"id": 999, "slug": "dup", "name": "Jan Jansen"})
            connection.execute(statement, {"id": 999, "slug": "dup", "name": "Jan Jansen"})
        assert "Jan Jansen" not in str(caught.value)
    finally:
        own.dispose()
