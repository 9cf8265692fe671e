"""Fixtures for the rent-reduction tests."""

from __future__ import annotations

import datetime as dt

import pytest

from consent.rent_reductions import registry
from tests.rent_reductions.rr_support import IN_2024


@pytest.fixture
def in_2024(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Stand on a day inside the 2024 scheme's window (the scheme is open for requests)."""
    monkeypatch.setattr(registry, "today", lambda: IN_2024)
    return IN_2024
