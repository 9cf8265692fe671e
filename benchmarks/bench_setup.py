"""Shared set-up for the HTTP benchmarks and the load/fault scripts (loopback only).

- ``fresh_database("sqlite" | "postgresql")``: a new, migrated, empty database (a temp
  SQLite file, or a new PostgreSQL database that is dropped afterwards);
- ``seed(url, homes)``: one corporation, one complex of ``homes`` rented homes, an open
  proposal, and a personal code for every home (through the real services); on
  PostgreSQL then ANALYZE, as autovacuum does shortly after such bulk writes;
- ``Server``: ``consent serve --workers N`` (or any uvicorn app) in a subprocess, with a
  readiness wait and a bounded stop;
- ``tenant_session``: redeem a code like a browser; the cookie and CSRF token to vote with.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("CONSENT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
HOST = "127.0.0.1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SECRET = secrets.token_urlsafe(32)


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def fresh_database(kind: str, pg_server: str = PG_SERVER) -> Iterator[str]:
    """A migrated empty database URL; removed when the block ends."""
    from consent.db import make_engine
    from consent.migrate import upgrade

    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="consent-bench-") as folder:
            url = f"sqlite:///{folder}/consent.db"
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
            yield url
        return
    name = f"consent_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{pg_server}/{name}"
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def register_csv(homes: int, complex_code: str = "C-BENCH") -> str:
    from consent.housing.csv_rows import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i in range(1, homes + 1):
        writer.writerow([
            complex_code, "De Linde", f"E-{i:05d}", "Lindelaan", str(i), "", "", "3521 KL",
            "Utrecht", "sociale_huur", f"HO-{i:05d}", "2015-01-01", f"Huurder {i}",
            "nl", "", "", "600.00",
        ])  # fmt: skip
    return out.getvalue()


@dataclass
class Seeded:
    url: str
    proposal_id: int
    codes: list[str]  # one per home, in unit order
    tenancy_ids: list[int] = field(default_factory=list)


def settings_for(url: str, upload_dir: Path | None = None) -> object:
    from consent.settings import Settings

    return Settings(
        database_url=url,
        secret_key=SECRET,
        upload_dir=upload_dir or Path(tempfile.gettempdir()) / "consent-bench-uploads",
    )


def seed(url: str, homes: int, slug: str = "bench") -> Seeded:
    """A corporation with one complex of `homes` homes, an open proposal and every code."""
    from sqlmodel import select

    from consent.accounts.service import create_corporation
    from consent.db import make_engine, new_session, session_scope
    from consent.housing.importer import import_text
    from consent.housing.models import Corporation
    from consent.proposals import codes, workflow
    from consent.proposals.inputs import MeasureInput, ProposalInput
    from consent.proposals.models import Proposal
    from consent.proposals.service import create_proposal
    from consent.timeutil import utcnow

    engine = make_engine(url)
    settings = settings_for(url)
    try:
        with session_scope(engine) as session:
            create_corporation(session, slug, "Bench", actor="bench")
        result = import_text(engine, register_csv(homes), slug, "bench")
        assert not result.errors, result.errors[:3]
        now = utcnow()
        data = ProposalInput(
            complex="C-BENCH", title="Nieuwe gevels en zonnepanelen",
            summary="Wij isoleren de gevel en leggen zonnepanelen op het dak. " * 8,
            works="Gevelisolatie, HR++-glas, zonnepanelen. " * 10,
            opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=14),
            measures=[MeasureInput("improvement", "solar_panels", "Zonnepanelen op het dak", 1500),
                      MeasureInput("improvement", "facade", "Gevelisolatie", 0)],
        )  # fmt: skip
        with session_scope(engine) as session:
            corporation = session.exec(select(Corporation).where(Corporation.slug == slug)).one()
            proposal = create_proposal(
                session, corporation_id=corporation.id or 0, data=data, actor="bench"
            )
            proposal_id = proposal.id or 0
        with new_session(engine) as session:
            proposal = session.get(Proposal, proposal_id)
            assert proposal is not None
            workflow.open_voting(session, proposal, "bench")
            session.commit()
            issued = codes.issue_missing(session, settings, proposal, "bench")  # type: ignore[arg-type]
            session.commit()
        if engine.dialect.name == "postgresql":
            # What autovacuum does within a minute of a bulk load (an import, opening a
            # vote, issuing codes): without statistics the planner scans whole tables.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))
        issued.sort(key=lambda item: item.unit.code)
        return Seeded(url, proposal_id, [i.code for i in issued],
                      [i.tenancy.id or 0 for i in issued])  # fmt: skip
    finally:
        engine.dispose()


class Server:
    """A server subprocess on a free loopback port; stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, args: list[str], env: dict[str, str], port: int, log_path: Path) -> None:
        self.args, self.env, self.port, self.log_path = args, env, port, log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> Server:
        self.log_file = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            self.args, env=self.env, cwd=ROOT, stdout=self.log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: see {self.log_path}")
            try:
                if httpx.get(self.base + "/", timeout=1.0).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout:.0f} s: see {self.log_path}")

    def children(self) -> list[int]:
        """The worker processes' ids (the children of uvicorn's supervisor)."""
        assert self.process is not None
        found = subprocess.run(  # noqa: S603
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in found.stdout.split()]

    def __exit__(self, *_exc: object) -> None:
        assert self.process is not None
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log_file.close()


def consent_server(url: str, workers: int, folder: Path, **env: str) -> Server:
    """`consent serve --workers N` on a free port, with this database."""
    port = free_port()
    environment = dict(os.environ)
    environment.update({
        "CONSENT_DATABASE_URL": url, "CONSENT_SECRET_KEY": SECRET,
        "CONSENT_UPLOAD_DIR": str(folder / "uploads"),
        # Every tenant of the benchmark enters its code from 127.0.0.1.
        "CONSENT_CODE_ATTEMPTS_PER_CLIENT": "100000",
        "PYTHONPATH": str(ROOT),
    })  # fmt: skip
    environment.update(env)
    args = [sys.executable, "-m", "consent.cli", "serve", "--host", HOST, "--port", str(port),
            "--workers", str(workers)]  # fmt: skip
    return Server(args, environment, port, folder / f"consent-{port}.log")


def bare_server(workers: int, folder: Path, page_bytes: int) -> Server:
    """benchmarks/bare_app.py under uvicorn with the same set-up as `consent serve`."""
    port = free_port()
    environment = dict(os.environ) | {"BARE_PAGE_BYTES": str(page_bytes)}
    args = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app", "--app-dir", str(ROOT),
            "--host", HOST, "--port", str(port), "--workers", str(workers), "--loop", "uvloop",
            "--http", "httptools", "--log-level", "warning", "--no-access-log"]  # fmt: skip
    return Server(args, environment, port, folder / f"bare-{port}.log")


@dataclass
class TenantSession:
    code: str
    cookie: str  # the Cookie header value
    csrf: str


def tenant_session(base: str, code: str, lang: str = "nl") -> TenantSession:
    """Enter a personal code as a browser would (start page, then the code form)."""
    with httpx.Client(base_url=base, timeout=30.0, follow_redirects=False) as client:
        page = client.get(f"/?lang={lang}")
        token = CSRF.search(page.text)
        assert token, "no CSRF token on the start page"
        answer = client.post("/code", data={"code": code, "csrf_token": token.group(1)})
        assert answer.status_code == 303, (answer.status_code, answer.text[:300])
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        return TenantSession(code, cookie, token.group(1))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def machine() -> dict[str, str]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    return {"nproc": str(os.cpu_count()), "cpu": model, "memory": memory,
            "python": sys.version.split()[0]}  # fmt: skip
