"""Staff pages of the housing register."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consent.db import new_session
from consent.housing import service
from consent.templating import render
from consent.web import engine, require_staff


async def complex_list(request: Request) -> Response:
    user = require_staff(request)
    with new_session(engine(request)) as session:
        complexes = service.list_complexes(
            session, user.corporation_id, only_complex_id=service.only_complex(user)
        )
    return render(request, "housing/complex_list.html", {"complexes": complexes})


async def complex_detail(request: Request) -> Response:
    """A complex of the user's own corporation (a committee: its own complex, no names)."""
    user = require_staff(request)
    with new_session(engine(request)) as session:
        found = service.visible_complex(
            user,
            service.get_complex(session, user.corporation_id, request.path_params["complex_id"]),
        )
        if found is None:
            raise HTTPException(status_code=404)
        units = service.units_of(session, found.id or 0)
    context = {"complex": found, "units": units, "personal": service.sees_personal_data(user)}
    return render(request, "housing/complex_detail.html", context)


routes = [
    Route("/medewerkers/complexen", complex_list, name="complex_list"),
    Route("/medewerkers/complexen/{complex_id:int}", complex_detail, name="complex_detail"),
]
