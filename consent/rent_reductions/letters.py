"""The decision letter (HTML and PDF) in the tenant's language, and the tenant's data export."""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache
from typing import Any

from jinja2 import Environment
from sqlmodel import Session, col, select

from consent.audit.service import record
from consent.housing.models import Corporation, Tenancy, Tenant, Unit
from consent.i18n import direction, format_date, format_money, use_locale
from consent.rent_reductions import evidence, registry, service, uploads
from consent.rent_reductions.explain import status_label
from consent.rent_reductions.models import ReductionRequest, Status
from consent.settings import Settings
from consent.templating import make_environment, render_text
from consent.timeutil import utcnow

LETTER = "letters/rent_reduction_decision.html"


@cache
def environment() -> Environment:
    return make_environment()


def _parties(session: Session, req: ReductionRequest) -> tuple[Tenancy, Unit, list[Tenant], str]:
    tenancy = session.get(Tenancy, req.tenancy_id)
    assert tenancy is not None
    unit = session.get(Unit, tenancy.unit_id)
    assert unit is not None
    tenants = session.exec(
        select(Tenant).where(Tenant.tenancy_id == tenancy.id).order_by(col(Tenant.position))
    ).all()
    corporation = session.get(Corporation, req.corporation_id)
    return tenancy, unit, list(tenants), corporation.name if corporation else ""


def letter_context(session: Session, req: ReductionRequest) -> dict[str, Any]:
    """Everything the letter shows, formatted in the tenant's language (plain JSON values)."""
    tenancy, unit, tenants, corporation = _parties(session, req)
    scheme = registry.get(req.scheme_id)
    with use_locale(tenancy.language):
        return {
            "lang": tenancy.language,
            "dir": direction(tenancy.language),
            "corporation": corporation,
            "names": ", ".join(t.name for t in tenants),
            "address": unit.address,
            "postcode_town": f"{unit.postcode} {unit.town}",
            "reference": req.reference or "",
            "scheme": registry.scheme_name(scheme) if scheme else req.scheme_name,
            "legal_basis": scheme.legal_basis if scheme else "",
            "approved": req.status == Status.APPROVED.value,
            "letter_date": format_date(req.decided_at or utcnow()),
            "sent_date": format_date(req.submitted_on or req.submitted_at),
            "old_rent": format_money(req.old_rent_cents),
            "new_rent": format_money(req.new_rent_cents),
            "start_date": format_date(req.start_date),
            "reason": req.reject_reason,
        }


def letter_html(context: dict[str, Any]) -> str:
    with use_locale(str(context["lang"])):
        return render_text(environment(), LETTER, **context)


def letter_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=letter_html(context)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def export_data(session: Session, req: ReductionRequest) -> dict[str, Any]:
    """Everything held about one request, as plain JSON."""
    data = service.answers(req)
    pauses = service.pauses_of(session, req.id or 0)
    files = evidence.evidence_of(session, req.id or 0)
    return {
        "reference": req.reference,
        "scheme": req.scheme_id,
        "scheme_name": req.scheme_name,
        "status": req.status,
        "status_text": status_label(req.status),
        "created_at": req.created_at.isoformat(),
        "submitted_at": req.submitted_at.isoformat() if req.submitted_at else None,
        "answers": data,
        "questions": [
            {
                "asked_at": p.started_at.isoformat(),
                "question": p.question,
                "answered_at": p.ended_at.isoformat() if p.ended_at else None,
                "answer": p.answer,
            }
            for p in pauses
        ],
        "evidence": [
            {"name": f.original_name, "kind": f.kind, "size": f.size, "type": f.content_type}
            for f in files
        ],
        "evidence_deleted_at": (
            req.evidence_deleted_at.isoformat() if req.evidence_deleted_at else None
        ),
        "decision": {
            "decided_at": req.decided_at.isoformat() if req.decided_at else None,
            "old_rent_cents": req.old_rent_cents,
            "new_rent_cents": req.new_rent_cents,
            "start_date": req.start_date.isoformat() if req.start_date else None,
            "reject_reason": req.reject_reason,
        },
    }


def export_zip(session: Session, settings: Settings, req: ReductionRequest) -> bytes:
    """A ZIP with request.json, the evidence files still held and the decision letter."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        data = export_data(session, req)
        archive.writestr("request.json", json.dumps(data, indent=2, ensure_ascii=False))
        for i, row in enumerate(evidence.evidence_of(session, req.id or 0), start=1):
            content = uploads.read(settings, row.stored_name)
            if content is not None:
                archive.writestr(f"evidence/{i:02d}-{row.original_name}", content)
        if req.status in (Status.APPROVED.value, Status.REJECTED.value):
            archive.writestr("decision-letter.pdf", letter_pdf(letter_context(session, req)))
    record(
        session,
        actor=f"tenancy:{req.tenancy_id}",
        action="rent_reduction.exported",
        object_type="rent_reduction",
        object_id=req.id,
        corporation_id=req.corporation_id,
    )
    session.commit()
    return buffer.getvalue()
