"""Letter runs: asked for and answered at once, made by a job, failures shown and retried."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from consent.access_codes.models import AccessCode
from consent.audit.models import AuditEvent
from consent.db import new_session, session_scope
from consent.jobs import run_due
from consent.outbox.models import OutboxMessage
from consent.paper import files, make, pdf, routes_letters, runs
from consent.paper.models import LetterRun
from consent.timeutil import utcnow
from tests.factories import staff
from tests.paper.paper_helpers import letters_pdf, pdf_pages, run_of
from tests.paper.test_paper_printing import notices_queued

HTMX = {"HX-Request": "true"}


def letters_url(proposal):
    return f"/medewerkers/voorstellen/{proposal.id}/brieven"


def run_url(run_id, rest=""):
    return f"/medewerkers/brieven/opdrachten/{run_id}{rest}"


def status(client, run_id):
    return BeautifulSoup(client.get(run_url(run_id)).text, "html.parser").select_one("#run-status")


@pytest.fixture
def later(monkeypatch):
    """Requests are saved, but no job starts after the answer (as if the server stopped)."""
    monkeypatch.setattr(routes_letters, "BackgroundTask", lambda *args: None)


def test_a_request_is_answered_at_once_and_made_by_the_due_job(acme, client, later):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    run_id = run_of(client.submit(letters_url(proposal), {"kind": "all"}))
    [run] = acme.all(LetterRun)
    assert (run.id, run.status, run.letters, run.kind) == (run_id, "queued", 6, "all")
    assert acme.all(AccessCode) == []  # no codes issued yet
    page = status(client, run_id)
    assert page["hx-get"].endswith(run_url(run_id)) and page["hx-trigger"].startswith("every")
    assert page.find("a", href=page["hx-get"])  # without JavaScript: reload by hand
    assert "6 brieven worden gemaakt" in page.text
    waiting = client.get(run_url(run_id), headers=HTMX)
    assert waiting.status_code == 204  # htmx: nothing new to swap in yet
    assert client.get(run_url(run_id, "/brieven.pdf")).status_code == 404
    lines = run_due(acme.engine, acme.settings)
    assert "paper: letter runs 1 ready" in lines
    done = client.get(run_url(run_id), headers=HTMX)
    assert done.status_code == 200 and 'id="run-status"' in done.text and "hx-trigger" not in done.text
    assert len(pdf_pages(client.get(run_url(run_id, "/brieven.pdf")).content)) == 12
    assert len(acme.all(AccessCode)) == 6


def test_asking_twice_while_it_is_made_gives_the_same_run(acme, client, later):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    first = run_of(client.submit(letters_url(proposal), {"kind": "all"}))
    again = run_of(client.submit(letters_url(proposal), {"kind": "all"}))
    reminder = run_of(client.submit(letters_url(proposal), {"kind": "reminder"}))
    assert first == again != reminder
    assert [e.action for e in acme.all(AuditEvent)].count("paper.letters_requested") == 2


def test_a_run_whose_job_stopped_is_taken_over_after_its_lease(acme, client, later):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    run_id = run_of(client.submit(letters_url(proposal), {"kind": "all"}))
    assert runs.claim(acme.engine, run_id) is not None  # a job took it, then its process died
    assert runs.due(acme.engine) == []
    assert runs.claim(acme.engine, run_id) is None
    assert runs.due(acme.engine, utcnow() + runs.LEASE + timedelta(seconds=1)) == [run_id]


def test_a_failure_is_shown_translated_and_can_be_tried_again(acme, client, monkeypatch):
    proposal = acme.proposal("open")
    acme.staff_client(client)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "letters_pdf", broken)
    run_id = run_of(client.submit(letters_url(proposal), {"kind": "all"}))
    [run] = acme.all(LetterRun)
    assert run.status == "failed" and run.error == "render" and run.file_name == ""
    assert acme.all(AccessCode) == []  # the codes of the unfinished letters were rolled back
    page = status(client, run_id)
    assert "mislukt" in page.select_one("#run-error").text and "disk full" not in page.text
    failed = [e for e in acme.all(AuditEvent) if e.action == "paper.letters_failed"]
    assert len(failed) == 1 and '"render"' in failed[0].details
    monkeypatch.undo()
    assert run_of(client.submit(run_url(run_id, "/opnieuw"))) == run_id
    [run] = acme.all(LetterRun)
    assert (run.status, run.attempts, run.error) == ("ready", 2, "")
    assert "paper.letters_retried" in [e.action for e in acme.all(AuditEvent)]
    assert client.submit(run_url(run_id, "/opnieuw")).status_code == 409  # only a failed one


def test_codes_are_committed_in_steps_while_letters_render(acme, monkeypatch):
    proposal = acme.proposal("open")
    monkeypatch.setattr(make, "COMMIT_EVERY", 2)

    def renders_three_then_fails(letters, total, workers=None):
        for index, _letter in enumerate(letters):
            if index == 2:
                raise RuntimeError("worker died")
        raise AssertionError("not reached")

    monkeypatch.setattr(pdf, "letters_pdf", renders_three_then_fails)
    run = _ask(acme, proposal)
    assert make.execute(acme.engine, acme.settings, run) == "failed"
    with new_session(acme.engine) as session:
        live = session.exec(select(AccessCode).where(AccessCode.object_id == proposal.id)).all()
    assert len(live) == 2  # the first step was committed, the unfinished one rolled back


def _ask(acme, proposal, kind="all"):
    leader = staff(acme.engine, acme.slug, "project_leader", f"leader-{kind}@{acme.slug}.example")
    with session_scope(acme.engine) as session:
        run, _new = runs.ask(session, leader, kind=kind, letters_count=6, proposal_id=proposal.id)
        return run.id


def test_the_proposal_letters_are_confirmed_posted_and_their_pdf_deleted(acme, client):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    letters_pdf(client, letters_url(proposal), {"kind": "all"})
    [run] = acme.all(LetterRun)
    assert client.submit(run_url(run.id, "/verstuurd")).status_code == 303
    [run] = acme.all(LetterRun)
    assert run.status == "posted" and run.file_name == ""
    assert not list((acme.settings.upload_dir / files.FOLDER).iterdir())
    hub = BeautifulSoup(client.get(f"/medewerkers/voorstellen/{proposal.id}/papier").text, "html.parser")
    assert "Verstuurd" in hub.select_one("#letter-runs tbody").text


def test_unposted_pdfs_are_deleted_after_a_week_and_their_letters_offered_again(acme, client):
    notices_queued(acme)
    acme.staff_client(client)
    up_to = str(max(m.id for m in acme.all(OutboxMessage)))
    run_id = run_of(client.submit("/medewerkers/brieven/printen", {"up_to": up_to}))
    assert BeautifulSoup(client.get("/medewerkers/brieven").text, "html.parser").select_one("#no-letters")
    assert runs.expire_files(acme.engine, acme.settings) == 0
    assert runs.expire_files(acme.engine, acme.settings, utcnow() + runs.PDF_KEPT) == 1
    [run] = acme.all(LetterRun)
    assert run.status == "expired" and run.file_name == ""
    assert not list((acme.settings.upload_dir / files.FOLDER).iterdir())
    assert "paper.letters_expired" in [e.action for e in acme.all(AuditEvent)]
    assert "binnen 7 dagen" in status(client, run_id).text
    page = BeautifulSoup(client.get("/medewerkers/brieven").text, "html.parser")
    assert len(page.select("#pending-letters tbody tr")) == 1


def test_runs_are_for_their_corporation_and_role_only(acme, other, client, make_client):
    proposal = acme.proposal("open")
    leader = acme.staff_client(make_client())
    letters_pdf(leader, letters_url(proposal), {"kind": "all"})
    [run] = acme.all(LetterRun)
    stranger = other.staff_client(make_client())
    for rest in ("", "/brieven.pdf"):
        assert stranger.get(run_url(run.id, rest)).status_code == 404
    assert stranger.submit(run_url(run.id, "/verstuurd")).status_code == 404
    committee = acme.staff_client(client, "committee", complex_code=acme.world.complex.code)
    assert committee.get(run_url(run.id, "/brieven.pdf")).status_code == 403
    worker = acme.staff_client(make_client(), "case_worker")
    assert worker.get(run_url(run.id)).status_code == 403
    assert make_client().get(run_url(run.id), follow_redirects=False).status_code == 303  # sign in
    [run] = acme.all(LetterRun)
    assert run.downloads == 1  # only the leader's download counted


def test_the_due_jobs_are_registered(acme):
    lines = run_due(acme.engine, acme.settings)
    assert "paper: letter runs none waiting" in lines
    assert any(line.startswith("paper: 0 scan(s)") for line in lines)


def test_a_vote_closed_before_the_job_ran_fails_with_its_reason(acme, client, later):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    run_id = run_of(client.submit(letters_url(proposal), {"kind": "reminder"}))
    acme.close(proposal)
    assert make.run_due(acme.engine, acme.settings) == {"failed": 1}
    [run] = acme.all(LetterRun)
    assert run.error == "finished" and acme.all(AccessCode) == []
    assert "De stemming is voorbij" in status(client, run_id).select_one("#run-error").text
    english = BeautifulSoup(client.get(run_url(run_id) + "?lang=en").text, "html.parser")
    assert "Voting has ended: no more letters are needed" in english.select_one("#run-error").text
