"""Time the register import of a 50,000-row file on SQLite (and PostgreSQL when reachable).

    PYTHONPATH=. python benchmarks/import_50k.py [--rows 50000] [--sqlite-only]

Prints rows per second for three runs: the first import (everything created), the same
file again (nothing changes) and a changed file (10% of the units updated, 5% of the
tenancies replaced by a new one).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from consent.accounts.service import create_corporation
from consent.db import make_engine, session_scope
from consent.housing.csv_rows import COLUMNS
from consent.housing.importer import import_file
from consent.migrate import upgrade

PG_SERVER = os.environ.get("CONSENT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
LANGS = ("nl", "en", "tr", "ar", "pl", "uk")
UNITS_PER_COMPLEX = 100


def register_file(rows: int, changed: bool = False) -> str:
    """`rows` units in complexes of 100; every 20th vacant, every 50th sold."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i in range(rows):
        cluster = i // UNITS_PER_COMPLEX
        kind, tenancy, start, names, lang, email, phone = "sociale_huur", "", "", "", "", "", ""
        if i % 50 == 49:
            kind = "koop"
        elif i % 20 != 19:
            replaced = changed and i % 20 == 3
            tenancy = f"HO-{i:07d}" + ("-N" if replaced else "")
            start = "2024-06-01" if replaced else f"{2000 + i % 24}-{1 + i % 12:02d}-01"
            names = f"Huurder {i}" + (f"|Partner {i}" if i % 4 == 0 else "")
            lang = LANGS[i % len(LANGS)]
            email = f"huurder{i}@example.nl" if i % 3 else ""
            phone = f"06-{i:08d}" if i % 2 else ""
        rent = f"{500 + i % 300}.{i % 100:02d}"
        if changed and i % 10 == 7:
            rent = f"{600 + i % 300}.00"
        writer.writerow([
            f"C-{cluster:05d}", f"Complex {cluster}", f"E-{i:07d}", "Lindelaan",
            str(1 + i % UNITS_PER_COMPLEX), "", "", f"{1000 + cluster % 9000} AB", "Utrecht", kind,
            tenancy, start, names, lang, email, phone, rent,
        ])  # fmt: skip
    return out.getvalue()


@contextmanager
def sqlite_database() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def postgres_database() -> Iterator[Engine]:
    name = f"consent_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(f"{PG_SERVER}/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_reachable() -> bool:
    try:
        probe = create_engine(f"{PG_SERVER}/postgres")
        with probe.connect():
            pass
        probe.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means: skip PostgreSQL
        return False


def run(label: str, engine: Engine, files: dict[str, Path], rows: int) -> None:
    upgrade(engine)
    with session_scope(engine) as session:
        create_corporation(session, "bench", "Bench", actor="bench")
    for run_name, key in (("first import", "base"), ("same file", "base"), ("changed", "changed")):
        started = time.perf_counter()
        result = import_file(engine, files[key], "bench", actor="bench")
        seconds = time.perf_counter() - started
        if result.errors:
            sys.exit(f"{label}: import refused: {result.errors[:3]}")
        print(
            f"{label:<10} {run_name:<13} {rows:>6} rows in {seconds:6.2f} s = "
            f"{rows / seconds:>8,.0f} rows/s  ({result.summary()})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = {"base": Path(folder) / "base.csv", "changed": Path(folder) / "changed.csv"}
        files["base"].write_text(register_file(args.rows), encoding="utf-8")
        files["changed"].write_text(register_file(args.rows, changed=True), encoding="utf-8")
        with sqlite_database() as engine:
            run("sqlite", engine, files, args.rows)
        if args.sqlite_only:
            return
        if not postgres_reachable():
            print(f"postgresql not reachable at {PG_SERVER}: skipped")
            return
        with postgres_database() as engine:
            run("postgresql", engine, files, args.rows)


if __name__ == "__main__":
    main()
