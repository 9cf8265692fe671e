"""Letters per second for a 500-home complex: codes issued, letters rendered, one PDF.

    PYTHONPATH=. python benchmarks/letters.py [--homes 500] [--workers N] [--single]

Times what the "letters for every household" button does: issue a new personal code per
tenancy, build each letter in the tenant's language (six languages, Arabic right to
left), and render them with WeasyPrint into ONE PDF (two pages per letter), in worker
processes when the batch is large. Prints letters per second by the wall clock, the CPU
seconds per letter (this process and the workers) and the load average, since other
work on the machine slows the figure. --single also measures one process for comparison.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from consent.accounts.service import create_corporation
from consent.db import make_engine, new_session, session_scope
from consent.housing.csv_rows import COLUMNS
from consent.housing.importer import import_text
from consent.housing.models import Complex, Corporation
from consent.migrate import upgrade
from consent.paper import letters, pdf
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


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def run(
    engine, settings: Settings, proposal_id: int, workers: int | None
) -> tuple[float, float, int, int]:  # type: ignore[no-untyped-def]
    with new_session(engine) as session:
        proposal = session.get(Proposal, proposal_id)
        cpu, started = cpu_seconds(), time.perf_counter()
        batch = letters.letter_batch(session, settings, proposal, "bench")
        data = pdf.letters_pdf(batch, len(batch), workers=workers)
        session.commit()
        seconds, used = time.perf_counter() - started, cpu_seconds() - cpu
    pages = len(PdfReader(io.BytesIO(data)).pages)
    return seconds, used, len(batch), pages


def report(label: str, seconds: float, used: float, count: int, pages: int) -> float:
    rate = count / seconds
    print(
        f"{label:<22} {count} letters ({pages} pages) in {seconds:6.1f} s = {rate:5.1f} letters/s"
        f"  | CPU {used / count * 1000:5.0f} ms per letter"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homes", type=int, default=500)
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU core")
    parser.add_argument("--single", action="store_true", help="also measure one process")
    args = parser.parse_args()
    settings = Settings(
        secret_key="benchmark-secret-key-0123456789", base_url="https://inspraak.example.nl"
    )
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        proposal_id = prepare(engine, args.homes)
        workers = args.workers or pdf.workers_for(args.homes)
        print(f"{args.homes} homes, {os.cpu_count()} CPU cores, {workers} worker process(es), "
              f"load average before: {os.getloadavg()[0]:.2f}")  # fmt: skip
        rate = report("letters (as the app)", *run(engine, settings, proposal_id, workers))
        if args.single:
            report("letters (one process)", *run(engine, settings, proposal_id, 1))
        engine.dispose()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    verdict = "meets" if rate >= TARGET else "BELOW"
    print(f"result: {rate:.1f} letters/s, {verdict} the target of {TARGET:.0f} letters/s")


if __name__ == "__main__":
    main()
