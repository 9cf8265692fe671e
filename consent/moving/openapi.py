"""The OpenAPI description of the moving API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from consent.moving.rules import Status

_NULLABLE_INT = {"type": "integer", "nullable": True}
_NULLABLE_DATE = {"type": "string", "format": "date", "nullable": True}
_ERRORS = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "403": {"$ref": "#/components/responses/Forbidden"},
}

OPENAPI_SCHEMAS: dict[str, Any] = {
    "MovingSignup": {
        "type": "object",
        "description": (
            "A move-on or senior-broker sign-up. `care_needs` (special-category data) is "
            "present only when the token's user is the broker assigned to the sign-up."
        ),
        "required": ["id", "status", "channel", "signed_up_at", "programme_kind"],
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string", "enum": [s.value for s in Status]},
            "stop_reason": {"type": "string"},
            "channel": {"type": "string", "enum": ["code", "open"]},
            "signed_up_at": {"type": "string", "format": "date-time"},
            "signed_up_on": {"type": "string", "format": "date"},
            "tenancy_code": {"type": "string", "nullable": True},
            "broker_id": _NULLABLE_INT,
            "programme_kind": {
                "type": "string",
                "enum": ["mid_rent", "buying", "step_free", "clustered", "care"],
            },
            "contact": {"type": "object"},
            "address": {"type": "object"},
            "age_band": {"type": "string"},
            "household": {"type": "object"},
            "current_home": {"type": "object"},
            "wishes": {"type": "object"},
            "budget_cents": _NULLABLE_INT,
            "next_action_on": _NULLABLE_DATE,
            "moved_on": _NULLABLE_DATE,
            "care_needs": {
                "type": "string",
                "nullable": True,
                "description": "Only for the assigned broker; absent for everyone else.",
            },
        },
    }
}

OPENAPI_PATHS: dict[str, Any] = {
    "/moving/signups": {
        "get": {
            "operationId": "listMovingSignups",
            "description": "For broker and admin tokens; other roles get 403.",
            "summary": "List the move-on sign-ups of the token's corporation (brokers and admin)",
            "parameters": [
                {
                    "name": "status",
                    "in": "query",
                    "description": "Only sign-ups with this status; empty: all",
                    "schema": {"type": "string", "enum": ["", *(s.value for s in Status)]},
                },
                {
                    "name": "mine",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["true", "false"]},
                },
            ],
            "responses": {
                "200": {
                    "description": "The sign-ups, newest first",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "signups": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/MovingSignup"},
                                    }
                                },
                            }
                        }
                    },
                },
                "400": {
                    "description": "A query parameter is not valid",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                **_ERRORS,
            },
        }
    },
    "/moving/signups/{signup_id}": {
        "get": {
            "operationId": "getMovingSignup",
            "summary": "One sign-up of the token's corporation",
            "parameters": [
                {"name": "signup_id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": {
                "200": {
                    "description": "The sign-up",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/MovingSignup"}
                        }
                    },
                },
                "404": {"$ref": "#/components/responses/NotFound"},
                **_ERRORS,
            },
        }
    },
}
