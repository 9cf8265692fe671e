"""The job that makes a run's letters into one stored PDF (see ``consent.paper.runs``).

A proposal's letters issue a new personal code per household as they are made. The
codes are committed in steps of COMMIT_EVERY letters while worker processes render the
letters already made, so the audit chain (one lock for the whole application) is never
held for longer than one step: votes keep being recorded while a large batch renders.
So when rendering fails, codes already committed stay issued (and the earlier letters'
codes of those households revoked), as they would once the letters are made; the run
is shown as failed and can be tried again, which makes all letters with new codes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from consent.db import new_session, session_scope
from consent.outbox.models import OutboxMessage
from consent.paper import files, letters, pdf, printing, runs
from consent.paper.models import LetterRun
from consent.paper.pdf import LetterJob
from consent.proposals.models import Proposal
from consent.settings import Settings
from consent.timeutil import utcnow

log = logging.getLogger(__name__)
COMMIT_EVERY = 50


class Problem(Exception):
    """Why a run makes no letters: a key of ``runs.ERRORS``."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _committing(session: Session, made: Iterable[LetterJob]) -> Iterator[LetterJob]:
    """The letters, committing the codes issued for them every COMMIT_EVERY letters."""
    for count, letter in enumerate(made, 1):
        yield letter
        if count % COMMIT_EVERY == 0:
            session.commit()
    session.commit()


def _proposal_pdf(session: Session, settings: Settings, run: LetterRun) -> tuple[bytes, int]:
    proposal = session.get(Proposal, run.proposal_id)
    assert proposal is not None
    params = runs.params_of(run)
    reminder = run.kind == "reminder"
    problem = letters.batch_problem(proposal, reminder)
    if problem:
        raise Problem(problem)
    tenancy_ids = {int(params["tenancy_id"])} if run.kind == "one" else None
    batch = letters.letter_batch(
        session, settings, proposal, f"staff:{run.requested_by}", tenancy_ids=tenancy_ids,
        reminder=reminder, language=params.get("language") or None,
    )  # fmt: skip
    if not len(batch):
        raise Problem("not_eligible" if run.kind == "one" else "none")
    return pdf.letters_pdf(_committing(session, batch), len(batch)), len(batch)


def _queued_pdf(session: Session, run: LetterRun) -> tuple[bytes, int]:
    ids = [int(i) for i in runs.params_of(run).get("message_ids", [])]
    messages = session.exec(
        select(OutboxMessage)
        .where(
            col(OutboxMessage.id).in_(ids),
            OutboxMessage.corporation_id == run.corporation_id,
            col(OutboxMessage.sent_at).is_(None),
        )
        .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id))
    ).all()
    if not messages:
        raise Problem("gone")
    return pdf.mixed_pdf([printing.job_of(m) for m in messages]), len(messages)


def execute(engine: Engine, settings: Settings, run_id: int) -> str:
    """Make one run if it is waiting (or its job stopped); returns its status afterwards."""
    token = runs.claim(engine, run_id)
    if token is None:
        return "skipped"
    with new_session(engine) as session:
        run = session.get(LetterRun, run_id)
        assert run is not None
        name = ""
        try:
            if run.kind == "queued":
                data, count = _queued_pdf(session, run)
            else:
                data, count = _proposal_pdf(session, settings, run)
            name = files.store(settings, data)
            current = runs.held(session, run_id, token)
            if current is None:  # the lease ran out and another job took the run over
                session.rollback()
                files.remove(settings, name)
                return "skipped"
            runs.finish_ready(session, current, file_name=name, size=len(data), count=count,
                              now=utcnow())  # fmt: skip
            session.commit()
        except Problem as problem:
            session.rollback()
            return _fail(engine, run_id, token, problem.key)
        except Exception as exc:  # noqa: BLE001 - any failure is shown on the run's page
            session.rollback()
            files.remove(settings, name)
            # Only the type: messages (e.g. SQL parameters) may hold personal data.
            log.error("letter run %s failed: %s", run_id, type(exc).__name__)
            return _fail(engine, run_id, token, "render")
    return "ready"


def _fail(engine: Engine, run_id: int, token: str, key: str) -> str:
    with session_scope(engine) as session:
        run = runs.held(session, run_id, token)
        if run is not None:
            runs.finish_failed(session, run, key, utcnow())
    return "failed"


def run_due(engine: Engine, settings: Settings) -> dict[str, int]:
    """Every waiting run, one after the other; the count of each outcome."""
    counts: dict[str, int] = {}
    for run_id in runs.due(engine):
        outcome = execute(engine, settings, run_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
