"""The OpenAPI description of the housing API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from consent.api import schema
from consent.housing.api_payload import MAX_UNITS
from consent.housing.csv_rows import CODE, KINDS, LIMITS, NAME_LIMIT
from consent.housing.models import LANGUAGES


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


CODE_PATTERN = CODE.pattern.removeprefix("^").removesuffix("$")
# 1 to 99999 in at most five digits (leading zeros count): what csv_rows accepts.
HOUSE_NUMBER = "(?:[1-9][0-9]{0,4}|0[1-9][0-9]{0,3}|00[1-9][0-9]{0,2}|000[1-9][0-9]?|0000[1-9])"
POSTCODE_PATTERN = "[1-9][0-9]{3} ?[A-Za-z]{2}"
EMAIL_PATTERN = r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+"
TEXT = {"type": "string"}


def _line(name: str, required: bool = False) -> dict[str, Any]:
    """A one-line text column with the import's length limit (LIMITS), if it has one."""
    return schema.text(LIMITS.get(name), required=required, one_line=True, nullable=not required)


UNIT_INPUT = {
    "eenheidCode": schema.matching(CODE_PATTERN, description="unit code"),
    "straatnaam": _line("straatnaam", required=True),
    "huisnummer": {
        "oneOf": [
            schema.matching(HOUSE_NUMBER),
            {"type": "integer", "minimum": 1, "maximum": 99999},
        ],
        "description": "house number: a whole number from 1",
    },
    "huisletter": _line("huisletter"),
    "huisnummerToevoeging": _line("huisnummerToevoeging"),
    "postcode": schema.matching(POSTCODE_PATTERN, description="e.g. 3521 KL"),
    "woonplaats": _line("woonplaats", required=True),
    "soort": {"type": "string", "enum": list(KINDS)},
    "huurovereenkomstCode": schema.matching(
        f"(?:{CODE_PATTERN})?", nullable=True, description="current tenancy; empty = vacant"
    ),
    "ingangsdatum": schema.matching(
        "(?:[0-9]{4}-[0-9]{2}-[0-9]{2})?",
        nullable=True,
        description="start of the tenancy (YYYY-MM-DD); needed with huurovereenkomstCode",
    ),
    "huurders": {
        "oneOf": [
            schema.text(LIMITS["huurders"], one_line=True),
            {"type": "array", "items": {**schema.text(NAME_LIMIT, one_line=True),
                                        "pattern": r"^[^|\x00-\x1f\x7f]*$"}},
        ],
        "nullable": True,
        "description": "tenant names: a list, or one text with | between co-tenants; "
        "needed with huurovereenkomstCode",
    },
    "taal": {"type": "string", "enum": ["", *LANGUAGES, None], "nullable": True,
             "description": "empty or null: nl"},
    "email": {**schema.matching(f"(?:{EMAIL_PATTERN})?", nullable=True), "maxLength": 200},
    "telefoon": _line("telefoon"),
    "kaleHuur": {
        "oneOf": [TEXT, {"type": "number", "minimum": 0, "maximum": 100000}],
        "nullable": True,
        "description": "bare rent per month in euros, at most two decimals, e.g. 612.50",
    },
}  # fmt: skip
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
            "clusterCode": schema.matching(CODE_PATTERN),
            "clusterNaam": _line("clusterNaam", required=True),
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
