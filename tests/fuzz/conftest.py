"""The fuzz tests use the security tests' two corporations (tests/security/sec_world.py)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from consent.accounts import service as accounts_service
from consent.settings import Settings
from tests.security.sec_world import CorpWorld, build, freeze_rent_reduction_day

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts_service, "hash_password", FAST.hash)


@pytest.fixture
def corp_a(engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CorpWorld:
    freeze_rent_reduction_day(monkeypatch)
    return build(engine, settings, "alfa")


@pytest.fixture
def corp_b(engine: Engine, settings: Settings, corp_a: CorpWorld) -> CorpWorld:
    return build(engine, settings, "beta")
