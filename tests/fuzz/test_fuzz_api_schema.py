"""schemathesis against /api/v1/openapi.json, in-process, with a valid bearer token.

Every operation of the OpenAPI document gets a few generated requests (bounded: a few
examples per operation, the whole test well under two minutes per database): no server
error, and every response matches the document (status code, content type, body).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks
from sqlalchemy.engine import Engine

from consent.settings import Settings
from tests.security.sec_world import CorpWorld, token

EXAMPLES_PER_OPERATION = int(os.environ.get("CONSENT_FUZZ_EXAMPLES", "12"))
# Every check runs on every operation, but for these the document cannot state every rule
# (OpenAPI 3.0 has no if/then and no lookups), so a body it calls valid may still get 422:
# only the check that valid data is accepted is left out, and only for these operations.
BUSINESS_RULES = {
    "POST /complexes": "a tenancy needs its start date and tenants, a sold unit has none, "
    "unit codes are unique in the corporation",
    "POST /proposals": "the complex must exist in the corporation, voting closes after it "
    "opens, the work ends after it starts, moving out needs a temporary home and allowance",
    "POST /proposals/{proposal_id}/exclusions": "the unit must belong to the proposal's complex",
    "POST /proposals/{proposal_id}/ballots": "the tenancy must be on the proposal's roll "
    "(and consent/paper/api.py does not state that the tenancy may not be empty)",
}


@pytest.fixture
def api_schema(app: Any, bearer: str) -> Any:
    """The document, with the token as its bearer credentials (so schemathesis leaves the
    header out, rather than overriding it, when it tests a request without them)."""
    loaded = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)

    @loaded.auth()
    class Bearer:
        def get(self, case: Any, context: Any) -> str:
            return bearer

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return loaded


@pytest.fixture
def bearer(engine: Engine, settings: Settings, corp_a: CorpWorld, corp_b: CorpWorld) -> str:
    return token(engine, settings, corp_a.admin_email)["Authorization"].removeprefix("Bearer ")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded time, failures as found
)
def test_api_conforms_to_its_openapi_document(case: Any) -> None:
    refused_valid = case.operation.label in BUSINESS_RULES
    case.call_and_validate(
        excluded_checks=[checks.positive_data_acceptance] if refused_valid else []
    )
