"""Who may open what: the tenant by personal code, case workers by corporation and role."""

from __future__ import annotations

from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from consent.access_codes.models import Purpose
from consent.access_codes.tenant import valid_codes
from consent.accounts.models import Role, StaffUser
from consent.housing.models import Tenancy
from consent.rent_reductions import casework, service, uploads
from consent.rent_reductions.models import EvidenceFile, ReductionRequest
from consent.web import require_staff

CASE_WORK = (Role.CASE_WORKER,)


def tenancy_for(request: Request, session: Session) -> Tenancy:
    """The tenancy in the path, if this browser redeemed a rent-reduction code for it (else 403).

    Rent-reduction codes are for the tenancy (one tenancy may make several requests over
    the years): issued with ``object_id`` = the tenancy id (``service.issue_code``), which
    lets the code land on this domain's start page. A code issued with ``object_id`` None
    for the same tenancy is accepted as well.
    """
    tenancy_id = int(request.path_params["object_id"])
    allowed = any(
        code.purpose == Purpose.RENT_REDUCTION.value
        and code.tenancy_id == tenancy_id
        and code.object_id in (None, tenancy_id)
        for code in valid_codes(request, session)
    )
    if not allowed:
        raise HTTPException(status_code=403, detail="code")
    tenancy = session.get(Tenancy, tenancy_id)
    if tenancy is None:
        raise HTTPException(status_code=404)
    return tenancy


def tenant_request(request: Request, session: Session, tenancy: Tenancy) -> ReductionRequest:
    found = service.of_tenancy(session, tenancy.id or 0, int(request.path_params["request_id"]))
    if found is None:
        raise HTTPException(status_code=404)
    return found


def case_worker(request: Request) -> StaffUser:
    return require_staff(request, *CASE_WORK)


def staff_case(request: Request, session: Session, user: StaffUser) -> ReductionRequest:
    """A sent request of the user's own corporation; another corporation's gets 404."""
    found = casework.case_of(session, user.corporation_id, int(request.path_params["request_id"]))
    if found is None:
        raise HTTPException(status_code=404)
    return found


def file_response(row: EvidenceFile, content: bytes) -> Response:
    """Always a download, never rendered inline, never cached."""
    return Response(
        content,
        media_type=row.content_type,
        headers={
            "content-disposition": uploads.disposition(row.original_name),
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
        },
    )


def pdf_response(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "content-disposition": uploads.disposition(filename),
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
        },
    )
