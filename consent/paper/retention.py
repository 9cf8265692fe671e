"""Data minimisation: delete the scans of signed paper forms after the retention period.

A scan shows a tenant's name, address and signature. It is deleted
``rules.scans_kept_until`` (CONSENT_SCAN_RETENTION_DAYS after voting closed, never
before the period to go to court after the outcome notice ended); the paper entry and
its ballot stay, and each deletion is in the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from consent.audit.service import record
from consent.db import session_scope
from consent.paper import rules, scans
from consent.paper.models import PaperEntry
from consent.proposals.models import Proposal
from consent.settings import Settings
from consent.timeutil import utcnow


def due_proposals(engine: Engine, settings: Settings, now: datetime) -> list[int]:
    """Closed votes with scans whose retention period has ended."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(Proposal.id, Proposal.closed_at, Proposal.notices_sent_at)
            .where(
                col(Proposal.closed_at).is_not(None),
                col(Proposal.id).in_(
                    select(PaperEntry.proposal_id).where(col(PaperEntry.scan_name) != "")
                ),
            )
            .order_by(col(Proposal.id))
        ).all()
    return [
        int(pid or 0)
        for pid, closed_at, notices_sent_at in rows
        if closed_at is not None
        and rules.scans_kept_until(closed_at, notices_sent_at, settings.scan_retention_days) <= now
    ]


def delete_scans(engine: Engine, settings: Settings, proposal_id: int, now: datetime) -> int:
    """Delete one proposal's scans (files first, then their names); returns the count."""
    with session_scope(engine) as session:
        entries = session.exec(
            select(PaperEntry).where(
                PaperEntry.proposal_id == proposal_id, col(PaperEntry.scan_name) != ""
            )
        ).all()
        for entry in entries:
            scans.remove(settings, entry.scan_name)
            entry.scan_name, entry.scan_type, entry.scan_size = "", "", 0
            entry.scan_deleted_at = now
            session.add(entry)
            record(
                session, actor="job:retention", action="paper.scan_deleted",
                object_type="paper_entry", object_id=entry.id,
                corporation_id=entry.corporation_id,
                details={"proposal_id": proposal_id, "retention_days": settings.scan_retention_days},
            )  # fmt: skip
    return len(entries)


def purge_due(engine: Engine, settings: Settings, now: datetime | None = None) -> str:
    """The retention job: each proposal in its own transaction; a summary line."""
    moment = now or utcnow()
    proposals = due_proposals(engine, settings, moment)
    deleted = sum(delete_scans(engine, settings, pid, moment) for pid in proposals)
    return f"paper: {deleted} scan(s) of {len(proposals)} closed vote(s) deleted"
