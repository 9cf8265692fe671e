"""`consent jobs run-due`: run every registered due job, each on its own.

A domain adds a job in `consent/<domain>/jobs.py`:

    from consent.jobs import register

    @register
    def send_reminders(engine: Engine, settings: Settings) -> str:
        ...  # own transactions; return one summary line without personal data

Jobs run in the order their modules are found (by domain name); the outbox runs last,
so that messages queued by the other jobs go out in the same run.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import pkgutil
from collections.abc import Callable

from sqlalchemy.engine import Engine

import consent
from consent.settings import Settings

Job = Callable[[Engine, Settings], str]
JOBS: list[Job] = []
log = logging.getLogger(__name__)


def register(job: Job) -> Job:
    """Add a due job (usable as a decorator); registering twice adds it once."""
    if job not in JOBS:
        JOBS.append(job)
    return job


def discover() -> None:
    """Import every `consent/<domain>/jobs.py`, the outbox's last."""
    domains = [info.name for info in pkgutil.iter_modules(consent.__path__) if info.ispkg]
    for name in sorted(domains, key=lambda domain: (domain == "outbox", domain)):
        if importlib.util.find_spec(f"consent.{name}.jobs"):
            importlib.import_module(f"consent.{name}.jobs")


def run_due(engine: Engine, settings: Settings) -> list[str]:
    """Run each job; one that fails is reported in its line and does not stop the others."""
    discover()
    lines = []
    for job in list(JOBS):
        name = getattr(job, "__name__", repr(job))
        try:
            lines.append(job(engine, settings))
        except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
            # Only the type: exception messages (e.g. SQL parameters) may hold personal data.
            log.error("job %s failed: %s", name, type(exc).__name__)
            lines.append(f"{name}: failed ({type(exc).__name__})")
    return lines
