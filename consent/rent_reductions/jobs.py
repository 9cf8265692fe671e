"""Due jobs of the rent-reduction domain, run by `consent jobs run-due`."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from consent.jobs import register
from consent.rent_reductions.retention import purge_due
from consent.settings import Settings


@register
def purge_rent_reduction_evidence(engine: Engine, settings: Settings) -> str:
    """Delete evidence files CONSENT_EVIDENCE_RETENTION_DAYS after the decision."""
    return purge_due(engine, settings)
