"""Tally and dashboard latency at national scale, through the real service functions.

    PYTHONPATH=. python benchmarks/national_scale.py [--postgres] [--no-sqlite]
        [--tenancies 2000000] [--proposals 20000] [--ballots 600000] [--sqlite-file PATH]
        [--postgres-db NAME]

Generates, with bulk SQL (COPY on PostgreSQL, executemany on SQLite) into a freshly
migrated database, then runs ``ANALYZE`` (on PostgreSQL ``VACUUM (ANALYZE)``, what
autovacuum does soon after a bulk load):

- 40 corporations with 500 proposals each (20,000 proposals), one complex per proposal;
- 2,000,000 units and current tenancies: complex 1 has 2,000 homes, the other 19,999
  share the rest (about 100 each);
- per corporation 350 proposals open, 100 decided (with their frozen result) and 50 drafts;
  the electorate of every open or decided proposal frozen (one voter row per tenancy);
- 600,000 ballots (each with its ballot event): 1,400 in the 2,000-home complex, the rest
  spread over the other open and decided proposals.

Then measures (median of repeated runs, each in a new session, after one warm-up run):

- ``results.tally_for`` of the 2,000-home complex's open proposal (target < 5 ms);
- ``dashboard.overview`` for a project leader of corporation 1: 500 proposals
  (target < 100 ms), and that each of its rows has the figures of ``results.tally_for``.

It takes minutes and prints its progress. ``--sqlite-file`` and ``--postgres-db`` keep the
generated database (a file, a PostgreSQL database of that name); a later run with the same
option measures it again without generating, and a generation that fails removes it.
Staff accounts, tenants' names and audit events are not generated (the measured functions
do not read them).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import Table, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from benchmarks.bench_setup import PG_SERVER, fresh_database, log, machine  # noqa: E402

CORPORATIONS = 40
PER_CORPORATION = 500
OPEN, DECIDED = 350, 100  # the other 50 of each corporation's 500 are drafts
BIG_HOMES, BIG_BALLOTS = 2_000, 1_400
CHUNK = 50_000
TARGET_TALLY_MS, TARGET_DASHBOARD_MS = 5.0, 100.0


def table(name: str) -> Table:
    from consent.models import load_all

    return load_all().tables[name]


class Loader:
    """Bulk rows into one table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"

    def load(self, name: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
        started, count = time.monotonic(), 0
        target = table(name)
        required = {
            c.name
            for c in target.columns
            if not c.nullable and c.server_default is None and not c.autoincrement
        }
        missing = required - set(columns) - {"id"}
        assert not missing, f"{name}: no value for {sorted(missing)}"
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if self.postgres:
                with cursor.copy(f'COPY "{name}" ({", ".join(columns)}) FROM STDIN') as copy:  # type: ignore[attr-defined]
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                dialect = self.engine.dialect
                procs = [target.c[c].type._cached_bind_processor(dialect) for c in columns]
                marks = ", ".join("?" for _ in columns)
                sql = f'INSERT INTO "{name}" ({", ".join(columns)}) VALUES ({marks})'
                for chunk in chunks(rows, CHUNK):
                    converted = [
                        tuple(
                            p(v) if p and v is not None else v
                            for p, v in zip(procs, row, strict=True)
                        )
                        for row in chunk
                    ]
                    cursor.executemany(sql, converted)
                    count += len(converted)
            raw.commit()
        finally:
            raw.close()
        log(f"  {name}: {count:,} rows in {time.monotonic() - started:.1f} s")
        return count


def chunks(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def spread(total: int, parts: int, index: int) -> int:
    """The index-th of `parts` near-equal shares of `total` (the shares add up exactly)."""
    return total * (index + 1) // parts - total * index // parts


class Plan:
    def __init__(self, tenancies: int, proposals: int, ballots: int) -> None:
        self.complexes = proposals  # one proposal per complex
        self.homes = [BIG_HOMES] + [spread(tenancies - BIG_HOMES, proposals - 1, i)
                                    for i in range(proposals - 1)]  # fmt: skip
        self.first_unit = [0] * proposals
        for c in range(1, proposals):
            self.first_unit[c] = self.first_unit[c - 1] + self.homes[c - 1]
        self.status = [self.status_of(c) for c in range(proposals)]
        voting = [c for c in range(1, proposals) if self.status[c] != "draft"]
        self.ballots = [0] * proposals
        self.ballots[0] = BIG_BALLOTS
        for k, c in enumerate(voting):
            self.ballots[c] = min(self.homes[c], spread(ballots - BIG_BALLOTS, len(voting), k))

    @staticmethod
    def status_of(c: int) -> str:
        k = c % PER_CORPORATION
        return "open" if k < OPEN else ("decided" if k < OPEN + DECIDED else "draft")

    @staticmethod
    def corporation_of(c: int) -> int:
        return c // PER_CORPORATION + 1


def generate(engine: Engine, plan: Plan) -> None:
    loader = Loader(engine)

    def choice(uid: int) -> str:
        return "agree" if uid % 10 < 7 else "disagree"

    def agree_count(c: int) -> int:
        first = plan.first_unit[c] + 1
        return sum(1 for uid in range(first, first + plan.ballots[c]) if choice(uid) == "agree")

    now = datetime.now(UTC).replace(microsecond=0)
    opens, closes = now - timedelta(days=3), now + timedelta(days=11)
    started = time.monotonic()
    log(f"generating: {sum(plan.homes):,} tenancies, {plan.complexes:,} proposals, "
        f"{sum(plan.ballots):,} ballots")  # fmt: skip
    corporations = plan.corporation_of(plan.complexes - 1)
    loader.load("corporation", ["id", "slug", "name", "help_phone", "paper_four_eyes",
                                "initiative_response_days", "created_at"],
                ((i, f"corp-{i}", f"Corporatie {i}", "", False, 42, now)
                 for i in range(1, corporations + 1)))  # fmt: skip
    loader.load("complex", ["id", "corporation_id", "code", "name"],
                ((c + 1, plan.corporation_of(c), f"C-{c:05d}", f"Complex {c}")
                 for c in range(plan.complexes)))  # fmt: skip

    def units() -> Iterator[tuple[Any, ...]]:
        for c in range(plan.complexes):
            for h in range(plan.homes[c]):
                uid = plan.first_unit[c] + h + 1
                yield (uid, plan.corporation_of(c), c + 1, f"E-{uid:07d}", "Lindelaan", h + 1,
                       "", "", "3521 KL", "Utrecht", "sociale_huur", 60000)  # fmt: skip

    loader.load("unit", ["id", "corporation_id", "complex_id", "code", "street", "number",
                         "letter", "addition", "postcode", "town", "kind", "bare_rent_cents"],
                units())  # fmt: skip

    def tenancies() -> Iterator[tuple[Any, ...]]:
        for c in range(plan.complexes):
            for h in range(plan.homes[c]):
                uid = plan.first_unit[c] + h + 1
                yield (uid, plan.corporation_of(c), uid, f"HO-{uid:07d}", date(2015, 1, 1),
                       None, "nl", "", "")  # fmt: skip

    loader.load("tenancy", ["id", "corporation_id", "unit_id", "code", "start_date", "end_date",
                            "language", "email", "phone"], tenancies())  # fmt: skip

    texts = ["works", "nuisance", "temporary_home", "rent_justification", "energy_text",
             "social_plan", "lapse_statement", "advice_text", "answer_text"]  # fmt: skip

    def proposals() -> Iterator[tuple[Any, ...]]:
        for c in range(plan.complexes):
            status = plan.status[c]
            voting, decided = status != "draft", status == "decided"
            agree = agree_count(c)
            reached = agree * 100 >= 70 * plan.ballots[c] if decided else None
            ended = opens + timedelta(days=2)
            yield (c + 1, plan.corporation_of(c), c + 1, status, "respondents",
                   f"Renovatie complex {c}", "Wij isoleren de gevels.", *([""] * len(texts)),
                   opens, closes if status == "open" else ended, opens if voting else None,
                   opens.date() if voting else None, plan.homes[c] if voting else None,
                   ended if decided else None, ended if decided else None, reached,
                   True, now, now, "bench")  # fmt: skip

    loader.load("proposal", ["id", "corporation_id", "complex_id", "status", "counting_rule",
                             "title", "summary", *texts, "opens_at", "closes_at", "opened_at",
                             "eligibility_date", "homes", "closed_at", "decided_at", "reached",
                             "stay_home", "created_at", "updated_at", "created_by"],
                proposals())  # fmt: skip

    def voters() -> Iterator[tuple[Any, ...]]:
        vid = 0
        for c in range(plan.complexes):
            if plan.status[c] == "draft":
                continue
            for h in range(plan.homes[c]):
                vid += 1
                uid = plan.first_unit[c] + h + 1
                yield (vid, c + 1, uid, uid)

    loader.load("proposalvoter", ["id", "proposal_id", "unit_id", "tenancy_id"], voters())

    def ballots() -> Iterator[tuple[Any, ...]]:
        bid = 0
        for c in range(plan.complexes):
            for h in range(plan.ballots[c]):
                bid += 1
                uid = plan.first_unit[c] + h + 1
                yield (bid, c + 1, uid, uid, choice(uid), "online", opens, f"R{bid:011d}",
                       opens, opens)  # fmt: skip

    loader.load("ballot", ["id", "proposal_id", "tenancy_id", "unit_id", "choice", "channel",
                           "cast_at", "receipt", "created_at", "updated_at"], ballots())  # fmt: skip

    def events() -> Iterator[tuple[Any, ...]]:
        for row in ballots():
            bid, pid, tid, _uid, chosen, channel, cast_at, receipt, _c, _u = row
            yield (bid, pid, tid, chosen, channel, cast_at, cast_at, receipt, "", "", True)

    loader.load("ballotevent", ["id", "proposal_id", "tenancy_id", "choice", "channel",
                                "cast_at", "recorded_at", "receipt", "comment", "actor",
                                "counted"], events())  # fmt: skip

    def results() -> Iterator[tuple[Any, ...]]:
        for c in range(plan.complexes):
            if plan.status[c] != "decided":
                continue
            agree = agree_count(c)
            yield (c + 1, "respondents", 70, 10, plan.homes[c], plan.homes[c], 0, agree,
                   plan.ballots[c] - agree, opens + timedelta(days=2), "")  # fmt: skip

    loader.load("proposalresult", ["proposal_id", "counting_rule", "threshold_percent",
                                   "presumption_min_homes", "homes", "eligible", "excluded",
                                   "agree", "disagree", "closed_at", "audit_hash"], results())  # fmt: skip
    loader.load("staffuser", ["id", "corporation_id", "email", "name", "password_hash", "role",
                              "complex_id", "language", "active", "created_at"],
                [(1, 1, "pl@corp-1.example", "", "!", "project_leader", None, "nl", True, now)])  # fmt: skip
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for name in ("corporation", "complex", "unit", "tenancy", "proposal",
                         "proposalvoter", "ballot", "ballotevent", "staffuser"):  # fmt: skip
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"))  # fmt: skip
        # What autovacuum does to a live database soon after a bulk load: statistics, and
        # the visibility map that lets counts use index-only scans.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    log(f"generated in {time.monotonic() - started:.0f} s")


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float, list[float]]:
    """(first run ms, median ms of `repeat` further runs, all further runs)."""
    started = time.perf_counter()
    run()
    first = (time.perf_counter() - started) * 1000
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        runs.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(runs), runs


def measure(engine: Engine, plan: Plan, kind: str) -> bool:
    from sqlmodel import select

    from consent.accounts.models import StaffUser
    from consent.db import new_session
    from consent.proposals import dashboard, results
    from consent.proposals.models import Proposal

    def tally() -> object:
        with new_session(engine) as session:
            proposal = session.get(Proposal, 1)
            assert proposal is not None
            return results.tally_for(session, proposal)

    def overview() -> object:
        with new_session(engine) as session:
            user = session.exec(select(StaffUser).where(StaffUser.id == 1)).one()
            rows = dashboard.overview(session, user)
            assert len(rows) == PER_CORPORATION, len(rows)
            return rows

    figures = tally()
    log(f"[{kind}] complex 1: {plan.homes[0]:,} homes; tally eligible={figures.eligible} "  # type: ignore[attr-defined]
        f"agree={figures.agree} disagree={figures.disagree}")  # type: ignore[attr-defined]  # fmt: skip
    first, median, runs = timed(tally, 50)
    tally_ok = median < TARGET_TALLY_MS
    log(f"[{kind}] tally of the {plan.homes[0]:,}-home complex: first {first:.2f} ms, median "
        f"{median:.2f} ms, max {max(runs):.2f} ms (target < {TARGET_TALLY_MS:.0f} ms): "
        f"{'PASS' if tally_ok else 'FAIL'}; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    first, median, runs = timed(overview, 15)
    dash_ok = median < TARGET_DASHBOARD_MS
    log(f"[{kind}] dashboard.overview of {PER_CORPORATION} proposals (350 open, 100 decided, "
        f"50 drafts): first {first:.0f} ms, median {median:.0f} ms, max {max(runs):.0f} ms "
        f"(target < {TARGET_DASHBOARD_MS:.0f} ms): {'PASS' if dash_ok else 'FAIL'}; "
        f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    with new_session(engine) as session:  # every row's figures are its own tally's
        user = session.exec(select(StaffUser).where(StaffUser.id == 1)).one()
        rows = dashboard.overview(session, user)
        same = all(
            row.tally == results.tally_for(session, session.get(Proposal, row.proposal.id))
            for row in rows
        )
    log(f"[{kind}] dashboard figures equal results.tally_for for all {len(rows)} proposals: "
        f"{'PASS' if same else 'FAIL'}")  # fmt: skip
    return tally_ok and dash_ok and same


@contextlib.contextmanager
def fresh(kind: str) -> Iterator[tuple[str, bool]]:
    with fresh_database(kind) as url:
        yield url, True


@contextlib.contextmanager
def kept_sqlite(path: Path) -> Iterator[tuple[str, bool]]:
    """A SQLite file that stays; migrated and marked fresh when it did not exist yet."""
    from consent.db import make_engine
    from consent.migrate import upgrade

    url, fresh = f"sqlite:///{path.resolve()}", not path.exists()
    if fresh:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    yield url, fresh


@contextlib.contextmanager
def kept_postgres(name: str) -> Iterator[tuple[str, bool]]:
    """A PostgreSQL database that stays; created and migrated when it did not exist yet."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from consent.db import make_engine
    from consent.migrate import upgrade

    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if found is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    url = f"{PG_SERVER}/{name}"
    if found is None:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    yield url, found is None


def forget(kind: str, url: str) -> None:
    """Remove a kept database whose generation failed, so the next run starts again."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    if kind == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        name = url.rsplit("/", 1)[1]
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def database(
    kind: str, args: argparse.Namespace
) -> contextlib.AbstractContextManager[tuple[str, bool]]:
    if kind == "sqlite" and args.sqlite_file is not None:
        return kept_sqlite(args.sqlite_file)
    if kind == "postgresql" and args.postgres_db is not None:
        return kept_postgres(args.postgres_db)
    return fresh(kind)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenancies", type=int, default=2_000_000)
    parser.add_argument("--proposals", type=int, default=20_000)
    parser.add_argument("--ballots", type=int, default=600_000)
    parser.add_argument("--postgres", action=argparse.BooleanOptionalAction, default=False)
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--sqlite-file", type=Path, help="keep the SQLite database here; "
                        "when the file exists, measure it again without generating")  # fmt: skip
    parser.add_argument("--postgres-db", help="keep the PostgreSQL database under this name; "
                        "when it exists, measure it again without generating")  # fmt: skip
    args = parser.parse_args()
    if args.proposals % PER_CORPORATION:
        parser.error(f"--proposals must be a multiple of {PER_CORPORATION}")
    m = machine()
    log(f"machine: nproc={m['nproc']} cpu={m['cpu']} memory={m['memory']} python={m['python']}; "
        f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    plan = Plan(args.tenancies, args.proposals, args.ballots)
    ok = True
    for kind in (["sqlite"] if args.sqlite else []) + (["postgresql"] if args.postgres else []):
        from consent.db import make_engine

        with database(kind, args) as (url, fresh_db):
            engine = make_engine(url)
            try:
                if fresh_db:
                    try:
                        generate(engine, plan)
                    except BaseException:
                        engine.dispose()
                        forget(kind, url)
                        raise
                else:
                    log(f"[{kind}] measuring the existing database {url.rsplit('/', 1)[1]}")
                ok = measure(engine, plan, kind) and ok
            finally:
                engine.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
