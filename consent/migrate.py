"""Apply the Alembic migrations to a database (used by the CLI, the demo and the tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from consent.audit.models import GENESIS, AuditHead
from consent.settings import PACKAGE_DIR


def alembic_config() -> Config:
    """The migrations inside the package (alembic.ini is only for the alembic command)."""
    config = Config()
    config.set_main_option("script_location", str(PACKAGE_DIR / "migrations"))
    config.set_main_option("path_separator", "os")
    return config


def upgrade(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        # The audit chain's head row must exist before the first event is recorded.
        if connection.execute(select(AuditHead.id)).first() is None:  # type: ignore[call-overload]
            connection.execute(insert(AuditHead).values(id=1, last_hash=GENESIS))
