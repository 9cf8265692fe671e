"""Data minimisation: delete evidence files a set period after the decision; keep the decision."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from consent.audit.service import record
from consent.db import session_scope
from consent.rent_reductions import uploads
from consent.rent_reductions.models import (
    DECIDED_STATUSES,
    EvidenceFile,
    ReductionRequest,
)
from consent.settings import Settings
from consent.timeutil import utcnow


def due_for_purge(session: Session, settings: Settings, now: datetime) -> list[ReductionRequest]:
    cutoff = now - timedelta(days=settings.evidence_retention_days)
    return list(
        session.exec(
            select(ReductionRequest).where(
                col(ReductionRequest.status).in_([s.value for s in DECIDED_STATUSES]),
                col(ReductionRequest.decided_at) <= cutoff,
                col(ReductionRequest.evidence_deleted_at).is_(None),
            )
        ).all()
    )


def purge_request(
    session: Session, settings: Settings, req: ReductionRequest, now: datetime
) -> int:
    """Delete the request's files from disk and forget their names; returns the count."""
    files = session.exec(select(EvidenceFile).where(EvidenceFile.request_id == req.id)).all()
    count = 0
    for row in files:
        uploads.delete(settings, row.stored_name)
        if row.deleted_at is None:
            row.deleted_at = now
            count += 1
        row.original_name = ""
        session.add(row)
    req.evidence_deleted_at = now
    session.add(req)
    record(
        session,
        actor="job:retention",
        action="rent_reduction.evidence_purged",
        object_type="rent_reduction",
        object_id=req.id,
        corporation_id=req.corporation_id,
        details={"files": count},
    )
    return count


def purge_due(engine: Engine, settings: Settings, now: datetime | None = None) -> str:
    """The retention job: each request in its own transaction; a summary line."""
    moment = now or utcnow()
    with session_scope(engine) as session:
        ids = [r.id for r in due_for_purge(session, settings, moment)]
    files = 0
    for request_id in ids:
        with session_scope(engine) as session:
            req = session.get(ReductionRequest, request_id)
            if req is not None and req.evidence_deleted_at is None:
                files += purge_request(session, settings, req, moment)
    return f"rent reductions: evidence of {len(ids)} decided request(s) deleted ({files} file(s))"
