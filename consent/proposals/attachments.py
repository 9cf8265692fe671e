"""Documents attached to a proposal: PDF, JPEG or PNG, checked by their first bytes.

Files are stored under ``settings.upload_dir/proposals`` with a random name; the
original name is kept only for the download. Who may download is decided by the
routes (staff of the corporation, tenants with a code for the proposal).
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session, col, select

from consent import uploads
from consent.audit.service import record
from consent.i18n import gettext as _
from consent.proposals import rules
from consent.proposals.models import Proposal, ProposalAttachment
from consent.proposals.service import ProposalError
from consent.settings import Settings
from consent.uploads import MAX_BYTES, sniff

__all__ = ["MAX_BYTES", "sniff", "add", "get", "list_of", "path_of", "remove"]

FOLDER = "proposals"


def _refusal(reason: str) -> str:
    if reason == "empty":
        return _("Kies een bestand")
    if reason == "too_large":
        return _("Het bestand is te groot (hoogstens %(mb)s MB)", mb=MAX_BYTES // (1024 * 1024))
    return _("Alleen PDF-, JPEG- en PNG-bestanden zijn toegestaan")


def safe_filename(name: str, extension: str) -> str:
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\- ]", "_", base).strip(" .") or "document"
    stem = base.rsplit(".", 1)[0][:150] if "." in base else base[:150]
    return stem + extension


def path_of(settings: Settings, attachment: ProposalAttachment) -> Path:
    return uploads.path_of(settings, FOLDER, attachment.stored_name)


def list_of(session: Session, proposal_id: int) -> list[ProposalAttachment]:
    return list(
        session.exec(
            select(ProposalAttachment)
            .where(ProposalAttachment.proposal_id == proposal_id)
            .order_by(col(ProposalAttachment.id))
        ).all()
    )


def get(session: Session, proposal_id: int, attachment_id: int) -> ProposalAttachment | None:
    row = session.get(ProposalAttachment, attachment_id)
    return row if row is not None and row.proposal_id == proposal_id else None


def add(
    session: Session,
    settings: Settings,
    proposal: Proposal,
    *,
    title: str,
    filename: str,
    data: bytes,
    actor: str,
) -> ProposalAttachment:
    if proposal.status in rules.FINISHED:
        raise ProposalError(_("De stemming is voorbij: u kunt geen documenten meer toevoegen"))
    try:
        stored = uploads.store(settings, FOLDER, data)
    except uploads.UploadError as exc:
        raise ProposalError(_refusal(exc.reason), "file") from exc
    content_type, extension, stored_name = stored.content_type, stored.extension, stored.stored_name
    clean_title = title.strip()[:200] or safe_filename(filename, extension)
    row = ProposalAttachment(
        proposal_id=proposal.id or 0,
        title=clean_title,
        filename=safe_filename(filename, extension),
        content_type=content_type,
        size=len(data),
        stored_name=stored_name,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="proposal.attachment_added",
        object_type="proposal",
        object_id=proposal.id,
        corporation_id=proposal.corporation_id,
        details={"attachment_id": row.id, "content_type": content_type, "size": len(data)},
    )
    return row


def remove(
    session: Session, settings: Settings, proposal: Proposal, attachment_id: int, actor: str
) -> None:
    if proposal.status in rules.FINISHED:
        raise ProposalError(_("De stemming is voorbij: de documenten blijven bewaard"))
    row = get(session, proposal.id or 0, attachment_id)
    if row is None:
        raise ProposalError(_("Dit document bestaat niet"))
    path_of(settings, row).unlink(missing_ok=True)
    session.delete(row)
    record(
        session,
        actor=actor,
        action="proposal.attachment_removed",
        object_type="proposal",
        object_id=proposal.id,
        corporation_id=proposal.corporation_id,
        details={"attachment_id": attachment_id},
    )
