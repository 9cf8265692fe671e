"""The OpenAPI description of the housing API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from consent.housing.api_payload import MAX_UNITS
from consent.housing.models import LANGUAGES, UnitKind


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


TEXT_OR_NUMBER = {"oneOf": [{"type": "string"}, {"type": "number"}]}
TEXT = {"type": "string"}
UNIT_INPUT = {
    "eenheidCode": {"type": "string", "maxLength": 60, "description": "unit code"},
    "straatnaam": {"type": "string", "maxLength": 200},
    "huisnummer": {**TEXT_OR_NUMBER, "description": "house number (digits)"},
    "huisletter": {"type": "string", "maxLength": 5},
    "huisnummerToevoeging": {"type": "string", "maxLength": 20},
    "postcode": {"type": "string", "example": "3521 KL"},
    "woonplaats": {"type": "string", "maxLength": 100},
    "soort": {"type": "string", "enum": [kind.value for kind in UnitKind]},
    "huurovereenkomstCode": {**TEXT, "description": "current tenancy; empty = vacant"},
    "ingangsdatum": {"type": "string", "format": "date"},
    "huurders": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        "description": "tenant names: a list, or one text with | between co-tenants",
    },
    "taal": {"type": "string", "enum": list(LANGUAGES)},
    "email": TEXT,
    "telefoon": TEXT,
    "kaleHuur": {**TEXT_OR_NUMBER, "description": "bare rent per month in euros, e.g. 612.50"},
}
TENANCY = {
    "type": "object",
    "required": ["huurovereenkomstCode", "ingangsdatum", "taal", "email", "telefoon", "huurders"],
    "properties": {
        "huurovereenkomstCode": TEXT,
        "ingangsdatum": {"type": "string", "format": "date"},
        "taal": {"type": "string", "enum": list(LANGUAGES)},
        "email": TEXT,
        "telefoon": TEXT,
        "huurders": {"type": "array", "items": TEXT},
    },
}
UNIT_OUTPUT_FIELDS = ("eenheidCode", "straatnaam", "huisletter", "huisnummerToevoeging",
                      "postcode", "woonplaats", "soort")  # fmt: skip
UNIT = {
    "type": "object",
    "required": [*UNIT_OUTPUT_FIELDS, "huisnummer", "kaleHuur", "bewoond"],
    "properties": {
        **{name: UNIT_INPUT[name] for name in UNIT_OUTPUT_FIELDS},
        "huisnummer": {"type": "integer"},
        "kaleHuur": {"type": "string", "nullable": True, "example": "612.50"},
        "bewoond": {"type": "boolean", "description": "the unit has a current tenancy"},
        "huurovereenkomst": {
            "allOf": [_ref("Tenancy")],
            "nullable": True,
            "description": "the current tenancy; left out for tenant-committee tokens",
        },
    },
}

OPENAPI_SCHEMAS: dict[str, Any] = {
    "ComplexSummary": {
        "type": "object",
        "required": ["clusterCode", "clusterNaam", "aantalEenheden"],
        "properties": {
            "clusterCode": TEXT,
            "clusterNaam": TEXT,
            "aantalEenheden": {"type": "integer"},
        },
    },
    "UnitInput": {
        "type": "object",
        "description": "one unit: the columns of the register CSV import",
        "required": ["eenheidCode", "straatnaam", "huisnummer", "postcode", "woonplaats", "soort"],
        "additionalProperties": False,
        "properties": UNIT_INPUT,
    },
    "ComplexInput": {
        "type": "object",
        "required": ["clusterCode", "clusterNaam", "eenheden"],
        "additionalProperties": False,
        "properties": {
            "clusterCode": {"type": "string", "maxLength": 60},
            "clusterNaam": {"type": "string", "maxLength": 200},
            "eenheden": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_UNITS,
                "items": _ref("UnitInput"),
            },
        },
    },
    "Tenancy": TENANCY,
    "Unit": UNIT,
    "Complex": {
        "type": "object",
        "required": ["clusterCode", "clusterNaam", "eenheden"],
        "properties": {
            "clusterCode": TEXT,
            "clusterNaam": TEXT,
            "eenheden": {"type": "array", "items": _ref("Unit")},
        },
    },
}

OPENAPI_PATHS: dict[str, Any] = {
    "/complexes": {
        "get": {
            "operationId": "listComplexes",
            "summary": "The complexes of the token's corporation (a committee: its own complex)",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["complexen"],
                        "properties": {
                            "complexen": {"type": "array", "items": _ref("ComplexSummary")}
                        },
                    },
                    "The complexes",
                ),
                "401": _error("Unauthorized"),
            },
        },
        "post": {
            "operationId": "createComplex",
            "summary": "Create a complex with its units and tenancies (admin, project leader)",
            "description": "Takes the fields of the register CSV import and checks them the "
            "same way. A complex or unit code already in use is a conflict (409).",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("ComplexInput")}},
            },
            "responses": {
                "201": _json(_ref("Complex"), "The complex as stored"),
                "400": _error("BadRequest"),
                "401": _error("Unauthorized"),
                "403": _error("Forbidden"),
                "409": _error("Conflict"),
                "413": _error("TooLarge"),
                "422": _error("ValidationFailed"),
            },
        },
    },
    "/complexes/{code}": {
        "get": {
            "operationId": "readComplex",
            "summary": "One complex with its units, current tenancies and tenants",
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": _json(_ref("Complex"), "The complex"),
                "401": _error("Unauthorized"),
                "404": _error("NotFound"),
            },
        }
    },
}
