"""The tenant's evidence uploads, status page, answers, decision letter and data export."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.db import new_session
from consent.htmx import redirect
from consent.i18n import gettext as _
from consent.rent_reductions import evidence as evidence_files
from consent.rent_reductions import explain, letters, registry, service, uploads
from consent.rent_reductions.access import file_response, pdf_response, tenancy_for, tenant_request
from consent.rent_reductions.casework import due_at
from consent.rent_reductions.models import DECIDED_STATUSES, ReductionRequest, Status
from consent.rent_reductions.service import RequestError
from consent.templating import render
from consent.web import engine, settings, text, values

MAX_ANSWER = 4000


def _url(request: Request, name: str, req: ReductionRequest, **extra: Any) -> str:
    return str(request.url_for(name, object_id=req.tenancy_id, request_id=req.id, **extra))


def upload_message(reason: str) -> str:
    messages = {
        "empty": _("Het bestand is leeg. Kies een ander bestand."),
        "too_large": _(
            "Het bestand is te groot. Het mag hoogstens %(mb)s MB zijn.",
            mb=uploads.MAX_UPLOAD_BYTES // (1024 * 1024),
        ),
        "type": _(
            "Dit soort bestand kunnen wij niet gebruiken. Stuur een PDF, JPG of PNG. "
            "Een andere naam geven aan een bestand helpt niet: wij kijken naar de inhoud."
        ),
        "kind": _("Kies wat voor document het is."),
        "not_open": _("U kunt nu geen documenten meer toevoegen."),
    }
    return messages[reason]


def _evidence_context(
    session: Session, req: ReductionRequest, errors: dict[str, str]
) -> dict[str, Any]:
    scheme = registry.get(req.scheme_id)
    kinds = evidence_files.evidence_kinds(req)
    return {
        "req": req,
        "required": [registry.evidence_label(e) for e in scheme.evidence] if scheme else [],
        "kinds": [(k, explain.kind_label(scheme, k)) for k in kinds],
        "files": evidence_files.evidence_of(session, req.id or 0),
        "kind_label": lambda kind: explain.kind_label(scheme, kind),
        "errors": errors,
        "max_mb": uploads.MAX_UPLOAD_BYTES // (1024 * 1024),
    }


async def evidence(request: Request) -> Response:
    errors: dict[str, str] = {}
    with new_session(engine(request)) as session:
        tenancy = tenancy_for(request, session)
        req = tenant_request(request, session, tenancy)
        if not evidence_files.can_upload(req):
            return redirect(request, _url(request, "rent_reduction_status", req))
        if request.method == "POST":
            form = await request.form()
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                errors["file"] = _("Kies een bestand.")
            else:
                content = await upload.read(uploads.MAX_UPLOAD_BYTES + 1)
                try:
                    evidence_files.add_evidence(
                        session,
                        settings(request),
                        req,
                        text(form, "kind", 40, {}),
                        upload.filename,
                        content,
                    )
                    session.commit()
                    return redirect(request, _url(request, "rent_reduction_evidence", req))
                except uploads.UploadError as exc:
                    errors["file"] = upload_message(exc.reason)
                except RequestError as exc:
                    errors["kind" if exc.reason == "kind" else "file"] = upload_message(exc.reason)
            await form.close()
        context = _evidence_context(session, req, errors)
    return render(
        request, "rent_reductions/evidence.html", context, status_code=400 if errors else 200
    )


async def evidence_remove(request: Request) -> Response:
    with new_session(engine(request)) as session:
        tenancy = tenancy_for(request, session)
        req = tenant_request(request, session, tenancy)
        try:
            evidence_files.remove_evidence(
                session, settings(request), req, request.path_params["file_id"]
            )
        except RequestError as exc:
            raise HTTPException(status_code=404 if exc.reason == "not_found" else 409) from exc
        session.commit()
    return redirect(request, _url(request, "rent_reduction_evidence", req))


async def evidence_file(request: Request) -> Response:
    with new_session(engine(request)) as session:
        tenancy = tenancy_for(request, session)
        req = tenant_request(request, session, tenancy)
        actor = f"tenancy:{tenancy.id}"
        found = evidence_files.open_evidence(
            session, settings(request), req, request.path_params["file_id"], actor
        )
    if found is None:
        raise HTTPException(status_code=404)
    return file_response(*found)


def _status_page(
    request: Request, session: Session, req: ReductionRequest,
    errors: dict[str, str] | None = None, entered: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    due, paused = due_at(session, req)
    pauses = service.pauses_of(session, req.id or 0)
    context = {
        "req": req,
        "status_text": explain.status_label(req.status),
        "due": due,
        "paused": paused,
        "open_question": next((p for p in pauses if p.ended_at is None), None),
        "files": evidence_files.evidence_of(session, req.id or 0),
        "kind_label": lambda kind: explain.kind_label(registry.get(req.scheme_id), kind),
        "decided": req.status in [s.value for s in DECIDED_STATUSES],
        "errors": errors or {},
        "values": entered or {},
    }
    status_code = 400 if errors else 200
    return render(request, "rent_reductions/status.html", context, status_code=status_code)


async def status(request: Request) -> Response:
    with new_session(engine(request)) as session:
        tenancy = tenancy_for(request, session)
        req = tenant_request(request, session, tenancy)
        if req.status == Status.DRAFT.value:
            return redirect(request, _url(request, "rent_reduction_household", req))
        return _status_page(request, session, req)


async def answer(request: Request) -> Response:
    with new_session(engine(request)) as session:
        tenancy = tenancy_for(request, session)
        req = tenant_request(request, session, tenancy)
        form = await request.form()
        errors: dict[str, str] = {}
        reply = text(form, "answer", MAX_ANSWER, errors)
        if errors:
            return _status_page(request, session, req, errors, values(form))
        try:
            service.answer_more_info(session, req, reply)
        except RequestError as exc:
            raise HTTPException(status_code=409) from exc
        session.commit()
    return redirect(request, _url(request, "rent_reduction_status", req))


async def letter(request: Request) -> Response:
    with new_session(engine(request)) as session:
        tenancy = tenancy_for(request, session)
        req = tenant_request(request, session, tenancy)
        if req.status not in [s.value for s in DECIDED_STATUSES]:
            raise HTTPException(status_code=404)
        content = letters.letter_pdf(letters.letter_context(session, req))
    return pdf_response(content, f"besluit-{req.reference}.pdf")


async def export(request: Request) -> Response:
    with new_session(engine(request)) as session:
        tenancy = tenancy_for(request, session)
        req = tenant_request(request, session, tenancy)
        content = letters.export_zip(session, settings(request), req)
    name = f"huurverlaging-{req.reference or req.id}.zip"
    return Response(
        content,
        media_type="application/zip",
        headers={
            "content-disposition": uploads.disposition(name),
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
        },
    )


_REQ = "/huurverlaging/{object_id:int}/aanvragen/{request_id:int}"
routes = [
    Route(_REQ, status, name="rent_reduction_status"),
    Route(f"{_REQ}/bewijs", evidence, methods=["GET", "POST"], name="rent_reduction_evidence"),
    Route(f"{_REQ}/bewijs/{{file_id:int}}", evidence_file, name="rent_reduction_evidence_file"),
    Route(
        f"{_REQ}/bewijs/{{file_id:int}}/verwijderen",
        evidence_remove,
        methods=["POST"],
        name="rent_reduction_evidence_remove",
    ),
    Route(f"{_REQ}/antwoord", answer, methods=["POST"], name="rent_reduction_answer"),
    Route(f"{_REQ}/brief", letter, name="rent_reduction_letter"),
    Route(f"{_REQ}/gegevens", export, name="rent_reduction_export"),
]
