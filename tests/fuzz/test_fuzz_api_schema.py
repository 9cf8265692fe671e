"""schemathesis against /api/v1/openapi.json, in-process, with a valid bearer token.

Every operation of the OpenAPI document gets a few generated requests (bounded: a few
examples per operation, the whole test well under two minutes per database): no server
error, and every response matches the document (status code, content type, body).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks
from sqlalchemy.engine import Engine

from consent.settings import Settings
from tests.security.sec_world import CorpWorld, token

EXAMPLES_PER_OPERATION = 12
# Input-validation strictness, not conformance: the document does not (and cannot) state
# every business rule (a postcode, a unit of the complex), so schema-valid bodies may
# get a 400; and list filters ignore an unknown `status`. Reported, not enforced here.
NOT_CHECKED = [checks.positive_data_acceptance, checks.negative_data_rejection]


@pytest.fixture
def api_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


@pytest.fixture
def bearer(
    engine: Engine, settings: Settings, corp_a: CorpWorld, corp_b: CorpWorld
) -> dict[str, str]:
    return token(engine, settings, corp_a.admin_email)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded time, failures as found
)
def test_api_conforms_to_its_openapi_document(case: Any, bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer, excluded_checks=NOT_CHECKED)
