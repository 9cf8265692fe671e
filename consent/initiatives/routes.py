"""Every initiative page, and the download of an attachment (tenants of the complex, staff)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from consent.access_codes.landing import register
from consent.access_codes.models import Purpose
from consent.access_codes.tenant import require_code
from consent.accounts.models import Role, StaffUser
from consent.db import new_session
from consent.initiatives import attachments, queries, staff_routes, tenant_routes, uploads
from consent.initiatives.models import Initiative
from consent.initiatives.rules import PUBLIC_PATH, STAFF_PATH
from consent.web import engine, settings


def _may_download(request: Request, initiative: Initiative) -> bool:
    user: StaffUser | None = getattr(request.state, "user", None)
    if user is not None and user.role in (Role.ADMIN, *staff_routes.VIEWERS):
        return queries.staff_may_see(initiative, user)
    return False


async def attachment(request: Request) -> Response:
    with new_session(engine(request)) as session:
        initiative = session.get(Initiative, request.path_params["initiative_id"])
        if initiative is None:
            raise HTTPException(status_code=404)
        if not _may_download(request, initiative):
            code = require_code(request, session, Purpose.INITIATIVE, initiative.complex_id)
            if code.corporation_id != initiative.corporation_id or not queries.tenant_may_see(
                initiative, code.tenancy_id
            ):
                raise HTTPException(status_code=404)
        row = attachments.get(session, initiative.id or 0, request.path_params["attachment_id"])
    if row is None:
        raise HTTPException(status_code=404)
    path = uploads.path_of(settings(request), row.stored_name)
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(
        path,
        media_type=row.content_type,
        filename=row.filename,
        content_disposition_type="attachment",
    )


register(Purpose.INITIATIVE, "initiative_complex")

routes = [
    Route("/initiatieven/complex/{object_id:int}", tenant_routes.complex_page, name="initiative_complex"),
    Route("/initiatieven/complex/{object_id:int}/nieuw", tenant_routes.new_initiative,
          methods=["GET", "POST"], name="initiative_new"),
    Route(PUBLIC_PATH, tenant_routes.detail, name="initiative_detail"),
    Route(PUBLIC_PATH + "/{action:str}", tenant_routes.action, methods=["POST"], name="initiative_action"),
    Route(PUBLIC_PATH + "/bijlagen/{attachment_id:int}", attachment, name="initiative_attachment"),
    Route("/medewerkers/initiatieven", staff_routes.dashboard, name="staff_initiatives"),
    Route("/medewerkers/initiatieven/nieuw", staff_routes.new_initiative, methods=["GET", "POST"],
          name="staff_initiative_new"),
    Route(STAFF_PATH, staff_routes.detail, name="staff_initiative_detail"),
    Route(STAFF_PATH + "/antwoord", staff_routes.answer, methods=["POST"], name="staff_initiative_answer"),
    Route(STAFF_PATH + "/{action:str}", staff_routes.action, methods=["POST"],
          name="staff_initiative_action"),
]  # fmt: skip
