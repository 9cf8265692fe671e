"""Letters made in the background (``LetterRun``): asked for, made, downloaded, posted.

Staff ask for letters (every eligible household, reminders for who did not vote, one
household's letter, or the letters waiting in the outbox such as the outcome notices).
The request is saved as a run and answered at once with its status page; a job makes
the PDF (``consent.paper.make``), right after the answer in the web process and, should
that process stop, in the next ``consent jobs run-due``.

When letters count as sent: only when someone confirms "printed and posted" on the
run's page, after the PDF was downloaded at least once. A download is not a posting (a
printer jams, a colleague opens the file to check it), and for the outcome notice the
date matters: the 8 weeks to go to court run from the notice. Until then the PDF can be
downloaded again as often as needed. On confirmation the queued letters get their sent
date and lose their content (personal data), and the PDF is deleted; a PDF that is never
confirmed is deleted PDF_KEPT after it was made (it holds personal codes).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from consent.accounts.models import StaffUser
from consent.audit.service import record
from consent.db import session_scope
from consent.i18n import lazy_gettext as _l
from consent.outbox.models import OutboxMessage
from consent.paper import files, letters, rules
from consent.paper.models import LetterRun
from consent.settings import Settings
from consent.timeutil import utcnow

KINDS = ("all", "reminder", "one", "queued")
ACTIVE = ("queued", "running")
OPEN = (*ACTIVE, "ready", "failed")  # not posted, not expired
LEASE = timedelta(minutes=30)  # a job that stops is taken over after this
PDF_KEPT = timedelta(days=7)  # an unposted PDF is deleted after this
KIND_LABELS = {
    "all": _l("Brieven voor alle huishoudens"),
    "reminder": _l("Herinneringen voor wie nog niet stemde"),
    "one": _l("Brief voor één huishouden"),
    "queued": _l("Brieven die klaarlagen om te printen"),
}
STATUS_LABELS = {
    "queued": _l("Wacht op zijn beurt"),
    "running": _l("Wordt gemaakt"),
    "ready": _l("Klaar om te printen"),
    "failed": _l("Mislukt"),
    "posted": _l("Verstuurd"),
    "expired": _l("Verlopen"),
}
ERRORS = {
    **letters.PROBLEMS,
    "none": _l("Er is geen huishouden om een brief aan te sturen."),
    "not_eligible": _l("Dit huishouden mag niet stemmen over dit voorstel."),
    "gone": _l("Deze brieven zijn intussen al geprint en verstuurd."),
    "render": _l(
        "Het maken van de PDF is mislukt door een fout in het systeem. Probeer het opnieuw. "
        "Lukt het weer niet? Neem dan contact op met de beheerder."
    ),
}


class RunError(Exception):
    """A step that cannot be taken on this run now; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def params_of(run: LetterRun) -> dict[str, Any]:
    return dict(json.loads(run.params or "{}"))


def templates_of(run: LetterRun) -> list[str]:
    """The letter templates in the run (who may see a run depends on them)."""
    if run.kind == "queued":
        return list(params_of(run).get("templates", []))
    return [letters.TEMPLATE]


def may_see(user: StaffUser, run: LetterRun) -> bool:
    """Staff of the run's corporation whose role prints every kind of letter in it."""
    return run.corporation_id == user.corporation_id and all(
        rules.may_print(user.role, template) for template in templates_of(run)
    )


def _audit(session: Session, run: LetterRun, actor: str, action: str, **details: Any) -> None:
    record(
        session, actor=actor, action=action, object_type="letter_run", object_id=run.id,
        corporation_id=run.corporation_id,
        details={"kind": run.kind, "proposal_id": run.proposal_id, **details},
    )  # fmt: skip


def ask(
    session: Session,
    user: StaffUser,
    *,
    kind: str,
    letters_count: int,
    proposal_id: int | None = None,
    params: dict[str, Any] | None = None,
) -> tuple[LetterRun, bool]:
    """Save a request for letters (the caller commits); (run, whether it is new).

    The same request while an earlier one is still waiting or being made returns that
    one, so a second click does not make (and issue codes for) the letters twice.
    """
    assert kind in KINDS
    text = json.dumps(params or {}, sort_keys=True)
    same = session.exec(
        select(LetterRun).where(
            LetterRun.corporation_id == user.corporation_id,
            LetterRun.kind == kind,
            LetterRun.proposal_id == proposal_id,
            LetterRun.params == text,
            col(LetterRun.status).in_(ACTIVE),
        )
    ).first()
    if same is not None:
        return same, False
    run = LetterRun(
        corporation_id=user.corporation_id, proposal_id=proposal_id, kind=kind, params=text,
        letters=letters_count, requested_by=user.id or 0,
    )  # fmt: skip
    session.add(run)
    session.flush()
    _audit(session, run, f"staff:{user.id}", "paper.letters_requested", letters=letters_count,
           **{k: v for k, v in (params or {}).items() if k != "templates"})  # fmt: skip
    return run, True


def claim(engine: Engine, run_id: int, now: datetime | None = None) -> str | None:
    """Take a run to make it (a lease); None when it is not waiting or another job has it."""
    moment = now or utcnow()
    token = uuid.uuid4().hex
    with session_scope(engine) as session:
        result = session.exec(
            update(LetterRun)
            .where(
                col(LetterRun.id) == run_id,
                or_(
                    col(LetterRun.status) == "queued",
                    (col(LetterRun.status) == "running") & (col(LetterRun.claimed_until) < moment),
                ),
            )
            .values(
                status="running",
                claimed_by=token,
                claimed_until=moment + LEASE,
                started_at=moment,
                attempts=LetterRun.attempts + 1,
            )  # fmt: skip
        )
    return token if result.rowcount == 1 else None


def due(engine: Engine, now: datetime | None = None) -> list[int]:
    """Runs waiting to be made, and runs whose job stopped (lease ran out), oldest first."""
    moment = now or utcnow()
    with session_scope(engine) as session:
        return [
            int(i or 0)
            for i in session.exec(
                select(LetterRun.id)
                .where(
                    or_(
                        col(LetterRun.status) == "queued",
                        (col(LetterRun.status) == "running")
                        & (col(LetterRun.claimed_until) < moment),
                    )
                )
                .order_by(col(LetterRun.id))
            ).all()
        ]


def held(session: Session, run_id: int, token: str) -> LetterRun | None:
    """The run if this job still holds it (its lease was not taken over)."""
    run = session.get(LetterRun, run_id, populate_existing=True, with_for_update=True)
    return run if run is not None and run.claimed_by == token and run.status == "running" else None


def finish_ready(
    session: Session, run: LetterRun, *, file_name: str, size: int, count: int, now: datetime
) -> None:
    run.status, run.error, run.letters = "ready", "", count
    run.file_name, run.file_size, run.finished_at = file_name, size, now
    run.claimed_by, run.claimed_until = "", None
    session.add(run)
    _audit(session, run, "job:letters", "paper.letters_ready", letters=count, bytes=size)


def finish_failed(session: Session, run: LetterRun, error: str, now: datetime) -> None:
    run.status, run.error, run.finished_at = "failed", error, now
    run.claimed_by, run.claimed_until = "", None
    session.add(run)
    _audit(session, run, "job:letters", "paper.letters_failed", error=error)


def retry(session: Session, user: StaffUser, run: LetterRun) -> None:
    """A failed run waits again to be made (the caller commits and starts it)."""
    if run.status != "failed":
        raise RunError(str(_l("Alleen een mislukte opdracht kunt u opnieuw proberen.")))
    run.status, run.error = "queued", ""
    session.add(run)
    _audit(session, run, f"staff:{user.id}", "paper.letters_retried", attempts=run.attempts)


def downloaded(session: Session, user: StaffUser, run: LetterRun, now: datetime) -> None:
    """Count a download of the PDF (the caller commits)."""
    run.downloads += 1
    run.first_downloaded_at = run.first_downloaded_at or now
    session.add(run)
    _audit(session, run, f"staff:{user.id}", "paper.letters_downloaded", downloads=run.downloads)


def confirm_posted(
    session: Session, settings: Settings, user: StaffUser, run: LetterRun, now: datetime
) -> int:
    """'Printed and posted': queued letters are marked sent and emptied, the PDF deleted.

    Returns the number of outbox letters marked sent (0 for a proposal's letters).
    """
    if run.status != "ready":
        raise RunError(str(_l("Deze brieven kunt u nu niet als verstuurd bevestigen.")))
    if not run.downloads:
        raise RunError(str(_l("Download en print de brieven eerst. Bevestig daarna dat u ze verstuurd heeft.")))  # fmt: skip
    marked = 0
    if run.kind == "queued":
        ids = [int(i) for i in params_of(run).get("message_ids", [])]
        result = session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id).in_(ids),
                col(OutboxMessage.corporation_id) == run.corporation_id,
                col(OutboxMessage.sent_at).is_(None),
            )
            .values(sent_at=now, context="{}", claimed_until=None, claimed_by="")
        )
        marked = int(result.rowcount or 0)
    files.remove(settings, run.file_name)
    run.status, run.posted_by, run.posted_at = "posted", user.id, now
    run.file_name = ""
    session.add(run)
    _audit(session, run, f"staff:{user.id}", "paper.letters_posted", letters=run.letters,
           outbox_letters=marked)  # fmt: skip
    return marked


def held_messages(session: Session, corporation_id: int) -> set[int]:
    """Outbox letters already in an open run of the corporation (not offered again)."""
    held_ids: set[int] = set()
    for run in session.exec(
        select(LetterRun).where(
            LetterRun.corporation_id == corporation_id,
            LetterRun.kind == "queued",
            col(LetterRun.status).in_(OPEN),
        )
    ):
        held_ids.update(int(i) for i in params_of(run).get("message_ids", []))
    return held_ids


def expire_files(engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """Delete the PDFs of runs made more than PDF_KEPT ago and never confirmed posted."""
    moment = now or utcnow()
    with session_scope(engine) as session:
        ids = list(
            session.exec(
                select(LetterRun.id).where(
                    LetterRun.status == "ready", col(LetterRun.finished_at) <= moment - PDF_KEPT
                )
            ).all()
        )
    for run_id in ids:
        with session_scope(engine) as session:
            run = session.get(LetterRun, run_id)
            if run is None or run.status != "ready":
                continue
            files.remove(settings, run.file_name)
            run.status, run.file_name = "expired", ""
            session.add(run)
            _audit(session, run, "job:retention", "paper.letters_expired", letters=run.letters)
    return len(ids)
