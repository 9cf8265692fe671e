"""Every HX-* header helper lives here and nowhere else."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and not request.headers.get(
        "hx-history-restore-request"
    )


def redirect(request: Request, url: str) -> Response:
    """A redirect after a POST: 303 for a plain form, HX-Location for htmx."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Location": url})
    return RedirectResponse(url, status_code=303)
