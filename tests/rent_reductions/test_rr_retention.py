"""Evidence files are deleted a set period after the decision; the decision stays."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlmodel import select

from consent.audit.models import AuditEvent
from consent.db import new_session, session_scope
from consent.jobs import run_due
from consent.rent_reductions.models import EvidenceFile, ReductionRequest
from consent.rent_reductions.retention import purge_due
from consent.settings import Settings
from tests.factories import staff, tenancies
from tests.rent_reductions.rr_support import (
    PDF,
    PNG,
    decide,
    enter,
    load,
    rr_code,
    sent_request,
    staff_user,
    world_with_scheme,
)


def decided_with_files(engine, settings):  # type: ignore[no-untyped-def]
    world = world_with_scheme(engine)
    all_tenancies = tenancies(engine, world.corporation.id)
    worker = staff_user(engine, staff(engine, "acme", "case_worker").email)
    decided = sent_request(
        engine, settings, all_tenancies[0], files=[("a.pdf", PDF), ("b.png", PNG)]
    )
    decide(engine, settings, decided.id, worker, approve=True)
    waiting = sent_request(engine, settings, all_tenancies[1], files=[("c.pdf", PDF)])
    return all_tenancies[0], decided, waiting


def stored_paths(engine, settings: Settings, request_id: int):  # type: ignore[no-untyped-def]
    with new_session(engine) as session:
        rows = session.exec(select(EvidenceFile).where(EvidenceFile.request_id == request_id)).all()
    return [settings.upload_dir / "rent_reductions" / row.stored_name for row in rows]


def test_nothing_is_deleted_before_the_period_ends(engine, settings, in_2024):
    _tenancy, decided, _waiting = decided_with_files(engine, settings)
    decided_at = load(engine, decided.id).decided_at
    line = purge_due(engine, settings, now=decided_at + timedelta(days=182))
    assert line.startswith("rent reductions: evidence of 0 decided request(s)")
    assert all(path.exists() for path in stored_paths(engine, settings, decided.id))


def test_clean_up_removes_files_and_keeps_the_decision(client, engine, settings, in_2024):
    tenancy, decided, waiting = decided_with_files(engine, settings)
    paths = stored_paths(engine, settings, decided.id)
    assert len(paths) == 2 and all(p.exists() for p in paths)
    with session_scope(engine) as session:  # the decision was long ago
        row = session.get(ReductionRequest, decided.id)
        assert row is not None
        row.decided_at = row.decided_at - timedelta(days=settings.evidence_retention_days)
        session.add(row)
    lines = run_due(engine, settings)
    assert "rent reductions: evidence of 1 decided request(s) deleted (2 file(s))" in lines
    assert not any(p.exists() for p in paths)
    assert all(p.exists() for p in stored_paths(engine, settings, waiting.id))  # still open
    kept = load(engine, decided.id)
    assert (
        kept.status == "approved" and kept.new_rent_cents == 57791 and kept.start_date is not None
    )
    assert kept.evidence_deleted_at is not None
    with new_session(engine) as session:
        rows = session.exec(select(EvidenceFile).where(EvidenceFile.request_id == decided.id)).all()
        assert all(r.deleted_at is not None and r.original_name == "" for r in rows)
        purged = session.exec(
            select(AuditEvent).where(AuditEvent.action == "rent_reduction.evidence_purged")
        ).all()
    assert len(purged) == 1
    # Running again does nothing; the tenant still sees the decision.
    assert purge_due(engine, settings).startswith("rent reductions: evidence of 0")
    enter(client, rr_code(engine, settings, tenancy))
    page = client.get(f"/huurverlaging/{tenancy.id}/aanvragen/{decided.id}").text
    assert "Wij hebben uw documenten verwijderd op" in page
    assert "Uw huur gaat omlaag naar" in page


def test_retention_period_is_a_setting(engine, settings, in_2024):
    _tenancy, decided, _waiting = decided_with_files(engine, settings)
    short = dataclasses.replace(settings, evidence_retention_days=0)
    assert "evidence of 1 decided" in purge_due(engine, short)
    assert load(engine, decided.id).evidence_deleted_at is not None


def test_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("CONSENT_SECRET_KEY", "x" * 40)
    assert Settings.from_env().evidence_retention_days == 183
    monkeypatch.setenv("CONSENT_EVIDENCE_RETENTION_DAYS", "30")
    assert Settings.from_env().evidence_retention_days == 30
