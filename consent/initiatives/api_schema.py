"""The OpenAPI description of the initiatives API."""

from __future__ import annotations

from typing import Any

from consent.api import schema
from consent.initiatives.answers import MAX_TEXT

STATUSES = ["draft", "collecting", "submitted", "more_info_needed", "accepted", "rejected"]
TIME = {"type": "string", "format": "date-time", "nullable": True}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "401": _json(_ref("Error"), "No valid token"),
    "403": _json(_ref("Error"), "The token's role may not do this"),
}
ID_PARAM = {"name": "initiative_id", "in": "path", "required": True, "schema": {"type": "integer"}}

OPENAPI_SCHEMAS: dict[str, Any] = {
    "InitiativeSummary": {
        "type": "object",
        "required": ["id", "title", "status", "complex", "measures", "support", "overdue"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "status": {"type": "string", "enum": STATUSES},
            "complex": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                },
            },
            "for_home": {"type": "boolean"},
            "measures": {"type": "array", "items": {"type": "string"}},
            "offer_cents": {"type": "integer", "nullable": True},
            "created_at": TIME,
            "submitted_at": TIME,
            "due_at": {**TIME, "description": "null before submission and while paused"},
            "answered_at": TIME,
            "overdue": {"type": "boolean"},
            "paused": {"type": "boolean"},
            "support": {
                "type": "object",
                "properties": {
                    "signed": {"type": "integer"},
                    "households": {"type": "integer"},
                    "percent": {"type": "string", "example": "41.66"},
                },
            },
            "proposal_id": {"type": "integer", "nullable": True},
        },
    },
    "Initiative": {
        "allOf": [
            _ref("InitiativeSummary"),
            {
                "type": "object",
                "properties": {
                    "measure_text": {"type": "string"},
                    "reason": {"type": "string"},
                    "answer_reasons": {"type": "string"},
                    "history": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "at": TIME,
                                "from": {"type": "string", "nullable": True},
                                "to": {"type": "string"},
                                "by_staff": {"type": "boolean"},
                                "note": {"type": "string"},
                            },
                        },
                    },
                    "pauses": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"started_at": TIME, "ended_at": TIME},
                        },
                    },
                    "attachments": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": {"type": "integer"},
                                "filename": {"type": "string"},
                                "content_type": {"type": "string"},
                                "size": {"type": "integer"},
                            },
                        },
                    },
                },
            },
        ]
    },
    "InitiativeAnswer": {
        "type": "object",
        "required": ["decision"],
        "properties": {
            "decision": {"type": "string", "enum": ["accepted", "rejected", "more_info"]},
            "reasons": schema.text(
                MAX_TEXT, description="Required for rejected and more_info (the question)"
            ),
            "create_proposal": {"type": "boolean", "default": False},
        },
        "oneOf": [
            {"properties": {"decision": {"enum": ["accepted"]}}},
            {
                "required": ["reasons"],
                "properties": {
                    "decision": {"enum": ["rejected", "more_info"]},
                    "reasons": schema.text(MAX_TEXT, required=True),
                },
            },
        ],
    },
}

OPENAPI_PATHS: dict[str, Any] = {
    "/initiatives": {
        "get": {
            "summary": "List the initiatives of the token's corporation (committee: its complex)",
            "parameters": [
                {
                    "name": "status",
                    "in": "query",
                    "description": "Only initiatives with this status; empty: all",
                    "schema": {"type": "string", "enum": ["", *STATUSES]},
                }
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "initiatives": {"type": "array", "items": _ref("InitiativeSummary")}
                        },
                    },
                    "The initiatives",
                ),
                "400": _json(_ref("Error"), "Unknown status"),
                **ERRORS,
            },
        }
    },
    "/initiatives/{initiative_id}": {
        "get": {
            "summary": "One initiative with its status history, pauses and attachments",
            "parameters": [ID_PARAM],
            "responses": {
                "200": _json(_ref("Initiative"), "The initiative"),
                "404": _json(_ref("Error"), "No such initiative in the token's scope"),
                **ERRORS,
            },
        }
    },
    "/initiatives/{initiative_id}/answer": {
        "post": {
            "summary": "Answer a submitted initiative: accept, reject (reasons) or ask for information",
            "description": "more_info pauses the answer clock until the initiator replies.",
            "parameters": [ID_PARAM],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("InitiativeAnswer")}},
            },
            "responses": {
                "200": _json(_ref("Initiative"), "The answered initiative"),
                "400": _json(_ref("Error"), "Bad input"),
                "404": _json(_ref("Error"), "No such initiative in the token's scope"),
                "409": _json(_ref("Error"), "The initiative cannot be answered in its status"),
                **ERRORS,
            },
        }
    },
}
