"""500 tenants vote on one complex within a minute, against `consent serve --workers 2`.

    PYTHONPATH=. python benchmarks/load_vote.py [--tenants 500] [--seconds 60]
        [--concurrency 50] [--postgres] [--no-sqlite]

Each tenant, arriving at a random moment in the window (loopback only, 127.0.0.1):
opens the start page, enters its personal code, opens the proposal, votes; 30% then
submit the same vote twice at once (a double click), 30% change their vote later,
10% change it twice; after each vote the tenant opens the confirmation page and notes
the receipt. At most --concurrency requests are in flight; every request times out
after 30 s and the run stops by itself.

Afterwards, checked against the database: one counted ballot per tenant that voted;
each tenant's counted choice is its last acknowledged choice; every receipt a tenant
saw is a recorded ballot event; the tally (``results.tally_for``) equals a recount of
the ballots; `consent audit verify` passes. Prints requests/s and p50/p99 per request
kind, and PASS/FAIL lines. benchmarks/faults.py reuses this load with faults injected.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import httpx2 as httpx  # noqa: E402

from benchmarks.bench_setup import (  # noqa: E402
    CSRF,
    SECRET,
    Seeded,
    consent_server,
    fresh_database,
    log,
    machine,
    percentile,
    seed,
)

RECEIPT = re.compile(r"\b([23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-"
                     r"[23456789ABCDEFGHJKMNPQRSTWXYZ]{4})\b")  # fmt: skip
DOWN_H1 = "De website werkt nu even niet"


@dataclass
class Outcome:
    """What the client saw: latencies per kind, statuses, and every tenant's receipts."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    down_pages: int = 0  # 503 answers with the clear error page
    unclear_errors: list[str] = field(default_factory=list)
    receipts: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Per tenant, in order: ("ack", choice) for an acknowledged vote (303), ("unknown", choice)
    # for one whose answer never came (it may or may not have been stored).
    history: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    started: float = 0.0
    finished: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def acknowledged(self, index: int) -> str | None:
        """The tenant's last acknowledged choice."""
        acks = [choice for what, choice in self.history[index] if what == "ack"]
        return acks[-1] if acks else None

    def possible(self, index: int) -> set[str]:
        """Choices that may be counted: the last acknowledged one, or any later unknown one."""
        found: set[str] = set()
        for what, choice in reversed(self.history[index]):
            found.add(choice)
            if what == "ack":
                break
        return found


class Tenant:
    def __init__(self, index: int, code: str, base: str, out: Outcome, gate: asyncio.Semaphore,
                 proposal_id: int) -> None:  # fmt: skip
        self.index, self.code, self.out, self.gate = index, code, out, gate
        self.base, self.proposal = base, f"/voorstel/{proposal_id}"
        self.client = httpx.AsyncClient(base_url=base, timeout=30.0, follow_redirects=False)
        self.csrf = ""

    async def request(
        self, kind: str, method: str, url: str, **kwargs: object
    ) -> httpx.Response | None:
        async with self.gate:
            started = time.perf_counter()
            try:
                response = await self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
            except httpx.HTTPError as exc:
                self.out.errors[kind] += 1
                self.out.unclear_errors.append(f"{kind}: {type(exc).__name__}")
                return None
            finally:
                self.out.latencies[kind].append(time.perf_counter() - started)
        self.out.statuses[kind][response.status_code] += 1
        if response.status_code == 503:
            if DOWN_H1 in response.text:
                self.out.down_pages += 1
            else:
                self.out.unclear_errors.append(f"{kind}: 503 without the clear page")
        elif response.status_code >= 500:
            self.out.unclear_errors.append(f"{kind}: {response.status_code}")
        return response

    async def enter(self) -> bool:
        for _attempt in range(20):  # a fault may make the first attempts fail
            page = await self.request("start page", "GET", "/?lang=nl")
            if page is not None and page.status_code == 200:
                found = CSRF.search(page.text)
                if found:
                    self.csrf = found.group(1)
                    answer = await self.request("enter code", "POST", "/code",
                                                data={"code": self.code, "csrf_token": self.csrf})  # fmt: skip
                    if answer is not None and answer.status_code == 303:
                        return True
            await asyncio.sleep(1.0)
        return False

    async def vote(self, choice: str, times: int = 1, retries: int = 60) -> None:
        """Vote (`times` at once: a double click); try again, like a tenant would, on failure."""
        data = {"csrf_token": self.csrf, "choice": choice, "comment": f"stem {self.index}"}
        for _attempt in range(retries + 1):
            answers = await asyncio.gather(*(
                self.request("vote POST", "POST", self.proposal + "/stem", data=data)
                for _ in range(times)
            ))  # fmt: skip
            if any(a is None for a in answers):
                self.out.history[self.index].append(("unknown", choice))
            if any(a is not None and a.status_code == 303 for a in answers):
                self.out.history[self.index].append(("ack", choice))
                await self.receipt()
                return
            if all(a is not None and 400 <= a.status_code < 500 for a in answers):
                return  # refused (e.g. voting closed): trying again does not help
            await asyncio.sleep(1.0)

    async def receipt(self) -> None:
        for _attempt in range(30):
            done = await self.request("confirmation", "GET", self.proposal + "/bevestiging")
            if done is not None and done.status_code == 200:
                found = RECEIPT.search(done.text)
                if found:
                    self.out.receipts[self.index].append(found.group(1))
                return
            await asyncio.sleep(1.0)

    async def run(self, delay: float, rng: random.Random) -> None:
        await asyncio.sleep(delay)
        try:
            if not await self.enter():
                return
            await self.request("proposal page", "GET", self.proposal)
            first = rng.choice(["agree", "disagree"])
            draw = rng.random()
            await self.vote(first, times=2 if draw < 0.3 else 1)
            if draw >= 0.6:  # change their mind (once, or twice for some)
                await asyncio.sleep(rng.uniform(0.5, 5.0))
                other = "disagree" if first == "agree" else "agree"
                await self.vote(other)
                if draw >= 0.9:
                    await asyncio.sleep(rng.uniform(0.5, 3.0))
                    await self.vote(first)
        finally:
            await self.client.aclose()


async def play(base: str, seeded: Seeded, tenants: int, seconds: float, concurrency: int,
               seed_value: int = 7, during: Callable[[Outcome], object] | None = None) -> Outcome:  # fmt: skip
    """Run the load; `during(outcome)` (a coroutine function) runs alongside, e.g. a fault."""
    out = Outcome()
    gate = asyncio.Semaphore(concurrency)
    rng = random.Random(seed_value)
    people = [
        Tenant(i, seeded.codes[i], base, out, gate, seeded.proposal_id) for i in range(tenants)
    ]
    out.started = time.monotonic()
    jobs = [p.run(rng.uniform(0, seconds * 0.8), rng) for p in people]
    if during is not None:
        jobs.append(during(out))  # type: ignore[arg-type]
    await asyncio.wait_for(asyncio.gather(*jobs), timeout=seconds + 180)
    out.finished = time.monotonic()
    return out


def report_load(kind: str, out: Outcome) -> None:
    elapsed = out.finished - out.started
    log(f"[{kind}] {out.requests:,} requests in {elapsed:.1f} s: {out.requests / elapsed:,.1f} req/s "
        f"(the tenants arrive spread over the window; this is not a saturation rate)")  # fmt: skip
    for name, values in out.latencies.items():
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(out.statuses[name].items()))
        log(f"[{kind}]   {name:14} n={len(values):5}  p50 {percentile(values, 50) * 1000:7.1f} ms  "
            f"p99 {percentile(values, 99) * 1000:7.1f} ms  [{statuses}]"
            + (f"  transport errors {out.errors[name]}" if out.errors[name] else ""))  # fmt: skip


def check(kind: str, url: str, seeded: Seeded, out: Outcome, tenants: int,
          transport_errors_expected: bool = False) -> bool:  # fmt: skip
    """The database against what the tenants saw; PASS/FAIL lines."""
    from sqlalchemy import func, select

    from consent.db import make_engine, new_session
    from consent.proposals import results
    from consent.proposals.models import Ballot, BallotEvent, Proposal

    engine = make_engine(url)
    ok = True

    def verdict(name: str, passed: bool, detail: str = "") -> None:
        nonlocal ok
        ok = ok and passed
        log(f"[{kind}] {'PASS' if passed else 'FAIL'} {name}{': ' + detail if detail else ''}")

    try:
        with new_session(engine) as session:
            ballots = (
                session.exec(select(Ballot).where(Ballot.proposal_id == seeded.proposal_id))
                .scalars()
                .all()
            )  # type: ignore[call-overload]
            events = session.exec(select(BallotEvent.receipt, BallotEvent.tenancy_id)).all()  # type: ignore[call-overload]
            proposal = session.get(Proposal, seeded.proposal_id)
            tally = results.tally_for(session, proposal)  # type: ignore[arg-type]
            recount = dict(
                session.exec(select(Ballot.choice, func.count()).group_by(Ballot.choice)).all()
            )  # type: ignore[call-overload]
    finally:
        engine.dispose()
    by_tenancy = {b.tenancy_id: b for b in ballots}
    index_of = {tid: i for i, tid in enumerate(seeded.tenancy_ids)}
    voted = {i for i in range(tenants) if out.acknowledged(i) is not None}
    maybe = {i for i in range(tenants) if out.history[i]}
    counted = {index_of[t] for t in by_tenancy}
    verdict("one counted ballot per tenancy", len(by_tenancy) == len(ballots),
            f"{len(ballots)} ballots")  # fmt: skip
    missing = voted - counted
    verdict("every tenant with an acknowledged vote is counted", not missing,
            f"{len(voted)} acknowledged, {len(counted)} counted"
            + (f", missing {sorted(missing)[:5]}" if missing else ""))  # fmt: skip
    extra = counted - maybe
    verdict("no ballot without a vote", not extra, f"{len(extra)} unexplained")
    wrong = [i for i in counted & maybe
             if by_tenancy[seeded.tenancy_ids[i]].choice not in out.possible(i)]  # fmt: skip
    verdict("each counted choice is the tenant's last acknowledged choice", not wrong,
            f"{len(wrong)} differ")  # fmt: skip
    seen = {r for rs in out.receipts.values() for r in rs}
    recorded = {r for r, _t in events}
    verdict("every receipt a tenant saw is a recorded ballot (none lost)", seen <= recorded,
            f"{len(seen)} receipts seen, {len(seen - recorded)} unknown")  # fmt: skip
    stale = [i for i, rs in out.receipts.items() if out.history[i][-1][0] == "ack"
             and by_tenancy[seeded.tenancy_ids[i]].receipt != rs[-1]]  # fmt: skip
    verdict("the last receipt each tenant saw is its counted ballot", not stale,
            f"{len(stale)} differ")  # fmt: skip
    agree, disagree = recount.get("agree", 0), recount.get("disagree", 0)
    verdict("the tally equals a recount of the ballots",
            (tally.agree, tally.disagree) == (agree, disagree) and agree + disagree == len(ballots),
            f"tally {tally.agree} agree / {tally.disagree} disagree; recount {agree} / {disagree}")  # fmt: skip
    audit = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "consent.cli", "audit", "verify"], capture_output=True, text=True,
        env=dict(os.environ, CONSENT_DATABASE_URL=url, CONSENT_SECRET_KEY=SECRET), check=False,
        timeout=300,
    )  # fmt: skip
    verdict("consent audit verify", audit.returncode == 0, (audit.stdout or audit.stderr).strip())
    unclear = [e for e in out.unclear_errors
               if not (transport_errors_expected and "Error" in e.split(": ", 1)[1])]  # fmt: skip
    verdict("no unclear errors (every failure was the clear 503 page)", not unclear,
            "; ".join(sorted(set(unclear))[:5]))  # fmt: skip
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    m = machine()
    log(f"machine: nproc={m['nproc']} cpu={m['cpu']} memory={m['memory']}; "
        f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    ok = True
    with tempfile.TemporaryDirectory(prefix="consent-load-") as tmp:
        for kind in (["sqlite"] if args.sqlite else []) + (["postgresql"] if args.postgres else []):
            with fresh_database(kind) as url:
                seeded = seed(url, homes=args.tenants)
                log(f"[{kind}] {args.tenants} homes, proposal {seeded.proposal_id}; serving with "
                    f"{args.workers} workers")  # fmt: skip
                with consent_server(url, args.workers, Path(tmp)) as server:
                    out = asyncio.run(play(server.base, seeded, args.tenants, args.seconds,
                                           args.concurrency))  # fmt: skip
                report_load(kind, out)
                ok = check(kind, url, seeded, out, args.tenants) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
