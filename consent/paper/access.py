"""Who may use the paper pages, and finding the proposal in the user's corporation."""

from __future__ import annotations

from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from consent.accounts.models import Role, StaffUser
from consent.proposals import service
from consent.proposals.models import Proposal

WRITE = (Role.PROJECT_LEADER,)  # admin passes every role check
READ = (Role.PROJECT_LEADER, Role.COMMITTEE)  # the committee only sees its own complex
PRINT = (Role.PROJECT_LEADER, Role.CASE_WORKER)


def find(session: Session, user: StaffUser, request: Request) -> Proposal:
    """The proposal of the path, if the user may see it (else 404, never another's)."""
    proposal = service.get_for(session, user, int(request.path_params["proposal_id"]))
    if proposal is None:
        raise HTTPException(status_code=404)
    return proposal


def pdf_response(data: bytes, filename: str) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
