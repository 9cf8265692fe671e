"""Letters per second for a 500-home complex: the letter run a project leader asks for.

    PYTHONPATH=. python benchmarks/letters.py [--homes 500] [--repeat 3] [--workers N]
    PYTHONPATH=. python benchmarks/letters.py --profile     # cProfile of one rendered part

Times what the background job does for "letters for every household"
(``consent.paper.make.execute``): issue a new personal code per tenancy (committed in
steps), build each letter in the tenant's language (six languages, Arabic right to left),
render them with WeasyPrint in worker processes (parts joined with pypdf) and store the
one PDF (two pages per letter). Prints, per run, letters per second by the wall clock, the
CPU seconds per letter (this process, the fork server and its workers) and the load
average, since other work on the machine slows the wall-clock figure; then the median and
the best run. --workers 1 renders in this process, for comparison.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from multiprocessing import forkserver
from pathlib import Path

from pypdf import PdfReader
from sqlmodel import select

from consent.accounts.models import StaffUser
from consent.accounts.service import create_corporation
from consent.db import make_engine, new_session, session_scope
from consent.housing.csv_rows import COLUMNS
from consent.housing.importer import import_text
from consent.housing.models import Complex, Corporation
from consent.migrate import upgrade
from consent.paper import files, letters, make, pdf, runs
from consent.paper.models import LetterRun
from consent.proposals import workflow
from consent.proposals.inputs import MeasureInput, ProposalInput
from consent.proposals.models import Proposal
from consent.proposals.service import create_proposal
from consent.settings import Settings
from consent.timeutil import utcnow

LANGS = ("nl", "en", "tr", "ar", "pl", "uk")
TARGET = 20.0  # letters per second on a 2-core machine
SUMMARY = (
    "Wij isoleren de gevel, het dak en de vloer van uw woning en plaatsen nieuwe ramen met "
    "isolatieglas. Op het dak komen zonnepanelen. Het werk duurt ongeveer drie weken per "
    "woning; u kunt thuis blijven wonen. Voor de isolatie betaalt u niets extra. Voor de "
    "zonnepanelen gaat de huur 12 euro per maand omhoog; uw energierekening daalt naar "
    "verwachting met 25 euro per maand."
)


def register(homes: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i in range(1, homes + 1):
        names = f"Huurder {i}" + (f"|Partner {i}" if i % 4 == 0 else "")
        writer.writerow([
            "C-1", "De Linde", f"E-{i:05d}", "Lindelaan", str(i), "", "", "3521 KL", "Utrecht",
            "sociale_huur", f"HO-{i:05d}", "2015-01-01", names, LANGS[i % len(LANGS)], "",
            f"06-{i:08d}", "600.00",
        ])  # fmt: skip
    return out.getvalue()


def prepare(engine, homes: int) -> int:  # type: ignore[no-untyped-def]
    upgrade(engine)
    with session_scope(engine) as session:
        create_corporation(session, "bench", "Woonstichting Bench", actor="bench")
    result = import_text(engine, register(homes), "bench", "bench")
    if result.errors:
        sys.exit(f"import refused: {result.errors[:3]}")
    now = utcnow()
    with session_scope(engine) as session:
        corporation = session.exec(Corporation.__table__.select()).first()  # type: ignore[attr-defined]
        complex_ = session.exec(Complex.__table__.select()).first()  # type: ignore[attr-defined]
        row = session.get(Corporation, corporation.id)
        row.help_phone = "088-1234567"
        session.add(row)
        proposal = create_proposal(
            session, corporation_id=corporation.id, actor="bench",
            data=ProposalInput(
                complex=complex_.code, title="Isolatie en zonnepanelen", summary=SUMMARY,
                opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=21),
                measures=[MeasureInput("improvement", "solar_panels", "Zonnepanelen", 1200)],
            ),
        )  # fmt: skip
    with new_session(engine) as session:
        current = session.get(Proposal, proposal.id)
        workflow.open_voting(session, current, "bench")
        session.commit()
    return proposal.id or 0


def own_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def cpu_seconds() -> float:
    """CPU seconds of this process, its waited-for children, and the fork server's workers."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own_cpu() + children.ru_utime + children.ru_stime
    server = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
    if server:
        fields = Path(f"/proc/{server}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def leader(engine) -> StaffUser:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        corporation = session.exec(select(Corporation)).one()
        user = StaffUser(corporation_id=corporation.id, email="leader@bench.example",
                         name="Bench", role="project_leader", password_hash="x")  # fmt: skip
        session.add(user)
        session.flush()
        session.expunge(user)
        return user


def run(engine, settings: Settings, proposal_id: int, user: StaffUser) -> tuple[float, float, int, int]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        count = len(letters.voters(session, session.get(Proposal, proposal_id)))
        asked, _new = runs.ask(session, user, kind="all", letters_count=count, proposal_id=proposal_id)
        run_id = asked.id or 0
    cpu, mine, load = cpu_seconds(), own_cpu(), os.getloadavg()[0]
    started = time.perf_counter()
    outcome = make.execute(engine, settings, run_id)
    seconds = time.perf_counter() - started
    parent = own_cpu() - mine
    time.sleep(0.2)  # the fork server reaps its workers
    used = cpu_seconds() - cpu
    with new_session(engine) as session:
        done = session.get(LetterRun, run_id)
        assert outcome == "ready" and done is not None, outcome
        path = files.path_of(settings, done.file_name)
        assert path is not None
        pages = len(PdfReader(path).pages)
        files.remove(settings, done.file_name)
    print(f"  run: {done.letters} letters ({pages} pages) in {seconds:6.1f} s = "
          f"{done.letters / seconds:5.1f} letters/s | CPU {used / done.letters * 1000:4.0f} ms "
          f"per letter ({parent / done.letters * 1000:.0f} ms of it in this process) | "
          f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
    return seconds, used, done.letters, pages


def profile_part(engine, settings: Settings, proposal_id: int) -> None:  # type: ignore[no-untyped-def]
    """cProfile of rendering one part (PART_LETTERS letters) as a worker renders it."""
    with new_session(engine) as session:
        proposal = session.get(Proposal, proposal_id)
        batch = letters.letter_batch(session, settings, proposal, "bench")
        made = [letter for _i, letter in zip(range(pdf.PART_LETTERS), batch, strict=False)]
        session.rollback()
    pdf.html_to_pdf(pdf.document_html(made[:2]))  # warm, as a worker is after its first part
    profiler = cProfile.Profile()
    profiler.enable()
    html = pdf.document_html(made)
    pdf.html_to_pdf(html)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homes", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU core")
    parser.add_argument("--profile", action="store_true", help="profile one part and stop")
    args = parser.parse_args()
    if args.workers == 1:
        pdf.PARALLEL_FROM = sys.maxsize  # everything in this process
    elif args.workers:
        pdf.MAX_WORKERS = args.workers
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(secret_key="benchmark-secret-key-0123456789",
                            base_url="https://inspraak.example.nl", upload_dir=Path(folder))  # fmt: skip
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        proposal_id = prepare(engine, args.homes)
        if args.profile:
            profile_part(engine, settings, proposal_id)
            return
        user = leader(engine)
        print(f"{args.homes} homes, {os.cpu_count()} CPU cores, "
              f"{pdf.workers_for(args.homes)} worker process(es)")  # fmt: skip
        results = [run(engine, settings, proposal_id, user) for _ in range(args.repeat)]
        engine.dispose()
    rates = sorted(count / seconds for seconds, _used, count, _pages in results)
    cpu = statistics.median(used / count * 1000 for _s, used, count, _p in results)
    median, best = statistics.median(rates), rates[-1]
    print(f"median {median:.1f} letters/s, best {best:.1f} letters/s, CPU {cpu:.0f} ms per letter")
    verdict = "meets" if best >= TARGET else "BELOW"
    print(f"result: best run {best:.1f} letters/s, {verdict} the target of {TARGET:.0f} letters/s")


if __name__ == "__main__":
    main()
