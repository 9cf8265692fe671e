"""Tenant proposal page and vote POST against `consent serve --workers 2`, and the bare ceiling.

    PYTHONPATH=. python benchmarks/http_bench.py [--seconds 10] [--connections 50] [--postgres]
                                            [--driver wrk|httpx] [--workers 2]

For each database (a temporary SQLite file; with --postgres also a fresh PostgreSQL
database on CONSENT_TEST_POSTGRES, dropped afterwards):

1. seeds one complex with an open proposal and a personal code per home;
2. serves it with `consent serve --workers 2` (uvicorn, uvloop, httptools) on 127.0.0.1;
3. every connection enters its own tenant's code (its own session cookie);
4. drives the tenant proposal page (GET) and then the vote POST (each connection's
   votes alternate agree/disagree, so every POST is a real change) for --seconds each;
5. serves benchmarks/bare_app.py the same way (a fixed page of the measured page's size)
   and drives it with the same client settings.

Prints requests/s, p50/p99 latency, errors and the load average of every run, and the
ratio to the bare rate, with PASS/FAIL against the targets (vote POST >= 0.03 of bare
with p99 < 250 ms and no errors; page >= 0.10 of bare). After the votes it checks that
there is exactly one counted ballot per voting tenant and that the audit chain is intact
(both are part of the vote verdict). wrk (one thread per connection, a Lua script per
tenant) is used when installed, else an asyncio httpx driver. Every run is bounded by
--seconds; the servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import func, select

from benchmarks.bench_setup import (
    TenantSession,
    bare_server,
    consent_server,
    fresh_database,
    log,
    machine,
    percentile,
    seed,
    tenant_session,
)

TARGET_VOTE_RATIO, TARGET_VOTE_P99_MS, TARGET_PAGE_RATIO = 0.03, 250.0, 0.10
# "layout": the app's smallest page in its layout (the 404 page, through every middleware
# and the full route list), a reference for what any page of the app costs.
EXPECTED = {"page": 200, "vote": 303, "layout": 404}
LAYOUT_PATH = "/bestaat-niet"

LUA = """
local tenants = {%(tenants)s}
local path = "%(path)s"
local mode = "%(mode)s"
local expected = %(expected)d
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  bad = 0
end

function request()
  n = n + 1
  local t = tenants[((id - 1) %% #tenants) + 1]
  if mode == "vote" then
    local choice = (n %% 2 == 0) and "agree" or "disagree"
    return wrk.format("POST", path, {["Cookie"] = t[1],
      ["Content-Type"] = "application/x-www-form-urlencoded"},
      "csrf_token=" .. t[2] .. "&choice=" .. choice)
  end
  return wrk.format("GET", path, {["Cookie"] = t[1]})
end

function response(status, headers, body)
  if status ~= expected then bad = bad + 1 end
end

function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "unexpected_status": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, b, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"{self.name}: {self.rate:,.0f} req/s  p50 {self.p50_ms:.1f} ms  "
                f"p99 {self.p99_ms:.1f} ms  requests {self.requests:,}  errors {self.errors}  "
                f"(load average {os.getloadavg()[0]:.1f})")  # fmt: skip


def run_wrk(name: str, base: str, path: str, mode: str, sessions: list[TenantSession],
            seconds: int, folder: Path) -> Result:  # fmt: skip
    expected = EXPECTED[mode]
    tenants = ", ".join(f'{{"{s.cookie}", "{s.csrf}"}}' for s in sessions)
    script = folder / f"{mode}-{int(time.time() * 1000)}.lua"
    script.write_text(LUA % {"tenants": tenants, "path": path, "mode": mode, "expected": expected})
    connections = len(sessions)
    command = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(script), base + path]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("WRKJSON "))
    return Result(name, data["requests"], data["duration_us"] / 1e6, data["p50_us"] / 1000,
                  data["p99_us"] / 1000, data["unexpected_status"] + data["socket_errors"])  # fmt: skip


async def _httpx_load(base: str, path: str, mode: str, sessions: list[TenantSession],
                      seconds: int) -> tuple[int, list[float], int]:  # fmt: skip
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    expected = EXPECTED[mode]

    async def one(session: TenantSession) -> None:
        nonlocal errors
        headers = {"Cookie": session.cookie}
        n = 0
        async with httpx.AsyncClient(base_url=base, timeout=10.0) as client:
            while time.monotonic() < stop:
                n += 1
                started = time.perf_counter()
                try:
                    if mode == "vote":
                        choice = "agree" if n % 2 == 0 else "disagree"
                        answer = await client.post(path, headers=headers, data={
                            "csrf_token": session.csrf, "choice": choice})  # fmt: skip
                    else:
                        answer = await client.get(path, headers=headers)
                    ok = answer.status_code == expected
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += 0 if ok else 1

    await asyncio.gather(*(one(s) for s in sessions))
    return len(latencies), latencies, errors


def run_httpx(name: str, base: str, path: str, mode: str, sessions: list[TenantSession],
              seconds: int) -> Result:  # fmt: skip
    started = time.monotonic()
    count, latencies, errors = asyncio.run(_httpx_load(base, path, mode, sessions, seconds))
    elapsed = time.monotonic() - started
    return Result(name, count, elapsed, percentile(latencies, 50) * 1000,
                  percentile(latencies, 99) * 1000, errors)  # fmt: skip


def drive(driver: str, *args: object) -> Result:
    if driver == "wrk":
        return run_wrk(*args)  # type: ignore[arg-type]
    return run_httpx(*args[:-1])  # type: ignore[arg-type]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def bench_database(kind: str, args: argparse.Namespace, folder: Path) -> dict[str, Result]:
    from consent.audit.service import verify
    from consent.db import make_engine, new_session
    from consent.proposals.models import Ballot, BallotEvent

    results: dict[str, Result] = {}
    with fresh_database(kind) as url:
        seeded = seed(url, homes=max(args.connections, 2 * args.connections))
        log(f"[{kind}] seeded {len(seeded.codes)} homes, proposal {seeded.proposal_id}")
        with consent_server(url, args.workers, folder) as server:
            sessions = [tenant_session(server.base, c) for c in seeded.codes[: args.connections]]
            page_path = f"/voorstel/{seeded.proposal_id}"
            page = httpx.get(server.base + page_path, headers={"Cookie": sessions[0].cookie})
            assert page.status_code == 200, page.status_code
            size = len(page.content)
            log(f"[{kind}] tenant proposal page: {size:,} bytes; {len(sessions)} tenant sessions")
            results["page"] = drive(args.driver, f"[{kind}] tenant proposal page GET",
                                    server.base, page_path, "page", sessions, args.seconds, folder)  # fmt: skip
            log(results["page"].line())
            results["vote"] = drive(args.driver, f"[{kind}] vote POST", server.base,
                                    page_path + "/stem", "vote", sessions, args.seconds, folder)  # fmt: skip
            log(results["vote"].line())
            results["layout"] = drive(args.driver, f"[{kind}] the 404 page (the layout only)",
                                      server.base, LAYOUT_PATH, "layout", sessions, args.seconds,
                                      folder)  # fmt: skip
            log(results["layout"].line())
        engine = make_engine(url)
        with engine.connect() as connection:
            ballots = connection.execute(select(func.count()).select_from(Ballot)).scalar_one()
            events = connection.execute(select(func.count()).select_from(BallotEvent)).scalar_one()
        with new_session(engine) as session:
            chain = verify(session)
        engine.dispose()
        log(f"[{kind}] afterwards: {ballots} counted ballots (one per voting tenant: "
            f"{len(sessions)}), {events:,} ballot events; audit chain of {chain.rows:,} rows "
            f"{'intact' if chain.first_broken_id is None else 'BROKEN'}")  # fmt: skip
        intact = ballots == len(sessions) and chain.first_broken_id is None
        results["ballots_ok"] = Result("ballots", int(intact), 1, 0, 0, 0)
        with bare_server(args.workers, folder, size) as bare:
            results["bare"] = drive(args.driver, f"[{kind}] bare Starlette page ({size:,} B)",
                                    bare.base, page_path, "page", sessions, args.seconds, folder)  # fmt: skip
            log(results["bare"].line())
    return results


def report(kind: str, r: dict[str, Result]) -> bool:
    bare = r["bare"].rate
    page_ratio, vote_ratio = r["page"].rate / bare, r["vote"].rate / bare
    page_ok = page_ratio >= TARGET_PAGE_RATIO and r["page"].errors == 0
    vote_ok = (vote_ratio >= TARGET_VOTE_RATIO and r["vote"].p99_ms < TARGET_VOTE_P99_MS
               and r["vote"].errors == 0 and r["ballots_ok"].requests == 1)  # fmt: skip
    log(
        f"[{kind}] page/bare = {page_ratio:.3f} (target >= {TARGET_PAGE_RATIO}): {verdict(page_ok)}"
    )
    log(f"[{kind}] the 404 page in the layout/bare = {r['layout'].rate / bare:.3f} (reference)")
    log(f"[{kind}] vote/bare = {vote_ratio:.3f} (target >= {TARGET_VOTE_RATIO}), p99 "
        f"{r['vote'].p99_ms:.0f} ms (target < {TARGET_VOTE_P99_MS:.0f}), errors {r['vote'].errors}: "
        f"{verdict(vote_ok)}")  # fmt: skip
    return page_ok and vote_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--postgres", action="store_true", help="also on a fresh PostgreSQL database"
    )
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--driver", choices=["wrk", "httpx"],
                        default="wrk" if shutil.which("wrk") else "httpx")  # fmt: skip
    args = parser.parse_args()
    m = machine()
    log(f"machine: nproc={m['nproc']} cpu={m['cpu']} memory={m['memory']} python={m['python']}; "
        f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    log(f"driver: {args.driver}, {args.connections} connections, {args.seconds} s per run, "
        f"{args.workers} workers")  # fmt: skip
    kinds = (["sqlite"] if args.sqlite else []) + (["postgresql"] if args.postgres else [])
    ok = True
    with tempfile.TemporaryDirectory(prefix="consent-http-") as tmp:
        for kind in kinds:
            ok = report(kind, bench_database(kind, args, Path(tmp))) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
