"""Mounts each domain's api.py under /api/v1 and serves the OpenAPI document."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from consent.api.auth import ApiError, error_response

API_DOMAINS = ("consent.housing",)


def _modules() -> list[Any]:
    return [import_module(f"{name}.api") for name in API_DOMAINS]


def openapi_document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "string"}, "details": {}},
        }
    }
    for module in _modules():
        paths.update(module.OPENAPI_PATHS)
        schemas.update(module.OPENAPI_SCHEMAS)
    return {
        "openapi": "3.0.3",
        "info": {"title": "consent API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
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
            messages = {401: "Not authenticated", 403: "Forbidden", 404: "Not found"}
            return error_response(exc.status_code, messages.get(exc.status_code, "Error"))

    return handler


def api_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = [Route("/openapi.json", openapi, name="openapi")]
    for module in _modules():
        for route in module.routes:
            routes.append(
                Route(route.path, _wrap(route.endpoint), methods=route.methods, name=route.name)
            )
    return routes
