"""Adding photos and documents to an initiative (checked by content, stored on disk)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from consent.audit.service import record
from consent.initiatives import rules, uploads
from consent.initiatives.models import Attachment
from consent.initiatives.service import InitiativeError, lock
from consent.settings import Settings


def add(
    session: Session,
    settings: Settings,
    initiative_id: int,
    *,
    filename: str,
    data: bytes,
    actor: str,
) -> Attachment:
    """Store one file. Raises uploads.UploadError (type, too_large, empty, count) or InitiativeError."""
    content_type, extension = uploads.check(data)
    initiative = lock(session, initiative_id)
    if initiative.status not in rules.EDITABLE:
        raise InitiativeError("state")
    count = session.exec(
        select(func.count(col(Attachment.id))).where(Attachment.initiative_id == initiative_id)
    ).one()
    if count >= uploads.MAX_FILES:
        raise uploads.UploadError("count")
    stored = uploads.store(settings, data)
    row = Attachment(
        initiative_id=initiative_id,
        filename=uploads.clean_name(filename, extension),
        stored_name=stored,
        content_type=content_type,
        size=len(data),
    )
    session.add(row)
    try:
        session.flush()
        record(
            session,
            actor=actor,
            action="initiative.attachment_added",
            object_type="initiative",
            object_id=initiative_id,
            corporation_id=initiative.corporation_id,
            details={"attachment_id": row.id, "type": content_type, "size": len(data)},
        )
    except Exception:
        uploads.remove(settings, stored)
        raise
    return row


def of(session: Session, initiative_id: int) -> list[Attachment]:
    return list(
        session.exec(
            select(Attachment)
            .where(Attachment.initiative_id == initiative_id)
            .order_by(col(Attachment.id))
        ).all()
    )


def get(session: Session, initiative_id: int, attachment_id: int) -> Attachment | None:
    row = session.get(Attachment, attachment_id)
    return row if row is not None and row.initiative_id == initiative_id else None
