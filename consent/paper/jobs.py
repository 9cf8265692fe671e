"""Due jobs of the paper domain, run by `consent jobs run-due`."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from consent.jobs import register
from consent.paper import make, retention, runs
from consent.settings import Settings


@register
def make_letters(engine: Engine, settings: Settings) -> str:
    """Letters asked for and not made yet (the web process stopped before it made them)."""
    counts = make.run_due(engine, settings)
    made = ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))
    return f"paper: letter runs {made or 'none waiting'}"


@register
def delete_old_paper_files(engine: Engine, settings: Settings) -> str:
    """Scans of signed forms after their retention period; unposted letter PDFs."""
    expired = runs.expire_files(engine, settings)
    return f"{retention.purge_due(engine, settings)}; {expired} unposted letter PDF(s) deleted"
