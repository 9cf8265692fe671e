"""Fixtures for the paper tests (helpers in paper_helpers.py)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from consent.settings import Settings
from tests.factories import corporation_with_complex
from tests.paper.paper_helpers import Corp


@pytest.fixture
def acme(engine: Engine, settings: Settings) -> Corp:
    corp = Corp(engine, settings, corporation_with_complex(engine, "acme", homes=6))
    corp.set(help_phone="088-1234567")
    return corp


@pytest.fixture
def other(engine: Engine, settings: Settings) -> Corp:
    return Corp(engine, settings, corporation_with_complex(engine, "other", homes=3))
