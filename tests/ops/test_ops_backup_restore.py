"""Backups and restore as docs/deploy.md describes them: a restored copy reproduces every tally.

PostgreSQL: `pg_dump --format=custom`, then `pg_restore --no-owner` into a new database.
SQLite: `sqlite3 consent.db ".backup backup.db"` (an online, consistent copy).
Afterwards `consent db upgrade` (nothing to do) and `consent audit verify` pass on the copy.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine

from consent import cli
from consent.db import make_engine, new_session
from consent.models import load_all
from consent.proposals import results, voting, workflow
from consent.proposals.models import Proposal
from consent.settings import Settings
from tests.conftest import PG_SERVER
from tests.security.sec_world import CorpWorld, build, freeze_rent_reduction_day, proposal_input

pytestmark = pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("sqlite3")), reason="needs pg_dump and sqlite3"
)


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def voted_world(engine: Engine, settings: Settings) -> CorpWorld:
    """A corporation with objects in every domain and proposals in several states, with votes."""
    w = build(engine, settings, "backup", homes=12)
    from consent.db import session_scope
    from consent.proposals.service import create_proposal

    for state, choices in (("open", "AADDA"), ("decided", "AAAAAAAD"), ("closed", "ADD")):
        with session_scope(engine) as session:
            created = create_proposal(session, corporation_id=w.corporation_id,
                                      data=proposal_input(w.complex_code, state), actor="test")  # fmt: skip
            pid = created.id or 0
        with new_session(engine) as session:
            proposal = session.get(Proposal, pid)
            assert proposal is not None
            workflow.open_voting(session, proposal, "test")
            session.commit()
            for tenancy_id, letter in zip(w.tenancy_ids, choices, strict=False):
                choice = "agree" if letter == "A" else "disagree"
                voting.cast_ballot(session, proposal_id=pid, tenancy_id=tenancy_id,
                                   choice=choice, actor="test")  # fmt: skip
            voting.cast_ballot(session, proposal_id=pid, tenancy_id=w.tenancy_ids[0],
                               choice="disagree", actor="test")  # a changed vote  # fmt: skip
            if state != "open":
                workflow.close_voting(session, proposal, "test")
            if state == "decided":
                workflow.decide(session, proposal, "test")
            session.commit()
    return w


def tallies(engine: Engine) -> dict[int, Any]:
    with new_session(engine) as session:
        proposals = session.exec(select(Proposal).order_by(Proposal.id)).scalars().all()  # type: ignore[attr-defined]
        return {p.id: (p.status, results.tally_for(session, p)) for p in proposals}


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in load_all().sorted_tables
        }


def run_cli(monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> int:
    monkeypatch.setenv("CONSENT_DATABASE_URL", url)
    monkeypatch.setenv("CONSENT_SECRET_KEY", "test-secret-key-for-the-suite")
    return cli.main(list(args))


@pytest.fixture
def restored_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Where the copy goes: a new PostgreSQL database, or a new SQLite file."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"consent_restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def backup_and_restore(database_url: str, restored: str, folder: Path) -> None:
    if database_url.startswith("sqlite"):
        source = database_url.removeprefix("sqlite:///")
        target = restored.removeprefix("sqlite:///")
        subprocess.run(["sqlite3", source, f".backup '{folder / 'backup.db'}'"], check=True)
        shutil.copyfile(folder / "backup.db", target)  # restore = put the copy in place
        return
    dump = folder / "consent.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", libpq(database_url)],
                   check=True)  # fmt: skip
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq(restored)}",
                    str(dump)], check=True)  # fmt: skip


def test_a_restored_backup_reproduces_every_tally(
    engine: Engine, settings: Settings, database_url: str, restored_url: str,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    freeze_rent_reduction_day(monkeypatch)
    voted_world(engine, settings)
    before, counts = tallies(engine), row_counts(engine)
    assert len(before) >= 5 and any(t.agree for _s, t in before.values())
    backup_and_restore(database_url, restored_url, tmp_path)
    copy = make_engine(restored_url)
    try:
        assert tallies(copy) == before
        assert row_counts(copy) == counts
        # The documented commands work on the restored copy.
        assert run_cli(monkeypatch, restored_url, "db", "upgrade") == 0
        assert run_cli(monkeypatch, restored_url, "audit", "verify") == 0
        # And it is a working database: a vote on the open proposal counts.
        with new_session(copy) as session:
            open_ = (
                session.exec(select(Proposal).where(Proposal.status == "open")).scalars().first()
            )  # type: ignore[attr-defined]
            assert open_ is not None
            voter = session.execute(
                text("SELECT tenancy_id FROM proposalvoter WHERE proposal_id = :p "
                     "AND tenancy_id NOT IN (SELECT tenancy_id FROM ballot WHERE proposal_id = :p) "
                     "ORDER BY tenancy_id LIMIT 1"), {"p": open_.id},
            ).scalar_one()  # fmt: skip
            voting.cast_ballot(session, proposal_id=open_.id or 0, tenancy_id=voter,
                               choice="agree", actor="test")  # fmt: skip
        after = tallies(copy)
        assert after[open_.id][1].agree == before[open_.id][1].agree + 1
    finally:
        copy.dispose()
