"""OpenAPI description of the proposals API."""

from __future__ import annotations

from typing import Any

from consent.api import schema
from consent.housing.api_schema import CODE_PATTERN
from consent.proposals.inputs import (
    MAX_CODE,
    MAX_DESCRIPTION,
    MAX_MEASURES,
    MAX_REASON,
    MAX_TEXT,
    MAX_TITLE,
    REQUIRED_TEXT,
    TEXT_FIELDS,
)
from consent.proposals.rules import RENT_KINDS, Category, Tag


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


NULL_STR = {"type": "string", "nullable": True}
NULL_INT = {"type": "integer", "nullable": True}
INSTANT = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date", "nullable": True}
RULE = {"type": "string", "enum": ["respondents", "all_tenants"]}

MEASURE = {
    "type": "object",
    "required": ["category", "tag", "description"],
    "properties": {
        "category": {"type": "string", "enum": [c.value for c in Category]},
        "tag": {"type": "string", "enum": [t.value for t in Tag]},
        "description": schema.text(MAX_DESCRIPTION, required=True),
        "rent_increase_cents": {
            "type": "integer",
            "minimum": 0,
            "default": 0,
            "description": "Monthly rent increase",
        },
    },
}
RENT_CHANGE = {
    "type": "object",
    "required": ["unit_kind", "monthly_change_cents"],
    "properties": {
        "unit_kind": {"type": "string", "enum": list(RENT_KINDS)},
        "monthly_change_cents": {"type": "integer"},
    },
}
_TEXTS = {
    name: schema.text(
        MAX_TITLE if name == "title" else MAX_TEXT,
        required=name in REQUIRED_TEXT,
        nullable=name not in REQUIRED_TEXT,
    )
    for name in TEXT_FIELDS
}
_INPUT_EXTRA = {
    "complex": {
        **schema.matching(CODE_PATTERN, description="The complex's clusterCode"),
        "maxLength": MAX_CODE,
    },
    "opens_at": {**INSTANT, "description": "ISO 8601; without an offset: Europe/Amsterdam"},
    "closes_at": {**INSTANT, "description": "ISO 8601; without an offset: Europe/Amsterdam"},
    "counting_rule": {
        "type": "string",
        "enum": [*RULE["enum"], None],
        "nullable": True,
        "default": "respondents",
    },
    "planned_start": DAY,
    "planned_end": DAY,
    "working_days": {**NULL_INT, "minimum": 0, "maximum": 1000},
    "stay_home": {"type": "boolean", "default": True},
    "moving_allowance_cents": {
        **NULL_INT,
        "description": "Needed when stay_home is false; at least the statutory minimum",
    },
    "energy_change_cents": {**NULL_INT, "description": "Expected monthly change, signed"},
    "measures": {"type": "array", "maxItems": MAX_MEASURES, "items": _ref("ProposalMeasure")},
    "rent_changes": {"type": "array", "items": _ref("ProposalRentChange")},
}
FIGURE = {
    "type": "object",
    "required": ["percent_agree", "reached", "votes_needed"],
    "properties": {
        "percent_agree": {
            **NULL_STR,
            "example": "70.00",
            "description": "Two decimals, rounded down",
        },
        "reached": {"type": "boolean"},
        "votes_needed": {
            **NULL_INT,
            "description": "Fewest extra agree votes from non-respondents to reach; null: cannot",
        },
    },
}
_TALLY_INTS = ("threshold_percent", "eligible", "excluded", "responded", "agree", "disagree")

OPENAPI_SCHEMAS: dict[str, Any] = {
    "ProposalMeasure": MEASURE,
    "ProposalRentChange": RENT_CHANGE,
    "ProposalInput": {
        "type": "object",
        "description": "Also checked, and refused with 422 when broken: the complex exists in "
        "the token's corporation; voting closes after it opens; the work ends after it starts; "
        "when tenants move out (stay_home false): temporary_home and at least the statutory "
        "moving allowance.",
        "required": ["complex", "title", "summary", "opens_at", "closes_at"],
        "properties": {**_TEXTS, **_INPUT_EXTRA},
    },
    "Proposal": {
        "type": "object",
        "required": ["id", "complex", "status", "title", "summary", "opens_at", "closes_at"],
        "properties": {
            "id": {"type": "integer"},
            "status": {
                "type": "string",
                "enum": ["draft", "consultation", "open", "closed", "decided", "notices_sent"],
            },
            **_TEXTS,
            **_INPUT_EXTRA,
            "consultation_started_at": {**INSTANT, "nullable": True},
            "consultation_skipped_at": {**INSTANT, "nullable": True},
            "opened_at": {**INSTANT, "nullable": True},
            "closed_at": {**INSTANT, "nullable": True},
            "decided_at": {**INSTANT, "nullable": True},
            "reached": {"type": "boolean", "nullable": True},
            "created_at": INSTANT,
        },
    },
    "ProposalTallyFigure": FIGURE,
    "ProposalTally": {
        "type": "object",
        "required": [
            "status",
            "counting_rule",
            *_TALLY_INTS,
            "non_respondents",
            "reached",
            "respondents",
            "statutory",
        ],
        "properties": {
            "proposal": {"type": "integer"},
            "status": {"type": "string"},
            "counting_rule": RULE,
            **{name: {"type": "integer"} for name in _TALLY_INTS},
            "non_respondents": {"type": "integer"},
            "response_rate": NULL_STR,
            "presumption_applies": {
                "type": "boolean",
                "description": "False below the minimum number of homes (10)",
            },
            "reached": {"type": "boolean", "description": "By the proposal's counting rule"},
            "respondents": _ref("ProposalTallyFigure"),
            "statutory": _ref("ProposalTallyFigure"),
        },
    },  # fmt: skip
    "ProposalExclusion": {
        "type": "object",
        "required": ["unit", "reason"],
        "properties": {
            "unit": {
                **schema.matching(CODE_PATTERN, description="a unit of the proposal's complex"),
                "maxLength": MAX_CODE,
            },
            "reason": schema.text(MAX_REASON, required=True),
        },
    },
    "ProposalCodes": {
        "type": "object",
        "properties": {
            "codes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "tenancy": {"type": "string", "description": "huurovereenkomstCode"},
                        "unit": {"type": "string", "description": "eenheidCode"},
                        "code": {"type": "string"},
                    },
                },
            }
        },
    },
}

ID_PARAM = [{"name": "proposal_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
CONFLICT = _json(_ref("Error"), "The proposal's status does not allow this now")


def _shared(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


READ_ERRORS = {"401": _shared("Unauthorized"), "403": _shared("Forbidden")}
BY_ID = {**READ_ERRORS, "404": _shared("NotFound")}
WRITE_ERRORS = {"409": CONFLICT}
BODY_ERRORS = {
    "400": _shared("BadRequest"),
    "413": _shared("TooLarge"),
    "422": _shared("ValidationFailed"),
}


def _op(
    operation_id: str,
    summary: str,
    responses: dict[str, Any],
    body: str | None = None,
    by_id: bool = True,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["proposals"],
        "responses": responses,
    }
    if by_id:
        operation["parameters"] = ID_PARAM
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(body)}},
        }
    return operation


PROPOSAL_LIST = {
    "type": "object",
    "properties": {"proposals": {"type": "array", "items": _ref("Proposal")}},
}

OPENAPI_PATHS: dict[str, Any] = {
    "/proposals": {
        "post": _op(
            "createProposal",
            "Create a draft renovation proposal for a complex (project leader, admin)",
            {"201": _json(_ref("Proposal"), "Created"), **BODY_ERRORS, **READ_ERRORS},
            body="ProposalInput",
            by_id=False,
        ),
        "get": _op(
            "listProposals",
            "The proposals the token may see (a committee member: of their complex)",
            {"200": _json(PROPOSAL_LIST, "The proposals"), **READ_ERRORS},
            by_id=False,
        ),
    },
    "/proposals/{proposal_id}": {
        "get": _op("readProposal", "One proposal", {"200": _json(_ref("Proposal"), "The proposal"), **BY_ID})
    },
    "/proposals/{proposal_id}/open": {
        "post": _op(
            "openProposal",
            "Open voting: freeze the eligible tenancies (consultation is skipped, and the skip "
            "recorded, when the complex has no tenant committee)",
            {"200": _json(_ref("Proposal"), "Opened"), **BY_ID, **WRITE_ERRORS},
        )
    },
    "/proposals/{proposal_id}/close": {
        "post": _op(
            "closeProposal",
            "Close voting and freeze the result",
            {"200": _json(_ref("Proposal"), "Closed"), **BY_ID, **WRITE_ERRORS},
        )
    },
    "/proposals/{proposal_id}/exclusions": {
        "post": _op(
            "excludeUnit",
            "Exclude a unit from the ballot, with a reason (before voting opens)",
            {"201": _json(_ref("ProposalExclusion"), "Excluded"), **BODY_ERRORS, **BY_ID, **WRITE_ERRORS},
            body="ProposalExclusion",
        )
    },
    "/proposals/{proposal_id}/codes": {
        "post": _op(
            "issueProposalCodes",
            "Issue a personal code to every eligible tenancy that has none; returned only once",
            {"200": _json(_ref("ProposalCodes"), "The new codes"), **BY_ID, **WRITE_ERRORS},
        )
    },
    "/proposals/{proposal_id}/tally": {
        "get": _op(
            "readProposalTally",
            "The tally: both figures side by side, frozen once voting closed",
            {"200": _json(_ref("ProposalTally"), "The tally"), **BY_ID},
        )
    },
}  # fmt: skip
