"""Faults under load (benchmarks/load_vote.py's tenants), each with PASS/FAIL lines.

    PYTHONPATH=. python benchmarks/faults.py [worker-kill] [pg-restart] [sqlite-readonly]
        [sqlite-full] [--tenants 300] [--seconds 40]

- worker-kill: SIGKILL one of the two uvicorn workers mid-load. uvicorn's supervisor
  (0.30 and later) notices within about half a second and starts a new worker; tenants
  whose request was on the killed worker see a broken connection and try again. Every
  vote that got a receipt is counted, none twice. Runs on SQLite (and PostgreSQL with
  --postgres).
- pg-restart: a throwaway PostgreSQL cluster (pg_createcluster, its own port; the shared
  cluster is never touched) is stopped (`pg_ctlcluster ... stop -m fast`) mid-load for
  --down seconds and started again. While it is down every page that needs it is the
  clear 503 page; afterwards the app recovers by itself (a dead pooled connection costs one
  503 page, then the worker's pool is replaced), with nothing half-written. The cluster
  is dropped at the end.
- sqlite-readonly: the SQLite files are made immutable (`chattr +i`: root cannot write them
  either; a busy file system cannot be remounted read-only) mid-load, then writable again.
- sqlite-full: the tmpfs is made full (its size shrunk to what is used), then enlarged.

The mounts and clusters need root (they are skipped, with a SKIP line, otherwise). Every
step is bounded in time; everything is cleaned up, also after a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks.bench_setup import Server, consent_server, fresh_database, log, seed  # noqa: E402
from benchmarks.load_vote import Outcome, check, play, report_load  # noqa: E402

CLUSTER = "consentfault"


def verdict(kind: str, name: str, passed: bool, detail: str = "") -> bool:
    log(f"[{kind}] {'PASS' if passed else 'FAIL'} {name}{': ' + detail if detail else ''}")
    return passed


def run(*command: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603


def workers(server: Server) -> list[int]:
    """The uvicorn worker processes (spawned children), not multiprocessing's helpers."""
    found = []
    for pid in server.children():
        with contextlib.suppress(OSError):
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"spawn_main" in command:
                found.append(pid)
    return found


async def watch(base: str, out: Outcome, stop: float) -> None:
    """Every 0.2 s, ask the API with a wrong token: 401 needs the database, 503 means down."""
    import httpx2 as httpx

    out.probe = []  # type: ignore[attr-defined]
    async with httpx.AsyncClient(base_url=base, timeout=5.0) as client:
        while time.monotonic() < stop:
            try:
                answer = await client.get(
                    "/api/v1/proposals", headers={"Authorization": "Bearer x"}
                )
                out.probe.append((time.monotonic(), answer.status_code))  # type: ignore[attr-defined]
            except httpx.HTTPError:
                out.probe.append((time.monotonic(), 0))  # type: ignore[attr-defined]
            await asyncio.sleep(0.2)


# -- worker kill ------------------------------------------------------------------------


def worker_kill(kind: str, args: argparse.Namespace, folder: Path) -> bool:
    ok = True
    with fresh_database(kind) as url:
        seeded = seed(url, homes=args.tenants)
        with consent_server(url, 2, folder) as server:
            before = workers(server)
            ok = verdict(kind, "two workers before the kill", len(before) == 2, str(before)) and ok
            killed: dict[str, float | int | list[int]] = {}

            async def fault(out: Outcome) -> None:
                await asyncio.sleep(args.seconds * 0.35)
                victim = workers(server)[0]
                os.kill(victim, signal.SIGKILL)
                killed.update(pid=victim, at=time.monotonic())
                log(f"[{kind}] SIGKILL worker {victim}")
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    now = workers(server)
                    if len(now) == 2 and victim not in now:
                        killed.update(back=time.monotonic(), workers=now)
                        return
                    await asyncio.sleep(0.1)

            out = asyncio.run(play(server.base, seeded, args.tenants, args.seconds,
                                   args.concurrency, during=fault))  # fmt: skip
            back = killed.get("back")
            respawn = f"{float(back) - float(killed['at']):.1f} s" if back else "not within 30 s"  # type: ignore[arg-type]
            ok = verdict(kind, "uvicorn's supervisor started a new worker", back is not None,
                         f"after {respawn}, workers now {killed.get('workers')}") and ok  # fmt: skip
        report_load(kind, out)
        broken = sum(out.errors.values())
        log(f"[{kind}] requests broken by the kill (the tenant tried again): {broken}")
        ok = check(kind, url, seeded, out, args.tenants, transport_errors_expected=True) and ok
    return ok


# -- PostgreSQL stop and start ----------------------------------------------------------


@contextlib.contextmanager
def throwaway_cluster(port: int) -> Iterator[tuple[str, str]]:
    """A new PostgreSQL cluster on `port`, trusting loopback; dropped afterwards."""
    version = run("pg_lsclusters", "--no-header").stdout.split()[0]
    run("pg_dropcluster", version, CLUSTER, "--stop")  # a leftover of an interrupted run
    made = run("pg_createcluster", version, CLUSTER, "-p", str(port), "--",
               "--auth-host=trust", "--auth-local=trust", timeout=120)  # fmt: skip
    if made.returncode != 0:
        raise RuntimeError(made.stderr)
    try:
        started = run("pg_ctlcluster", version, CLUSTER, "start", timeout=60)
        if started.returncode != 0:
            raise RuntimeError(started.stderr)
        yield version, f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        run("pg_dropcluster", version, CLUSTER, "--stop", timeout=120)


def pg_restart(kind: str, args: argparse.Namespace, folder: Path) -> bool:
    from benchmarks.bench_setup import free_port

    ok = True
    with throwaway_cluster(free_port()) as (version, server_url), \
            fresh_database("postgresql", pg_server=server_url) as url:  # fmt: skip
        seeded = seed(url, homes=args.tenants)
        with consent_server(url, 2, folder) as server:
            moments: dict[str, float] = {}

            async def fault(out: Outcome) -> None:
                stop_at = time.monotonic() + args.seconds + 30
                probe = asyncio.create_task(watch(server.base, out, stop_at))
                await asyncio.sleep(args.seconds * 0.3)
                moments["stop"] = time.monotonic()
                done = await asyncio.to_thread(run, "pg_ctlcluster", version, CLUSTER, "stop",
                                               "-m", "fast")  # fmt: skip
                moments["stopped"] = time.monotonic()
                log(f"[{kind}] PostgreSQL stopped ({done.returncode}); down for {args.down} s")
                await asyncio.sleep(args.down)
                moments["starting"] = time.monotonic()
                done = await asyncio.to_thread(run, "pg_ctlcluster", version, CLUSTER, "start")
                moments["start"] = time.monotonic()
                log(f"[{kind}] PostgreSQL started again ({done.returncode})")
                await asyncio.sleep(10)
                probe.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await probe

            out = asyncio.run(play(server.base, seeded, args.tenants, args.seconds,
                                   args.concurrency, during=fault))  # fmt: skip
        report_load(kind, out)
        probe = getattr(out, "probe", [])
        down = [p for p in probe if moments["stopped"] < p[0] < moments["starting"]]
        ok = verdict(kind, "while down, the API answers 503 (and pages the clear 503 page)",
                     bool(down) and all(status == 503 for _t, status in down)
                     and out.down_pages > 0,
                     f"{len(down)} probes ({sorted({st for _t, st in down})}), "
                     f"{out.down_pages} tenant requests got the clear page") and ok  # fmt: skip
        after = [p for p in probe if p[0] > moments["start"]]
        recovered = next((t for t, status in after if status == 401), None)
        ok = verdict(kind, "the service resumes by itself after the restart",
                     recovered is not None,
                     f"first good answer {recovered - moments['start']:.1f} s after the start"
                     if recovered else "no good answer") and ok  # fmt: skip
        ok = check(kind, url, seeded, out, args.tenants) and ok
    return ok


# -- SQLite on a read-only or full disk --------------------------------------------------


@contextlib.contextmanager
def tmpfs(size_kb: int) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="consent-tmpfs-"))
    done = run("mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder))
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    try:
        yield folder
    finally:
        run("umount", "-l", str(folder))
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def plain_folder() -> Iterator[Path]:
    """A folder on the ordinary disk; any immutable flag is cleared before removal."""
    folder = Path(tempfile.mkdtemp(prefix="consent-ro-", dir="/var/tmp"))
    try:
        yield folder
    finally:
        for path in folder.iterdir():
            run("chattr", "-i", str(path))
        shutil.rmtree(folder, ignore_errors=True)


def set_immutable(folder: Path, on: bool) -> subprocess.CompletedProcess[str]:
    """chattr +i: no process may write the files, root included (chmod does not stop root,
    and a busy file system cannot be remounted read-only). Writes through open files fail."""
    files = [str(p) for p in sorted(folder.glob("consent.db*"))]
    return run("chattr", "+i" if on else "-i", *files)


def sqlite_disk(kind: str, args: argparse.Namespace, folder: Path, fault: str) -> bool:
    ok = True
    with fresh_database("sqlite") as source_url:
        seeded = seed(source_url, homes=args.tenants)
        source = Path(source_url.removeprefix("sqlite:///"))
        engine = create_engine(source_url)
        with engine.begin() as connection:  # one file to copy
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        engine.dispose()
        storage = plain_folder() if fault == "readonly" else tmpfs(64 * 1024)
        with storage as place:
            shutil.copyfile(source, place / "consent.db")
            url = f"sqlite:///{place / 'consent.db'}"
            seeded.url = url
            with consent_server(url, 2, folder) as server:
                moments: dict[str, float] = {}

                async def inject(out: Outcome) -> None:
                    stop_at = time.monotonic() + args.seconds + 30
                    probe = asyncio.create_task(watch(server.base, out, stop_at))
                    await asyncio.sleep(args.seconds * 0.3)
                    if fault == "readonly":
                        done = set_immutable(place, True)
                    else:  # shrink the tmpfs to what it holds: the next page has no room
                        used = shutil.disk_usage(place).used // 1024 + 4
                        done = run("mount", "-o", f"remount,size={used}k", str(place))
                    log(f"[{kind}] disk {fault} ({done.returncode}{' ' + done.stderr.strip() if done.stderr else ''}); "
                        f"for {args.down} s")  # fmt: skip
                    moments["stopped"] = time.monotonic()
                    await asyncio.sleep(args.down)
                    moments["starting"] = time.monotonic()
                    if fault == "readonly":
                        done = set_immutable(place, False)
                    else:
                        done = run("mount", "-o", f"remount,size={64 * 1024}k", str(place))
                    log(f"[{kind}] disk writable again ({done.returncode})")
                    await asyncio.sleep(10)
                    probe.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await probe

                out = asyncio.run(play(server.base, seeded, args.tenants, args.seconds,
                                       args.concurrency, during=inject))  # fmt: skip
            report_load(kind, out)
            refused = sum(n for k, st in out.statuses.items() if k == "vote POST"
                          for s, n in st.items() if s == 503)  # fmt: skip
            ok = verdict(kind, f"while the disk is {fault}, votes get the clear 503 page",
                         refused > 0 and out.down_pages >= refused,
                         f"{refused} vote requests refused with the clear page") and ok  # fmt: skip
            probe = getattr(out, "probe", [])
            after = [t for t, status in probe if t > moments["starting"] and status == 401]
            ok = verdict(kind, "the service resumes by itself", bool(after),
                         f"{after[0] - moments['starting']:.1f} s after the disk was writable"
                         if after else "no good answer") and ok  # fmt: skip
            ok = check(kind, url, seeded, out, args.tenants) and ok
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("faults", nargs="*", default=["worker-kill", "pg-restart",
                                                      "sqlite-readonly", "sqlite-full"])  # fmt: skip
    parser.add_argument("--tenants", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--down", type=float, default=6.0, help="seconds the fault lasts")
    parser.add_argument("--postgres", action="store_true", help="worker-kill on PostgreSQL too")
    args = parser.parse_args()
    root = os.geteuid() == 0
    log(f"load average {os.getloadavg()[0]:.1f}; faults: {', '.join(args.faults)}")
    ok = True
    steps: dict[str, Callable[[str, argparse.Namespace, Path], bool]] = {
        "worker-kill": lambda k, a, f: (
            worker_kill("sqlite", a, f) and (not a.postgres or worker_kill("postgresql", a, f))
        ),
        "pg-restart": pg_restart,
        "sqlite-readonly": lambda k, a, f: sqlite_disk(k, a, f, "readonly"),
        "sqlite-full": lambda k, a, f: sqlite_disk(k, a, f, "full"),
    }
    with tempfile.TemporaryDirectory(prefix="consent-faults-") as tmp:
        for name in args.faults:
            if name not in steps:
                parser.error(f"unknown fault {name!r}")
            if name != "worker-kill" and not root:
                log(f"[{name}] SKIP needs root (mount, pg_createcluster)")
                continue
            log(f"== {name}")
            try:
                ok = steps[name](name, args, Path(tmp)) and ok
            except Exception as exc:  # noqa: BLE001 - report and go on with the next fault
                log(f"[{name}] FAIL {type(exc).__name__}: {exc}")
                ok = False
    log("ALL PASS" if ok else "SOME FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
