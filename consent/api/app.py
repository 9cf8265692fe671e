"""Mounts each domain's api.py under /api/v1 and serves the OpenAPI document."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from consent.api.auth import ApiError, error_response

API_DOMAINS = (
    "consent.housing",
    "consent.proposals",
    "consent.initiatives",
    "consent.moving",
    "consent.rent_reductions",
    "consent.paper",
)


def _modules() -> list[Any]:
    return [import_module(f"{name}.api") for name in API_DOMAINS]


def _error_response(description: str, schema: str = "Error") -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


# Shared by every domain: {"$ref": "#/components/responses/NotFound"}, and so on.
ERROR_RESPONSES = {
    "BadRequest": _error_response("The body is not a JSON object"),
    "Unauthorized": _error_response("No valid bearer token"),
    "Forbidden": _error_response("The token's role does not allow this"),
    "NotFound": _error_response("Not found in the token's corporation"),
    "Conflict": _error_response("A code is already in use", "ValidationError"),
    "TooLarge": _error_response("The request body is too large"),
    "ValidationFailed": _error_response("Invalid fields", "ValidationError"),
}
COMMON_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}, "details": {}},
    },
    "ValidationError": {
        "type": "object",
        "required": ["error", "details"],
        "properties": {
            "error": {"type": "string"},
            "details": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "message"],
                    "properties": {
                        "field": {"type": "string", "example": "eenheden[0].postcode"},
                        "message": {"type": "string"},
                    },
                },
            },
        },
    },
}
INFO = (
    "Texts: spaces around a value are ignored, maxLength counts the text as sent, and no "
    "text may hold a NUL character. A body that breaks a rule the schemas cannot state "
    "(a code that must exist, dates in order) is refused with 422 and the field named."
)
OPENAPI_SELF = {
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This OpenAPI document",
            "security": [],
            "responses": {"200": {"description": "The OpenAPI 3 document"}},
        }
    }
}


def openapi_document() -> dict[str, Any]:
    """Every domain's OPENAPI_PATHS and OPENAPI_SCHEMAS in one OpenAPI 3.0 document."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = dict(COMMON_SCHEMAS)
    for module in _modules():
        for path, operations in module.OPENAPI_PATHS.items():
            paths.setdefault(path, {}).update(operations)
        schemas.update(module.OPENAPI_SCHEMAS)
    paths.update(OPENAPI_SELF)
    return {
        "openapi": "3.0.3",
        "info": {"title": "consent API", "version": "1", "description": INFO},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
            "responses": ERROR_RESPONSES,
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }


async def openapi(_request: Request) -> Response:
    return JSONResponse(openapi_document())


def _wrap(endpoint: Any) -> Any:
    """Turn ApiError and HTTPException into JSON errors with a message."""

    async def handler(request: Request) -> Response:
        try:
            return await endpoint(request)  # type: ignore[no-any-return]
        except ApiError as exc:
            return error_response(exc.status, exc.message, exc.details)
        except HTTPException as exc:
            return error_response(exc.status_code)

    return handler


class _ApiRoute(Route):
    """A route whose 405 names every method of its path, also those of sibling routes."""

    def __init__(self, *args: Any, allow: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow = allow

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            raise HTTPException(status_code=405, headers={"Allow": ", ".join(sorted(self.allow))})
        await super().handle(scope, receive, send)


def api_routes() -> list[BaseRoute]:
    """Every domain's API routes, wrapped so that errors are JSON."""
    domain_routes = [route for module in _modules() for route in module.routes]
    allowed: dict[str, set[str]] = {}
    for route in domain_routes:
        allowed.setdefault(route.path, set()).update(route.methods or ())
    routes: list[BaseRoute] = [Route("/openapi.json", openapi, name="openapi")]
    for route in domain_routes:
        routes.append(
            _ApiRoute(
                route.path,
                _wrap(route.endpoint),
                methods=route.methods,
                name=route.name,
                allow=allowed[route.path],
            )
        )
    return routes
