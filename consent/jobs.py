"""`consent jobs run-due`: every due job, each in its own transaction."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from consent.settings import Settings


def run_due(engine: Engine, settings: Settings) -> list[str]:
    from consent.outbox.sender import send_due

    return [send_due(engine, settings)]
