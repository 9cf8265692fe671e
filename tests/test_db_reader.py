"""db.reader: the pages' reads on PostgreSQL run in autocommit on a pool of their own."""

from __future__ import annotations

from sqlalchemy import text

from consent.db import make_engine, reader


def test_reads_run_in_autocommit_on_a_companion_pool_disposed_with_the_engine(database_url):
    engine = make_engine(database_url)
    read = reader(engine)
    if engine.dialect.name != "postgresql":
        assert read is engine  # SQLite's driver starts no transaction for a SELECT
        return
    try:
        assert reader(engine) is read  # one companion per engine
        with read.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar_one() == 1
            assert connection.connection.dbapi_connection.autocommit  # type: ignore[union-attr]
        with engine.connect() as connection:  # the engine's own stay transactional
            assert not connection.connection.dbapi_connection.autocommit  # type: ignore[union-attr]
        assert read.pool.checkedin() == 1  # type: ignore[attr-defined]
        engine.dispose()
        assert read.pool.checkedin() == 0  # type: ignore[attr-defined]
        assert reader(engine) is not read
    finally:
        engine.dispose()
