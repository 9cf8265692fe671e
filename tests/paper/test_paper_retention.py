"""Scans of signed forms are deleted after the retention period; the ballots stay."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup

from consent.audit.models import AuditEvent
from consent.db import session_scope
from consent.jobs import run_due
from consent.paper import retention, scans
from consent.paper.models import PaperEntry
from consent.paper.rules import scans_kept_until
from consent.proposals.models import Ballot, Proposal
from consent.timeutil import utcnow
from tests.paper.test_paper_entry import PNG, enter, url

CLOSED = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def test_scans_are_kept_the_set_days_after_closing():
    assert scans_kept_until(CLOSED, None, 183) == CLOSED + timedelta(days=183)
    assert scans_kept_until(CLOSED, None, 0) == CLOSED


def test_scans_are_kept_until_the_period_to_go_to_court_has_ended():
    notice = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10 March, Amsterdam
    # 8 weeks after 10 March is 5 May: kept through that day (Amsterdam time, CEST).
    assert scans_kept_until(CLOSED, notice, 0) == datetime(2026, 5, 5, 22, 0, tzinfo=UTC)
    assert scans_kept_until(CLOSED, notice, 183) == CLOSED + timedelta(days=183)


def _with_scans(acme, client):
    """Two forms with a scan and one without, entered while voting was open; then closed."""
    proposal = acme.proposal("open")
    acme.staff_client(client)
    homes = acme.tenancies()
    for tenancy in homes[:2]:
        saved = enter(client, proposal, acme.form_code(proposal, tenancy), "agree",
                      files={"scan": ("form.png", PNG, "image/png")})  # fmt: skip
        assert saved.status_code == 303
    assert enter(client, proposal, acme.form_code(proposal, homes[2]), "disagree").status_code == 303
    return acme.close(proposal)


def test_the_entry_page_says_how_long_a_scan_is_kept(acme, client):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    page = BeautifulSoup(client.get(url(proposal)).text, "html.parser")
    found = client.submit(url(proposal), {"step": "find", "form_code": acme.form_code(proposal, acme.tenancies()[0])})
    hint = BeautifulSoup(found.text, "html.parser").select_one("#scan-hint").text
    assert "183 dagen na het einde van de stemming" in hint and page.select_one("#form_code")


def test_the_job_deletes_the_scans_after_the_retention_period_and_keeps_the_ballots(acme, client):
    proposal = _with_scans(acme, client)
    stored = [e for e in acme.all(PaperEntry) if e.scan_name]
    assert len(stored) == 2 and all(scans.path_of(acme.settings, e) for e in stored)
    day_before = proposal.closed_at + timedelta(days=acme.settings.scan_retention_days - 1)
    assert retention.purge_due(acme.engine, acme.settings, day_before).startswith("paper: 0 scan(s)")
    assert all(scans.path_of(acme.settings, e) for e in stored)
    due = proposal.closed_at + timedelta(days=acme.settings.scan_retention_days)
    assert retention.purge_due(acme.engine, acme.settings, due) == (
        "paper: 2 scan(s) of 1 closed vote(s) deleted"
    )
    assert not list((acme.settings.upload_dir / scans.FOLDER).iterdir())
    entries = acme.all(PaperEntry)
    assert len(entries) == 3 and all(e.scan_name == "" and e.scan_type == "" for e in entries)
    assert sorted(e.scan_deleted_at is not None for e in entries) == [False, True, True]
    assert len(acme.all(Ballot)) == 3  # the ballots stay, and count
    deleted = [e for e in acme.all(AuditEvent) if e.action == "paper.scan_deleted"]
    assert sorted(int(e.object_id) for e in deleted) == sorted(e.id for e in stored)
    assert all(e.actor == "job:retention" and '"proposal_id"' in e.details for e in deleted)
    assert retention.purge_due(acme.engine, acme.settings, due).startswith("paper: 0 scan(s)")
    scan = client.get(url(proposal, f"/{stored[0].id}/scan"))
    assert scan.status_code == 404


def test_open_votes_keep_their_scans_and_the_period_is_a_setting(acme, client):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    enter(client, proposal, acme.form_code(proposal, acme.tenancies()[0]),
          files={"scan": ("form.png", PNG, "image/png")})  # fmt: skip
    far = utcnow() + timedelta(days=10_000)
    assert retention.purge_due(acme.engine, acme.settings, far).startswith("paper: 0 scan(s)")
    acme.close(proposal)
    quick = replace(acme.settings, scan_retention_days=0)
    assert retention.purge_due(acme.engine, quick).startswith("paper: 1 scan(s)")


def test_run_due_deletes_them(acme, client):
    proposal = _with_scans(acme, client)
    with session_scope(acme.engine) as session:
        current = session.get(Proposal, proposal.id)
        current.closed_at = utcnow() - timedelta(days=acme.settings.scan_retention_days + 1)
        session.add(current)
    lines = run_due(acme.engine, acme.settings)
    assert any(line.startswith("paper: 2 scan(s) of 1 closed vote(s) deleted") for line in lines)
