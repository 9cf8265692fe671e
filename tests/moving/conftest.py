"""Moving tests create many staff accounts: hash their passwords with cheap argon2 settings."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from consent.accounts import service as accounts_service

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2 hashes (sign-in verifies them as usual), only cheaper to make."""
    monkeypatch.setattr(accounts_service, "hash_password", FAST.hash)
