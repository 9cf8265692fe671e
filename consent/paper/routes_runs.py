"""Staff pages of a letter run: its status, the PDF, trying again, "printed and posted".

While the letters are being made the page asks again every few seconds (htmx: the
answer is empty, 204, until there is something new to show, so nothing is swapped or
read out in between); without JavaScript a link reloads it.
"""

from __future__ import annotations

from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from consent import htmx
from consent.accounts.models import StaffUser
from consent.db import new_session
from consent.paper import files, runs, views
from consent.paper.models import LetterRun
from consent.paper.routes_letters import started
from consent.templating import render
from consent.timeutil import utcnow
from consent.web import engine, require_staff, settings


def _find(session: Session, user: StaffUser, request: Request) -> LetterRun:
    """The run of the path if the user may see it: 404 for another corporation's."""
    run = session.get(LetterRun, int(request.path_params["run_id"]))
    if run is None or run.corporation_id != user.corporation_id:
        raise HTTPException(status_code=404)
    if not runs.may_see(user, run):
        raise HTTPException(status_code=403)
    return run


def _page(
    request: Request, session: Session, run: LetterRun, message: str = "", status: int = 200
) -> Response:
    context = views.run_context(session, run)
    if message:
        context["errors"] = {"run-status": message}
    return render(request, "paper/run.html", context, partial="paper/_run_status.html",
                  status_code=status)  # fmt: skip


async def run_page(request: Request) -> Response:
    user = require_staff(request)
    with new_session(engine(request)) as session:
        run = _find(session, user, request)
        if htmx.is_htmx(request) and run.status in runs.ACTIVE:
            return Response(status_code=204)  # still being made: nothing new to show
        return _page(request, session, run)


async def run_pdf(request: Request) -> Response:
    """The PDF, as often as needed until the letters are confirmed posted."""
    user = require_staff(request)
    with new_session(engine(request)) as session:
        run = _find(session, user, request)
        path = files.path_of(settings(request), run.file_name) if run.status == "ready" else None
        if path is None:
            raise HTTPException(status_code=404)
        runs.downloaded(session, user, run, utcnow())
        session.commit()
    return FileResponse(
        path, media_type="application/pdf", filename=f"brieven-{run.id}.pdf",
        content_disposition_type="attachment", headers={"Cache-Control": "no-store"},
    )  # fmt: skip


async def run_retry(request: Request) -> Response:
    user = require_staff(request)
    with new_session(engine(request)) as session:
        run = _find(session, user, request)
        try:
            runs.retry(session, user, run)
        except runs.RunError as exc:
            return _page(request, session, run, exc.message, 409)
        session.commit()
    return started(request, run, True)


async def run_posted(request: Request) -> Response:
    user = require_staff(request)
    with new_session(engine(request)) as session:
        run = _find(session, user, request)
        try:
            runs.confirm_posted(session, settings(request), user, run, utcnow())
        except runs.RunError as exc:
            return _page(request, session, run, exc.message, 409)
        session.commit()
    return htmx.redirect(request, str(request.url_for("paper_run", run_id=run.id)))


R = "/medewerkers/brieven/opdrachten/{run_id:int}"
routes = [
    Route(R, run_page, name="paper_run"),
    Route(R + "/brieven.pdf", run_pdf, name="paper_run_pdf"),
    Route(R + "/opnieuw", run_retry, methods=["POST"], name="paper_run_retry"),
    Route(R + "/verstuurd", run_posted, methods=["POST"], name="paper_run_posted"),
]
