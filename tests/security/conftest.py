"""Fixtures for the security tests: two corporations, A and B, each with an object in every domain."""

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
    """Real argon2 hashes, only cheaper to make (these tests create many accounts)."""
    monkeypatch.setattr(accounts_service, "hash_password", FAST.hash)


@pytest.fixture
def in_scheme_window(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_rent_reduction_day(monkeypatch)


@pytest.fixture
def corp_a(engine: Engine, settings: Settings, in_scheme_window: None) -> CorpWorld:
    return build(engine, settings, "alfa")


@pytest.fixture
def corp_b(
    engine: Engine, settings: Settings, in_scheme_window: None, corp_a: CorpWorld
) -> CorpWorld:
    return build(engine, settings, "beta")
