"""create_app(settings) -> Starlette: routes, middleware, lifespan."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from consent import db
from consent.errors import HANDLERS
from consent.middleware import LocaleMiddleware, StaffUserMiddleware
from consent.security import CSRFMiddleware, SecurityHeadersMiddleware
from consent.settings import Settings, bundled
from consent.templating import make_environment

# Each domain has routes.py (HTML pages); those with an API also have api.py. Routes are
# matched in order: the proposals come first, as the tenant page and the vote are the
# busiest.
DOMAINS = (
    "consent.proposals",
    "consent.pages",
    "consent.accounts",
    "consent.access_codes",
    "consent.housing",
    "consent.initiatives",
    "consent.code_requests",
    "consent.moving",
    "consent.rent_reductions",
    "consent.paper",
)


def _domain_routes(module: str) -> list[BaseRoute]:
    return list(import_module(f"{module}.routes").routes)


def create_app(settings: Settings, engine: Engine | None = None) -> Starlette:
    from consent.api.app import api_routes

    routes: list[BaseRoute] = [
        Mount("/static", app=StaticFiles(directory=bundled("static")), name="static"),
        Mount("/api/v1", routes=api_routes(), name="api"),
    ]
    for module in DOMAINS:
        routes.extend(_domain_routes(module))
    middleware = [
        Middleware(SecurityHeadersMiddleware),
        Middleware(LocaleMiddleware),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie="consent_session",
            max_age=settings.session_max_age,
            same_site="lax",
            https_only=settings.https_only,
        ),
        Middleware(CSRFMiddleware),
        Middleware(StaffUserMiddleware),
    ]
    handlers: Any = HANDLERS
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
    app.state.settings = settings
    app.state.engine = engine or db.make_engine(settings.database_url)
    app.state.templates = make_environment()
    return app
