"""Browser visits (axe, reflow, CSP) for the paper pages, and the data they need."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from consent.accounts.models import StaffUser
from consent.db import new_session, session_scope
from consent.housing.models import Complex, Corporation
from consent.outbox.service import enqueue
from consent.paper import entries, make, runs
from consent.paper.rules import form_code
from consent.proposals import voting, workflow
from consent.proposals.inputs import MeasureInput, ProposalInput
from consent.proposals.models import Proposal
from consent.proposals.service import create_proposal
from consent.settings import Settings
from consent.timeutil import to_local, utcnow
from tests.browser.seed import Seed
from tests.browser.visits import STAFF, Page, Visit, submit
from tests.factories import tenancies

_DOWNLOAD = "a file download (PDF or an uploaded scan), not an HTML page"
EXEMPT = {
    "paper_entry_scan": _DOWNLOAD,
    "paper_run_pdf": _DOWNLOAD,
    "paper_visits_pdf": _DOWNLOAD,
    "paper_certificate": _DOWNLOAD,
}


def _proposal(engine: Engine, data: Seed, title: str) -> int:
    now = utcnow()
    with session_scope(engine) as session:
        complex_ = session.get(Complex, data.complex_id)
        assert complex_ is not None
        proposal = create_proposal(
            session, corporation_id=data.corporation_id, actor="seed",
            data=ProposalInput(
                complex=complex_.code, title=title, summary="Wij isoleren de gevel.",
                opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=14),
                measures=[MeasureInput("improvement", "facade", "Gevelisolatie", 0)],
            ),
        )  # fmt: skip
    with new_session(engine) as session:
        current = session.get(Proposal, proposal.id)
        assert current is not None
        # The seeded complex has a tenant committee: its advice comes first.
        workflow.start_consultation(session, current, "seed", sent_at=now - timedelta(days=60))
        workflow.record_advice(session, current, received_at=now - timedelta(days=20),
                               text="Akkoord", followed=True, actor="seed")  # fmt: skip
        workflow.open_voting(session, current, "seed", now=now - timedelta(days=3))
        session.commit()
    return proposal.id or 0


def seed(engine: Engine, settings: Settings, data: Seed) -> None:
    homes = tenancies(engine, data.corporation_id)
    pid = _proposal(engine, data, "Nieuwe gevels")
    with new_session(engine) as session:
        corporation = session.get(Corporation, data.corporation_id)
        assert corporation is not None
        corporation.paper_four_eyes, corporation.help_phone = True, "088-1234567"
        session.add(corporation)
        session.commit()
        proposal = session.get(Proposal, pid)
        admin = session.exec(select(StaffUser).where(StaffUser.email == data.staff["admin"])).one()
        # A conflict: online two days ago, then a paper form signed yesterday (it counts).
        voting.cast_ballot(session, proposal_id=pid, tenancy_id=homes[1].id or 0, choice="agree",
                           actor="seed", cast_at=utcnow() - timedelta(days=2))  # fmt: skip
        for tenancy in (homes[1], homes[2]):
            assert proposal is not None
            match = entries.find_form(session, settings, admin, proposal,
                                      form_code(settings.secret_key, pid, tenancy.id or 0))  # fmt: skip
            yesterday = to_local(utcnow()).date() - timedelta(days=1)
            entries.enter(session, settings, admin, proposal, match=match, choice="disagree",
                          channel="paper", signed_on=yesterday)  # fmt: skip
        first = session.exec(select(StaffUser).where(StaffUser.email == data.staff["project_leader"])).one()
        waiting = entries.waiting(session, pid)
        entries.confirm(session, first, proposal, waiting[0][0].id or 0)  # the conflict counts
        enqueue(session, corporation_id=data.corporation_id, recipient="Tenant 4, Lindelaan 4, 3521 KL Utrecht",
                language="nl", template="proposal_notice", context={}, channel="letter")  # fmt: skip
        # One household's letter, made: its page offers the PDF and "printed and posted".
        run, _new = runs.ask(session, first, kind="one", letters_count=1, proposal_id=pid,
                             params={"tenancy_id": homes[4].id, "language": ""})  # fmt: skip
        session.commit()
    assert make.execute(engine, settings, run.id or 0) == "ready"
    data.extra["paper"] = {
        "proposal_id": pid,
        "form_code": form_code(settings.secret_key, pid, homes[3].id or 0),
        "run_id": run.id,
    }


def _proposal_id(seed: Seed) -> dict[str, int]:
    return {"proposal_id": seed.extra["paper"]["proposal_id"]}


def _find(page: Page, seed: Seed) -> None:
    submit(page, {"#form_code": seed.extra["paper"]["form_code"]})


def _save_without_choice(page: Page, seed: Seed) -> None:
    _find(page, seed)
    submit(page, {})


VISITS = [
    Visit("paper-hub", "paper_hub", who=STAFF, params=_proposal_id, expect="main #letters-title"),
    Visit("paper-hub-admin", "paper_hub", who="staff:admin", params=_proposal_id,
          expect="main #settings-title"),
    Visit("paper-hub-committee", "paper_hub", who="staff:committee", params=_proposal_id,
          expect="main #certificate-title"),
    Visit("paper-entry", "paper_entry", who=STAFF, params=_proposal_id, expect="main #form_code"),
    Visit("paper-entry-found", "paper_entry", who=STAFF, params=_proposal_id, act=_find,
          expect="main #save-form"),
    Visit("paper-entry-errors", "paper_entry", who=STAFF, params=_proposal_id,
          act=lambda page, seed: submit(page, {"#form_code": "P1-T1-00000000"}),
          expect=".error-summary a[href='#form_code']"),
    Visit("paper-entry-save-errors", "paper_entry", who=STAFF, params=_proposal_id,
          act=_save_without_choice, expect=".error-summary a[href='#choice']"),
    Visit("paper-conflicts", "paper_conflicts", who=STAFF, params=_proposal_id,
          expect="main table caption"),
    Visit("paper-visits", "paper_visits", who=STAFF, params=_proposal_id,
          expect="main table caption"),
    Visit("paper-pending-letters", "paper_pending_letters", who=STAFF,
          expect="main table caption"),
    Visit("paper-run", "paper_run", who=STAFF,
          params=lambda seed: {"run_id": seed.extra["paper"]["run_id"]}, expect="main #posted-form"),
]  # fmt: skip
