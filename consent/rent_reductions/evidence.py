"""Evidence uploads of a request: checked, stored, listed, opened (audited), removed."""

from __future__ import annotations

from sqlmodel import Session, col, select

from consent.audit.service import record
from consent.rent_reductions import registry, uploads
from consent.rent_reductions.models import EvidenceFile, ReductionRequest, Status
from consent.rent_reductions.service import RequestError
from consent.settings import Settings
from consent.timeutil import utcnow

GENERIC_EVIDENCE = ("payslip", "benefit_statement", "ib60", "population_register")


def evidence_of(session: Session, request_id: int) -> list[EvidenceFile]:
    return list(
        session.exec(
            select(EvidenceFile)
            .where(EvidenceFile.request_id == request_id, col(EvidenceFile.deleted_at).is_(None))
            .order_by(col(EvidenceFile.id))
        ).all()
    )


def can_upload(req: ReductionRequest) -> bool:
    return req.status in (Status.DRAFT.value, Status.MORE_INFO.value)


def evidence_kinds(req: ReductionRequest) -> list[str]:
    scheme = registry.get(req.scheme_id)
    codes = [e.code for e in scheme.evidence] if scheme else []
    return codes + [k for k in GENERIC_EVIDENCE if k not in codes]


def add_evidence(
    session: Session,
    settings: Settings,
    req: ReductionRequest,
    kind: str,
    filename: str,
    content: bytes,
) -> EvidenceFile:
    """Store one checked upload (raises uploads.UploadError or RequestError)."""
    if not can_upload(req):
        raise RequestError("not_open")
    if kind not in evidence_kinds(req):
        raise RequestError("kind")
    stored = uploads.store(settings, content)
    row = EvidenceFile(
        request_id=req.id or 0,
        corporation_id=req.corporation_id,
        kind=kind,
        original_name=uploads.display_name(filename, stored.content_type),
        stored_name=stored.stored_name,
        content_type=stored.content_type,
        size=stored.size,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=f"tenancy:{req.tenancy_id}",
        action="rent_reduction.evidence_uploaded",
        object_type="rent_reduction",
        object_id=req.id,
        corporation_id=req.corporation_id,
        details={"file_id": row.id, "kind": kind, "size": stored.size},
    )
    return row


def remove_evidence(
    session: Session, settings: Settings, req: ReductionRequest, file_id: int
) -> None:
    row = session.get(EvidenceFile, file_id)
    if row is None or row.request_id != req.id or row.deleted_at is not None:
        raise RequestError("not_found")
    if req.status != Status.DRAFT.value:  # once sent, the case worker relies on it
        raise RequestError("not_open")
    uploads.delete(settings, row.stored_name)
    row.deleted_at = utcnow()
    session.add(row)
    record(
        session,
        actor=f"tenancy:{req.tenancy_id}",
        action="rent_reduction.evidence_removed",
        object_type="rent_reduction",
        object_id=req.id,
        corporation_id=req.corporation_id,
        details={"file_id": file_id},
    )


def open_evidence(
    session: Session, settings: Settings, req: ReductionRequest, file_id: int, actor: str
) -> tuple[EvidenceFile, bytes] | None:
    """A file of this request with its bytes; every view is audited."""
    row = session.get(EvidenceFile, file_id)
    if row is None or row.request_id != req.id or row.deleted_at is not None:
        return None
    content = uploads.read(settings, row.stored_name)
    if content is None:
        return None
    record(
        session,
        actor=actor,
        action="rent_reduction.evidence_viewed",
        object_type="rent_reduction",
        object_id=req.id,
        corporation_id=req.corporation_id,
        details={"file_id": file_id, "kind": row.kind},
    )
    session.commit()
    return row, content
