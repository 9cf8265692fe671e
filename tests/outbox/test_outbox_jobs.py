"""The due-jobs registry and `consent jobs run-due`."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from consent import jobs
from consent.cli import main
from consent.outbox.sender import send_due
from consent.settings import Settings


def test_the_outbox_is_registered_and_runs_last(engine: Engine, settings: Settings) -> None:
    jobs.discover()
    assert send_due in jobs.JOBS
    assert jobs.JOBS[-1] is send_due
    assert jobs.run_due(engine, settings)[-1] == "outbox: 0 sent, 0 failed, 0 letters waiting"


def test_a_failing_job_does_not_stop_the_others(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs.discover()
    monkeypatch.setattr(jobs, "JOBS", [])

    @jobs.register
    def broken(_engine: Engine, _settings: Settings) -> str:
        raise RuntimeError("geheim: jan@example.nl")

    @jobs.register
    def fine(_engine: Engine, _settings: Settings) -> str:
        return "fine: 1 done"

    jobs.register(fine)  # twice: still once
    assert jobs.run_due(engine, settings) == ["broken: failed (RuntimeError)", "fine: 1 done"]


def test_cli_jobs_run_due_sends_over_smtp(
    engine: Engine,
    settings: Settings,
    smtp_server,
    queue,
    use_test_templates,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    queue("jan@example.nl", language="en")
    queue("Lindelaan 1", channel="letter")
    for name, value in {
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_server.port),
        "MAIL_FROM": "consent@corporatie.example",
    }.items():
        monkeypatch.setenv(f"CONSENT_{name}", value)
    assert main(["jobs", "run-due"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "outbox: 1 sent, 0 failed, 1 letters waiting"
    [email] = smtp_server.emails()
    assert email["Subject"] == "Bericht (en) voor Jan"
    assert email["From"] == "consent@corporatie.example"
