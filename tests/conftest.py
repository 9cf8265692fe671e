"""Fixtures: every database test runs on SQLite and on PostgreSQL (a fresh database per run)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from consent.app import create_app
from consent.audit.models import GENESIS, AuditHead
from consent.db import make_engine
from consent.migrate import upgrade
from consent.models import load_all
from consent.settings import Settings

PG_SERVER = os.environ.get("CONSENT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
BACKENDS = os.environ.get("CONSENT_TEST_DATABASES", "sqlite,postgresql").split(",")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'consent.db'}"
        return
    name = f"consent_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    """The migrated database, emptied before each test."""
    tables = [t for t in reversed(load_all().sorted_tables) if t.name != "alembic_version"]
    with migrated_engine.begin() as connection:
        if migrated_engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
        connection.execute(AuditHead.__table__.insert().values(id=1, last_hash=GENESIS))  # type: ignore[attr-defined]
    return migrated_engine


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-for-the-suite",
        upload_dir=tmp_path / "uploads",
    )


@pytest.fixture
def app(settings: Settings, engine: Engine):  # type: ignore[no-untyped-def]
    return create_app(settings, engine=engine)


class Client(TestClient):
    """A browser-like test client that sends the page's CSRF token with every form."""

    def csrf(self) -> str:
        token = self.cookies.get("consent_session") and getattr(self, "_csrf", None)
        if token:
            return token
        page = self.get("/")
        match = CSRF.search(page.text)
        assert match, "no CSRF token on the start page"
        self._csrf = match.group(1)
        return self._csrf

    def submit(self, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf())
        kwargs.setdefault("follow_redirects", False)
        return self.post(url, data=payload, **kwargs)


@pytest.fixture
def client(app) -> Iterator[Client]:  # type: ignore[no-untyped-def]
    with Client(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def make_client(app):  # type: ignore[no-untyped-def]
    """Extra independent browsers (another tenant, another staff member)."""
    clients: list[Client] = []

    def factory() -> Client:
        new = Client(app, base_url="http://testserver")
        new.__enter__()
        clients.append(new)
        return new

    yield factory
    for opened in clients:
        opened.__exit__(None, None, None)
