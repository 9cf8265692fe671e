"""Browser visits (axe, reflow, CSP) for the rent-reduction pages, and the data they need.

The browser suite's server runs on today's date, when the statutory schemes have ended:
the seed makes its requests directly (as if sent while the 2024 scheme was open).
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.engine import Engine
from sqlmodel import select

from consent.accounts.models import StaffUser
from consent.db import session_scope
from consent.housing.models import Tenancy
from consent.rent_reductions import casework, evidence, registry, service
from consent.rent_reductions.models import ReductionRequest, Status
from consent.settings import Settings
from consent.timeutil import utcnow
from tests.browser.seed import Seed
from tests.browser.visits import STAFF, Visit, submit
from tests.factories import tenancies
from tests.rent_reductions.rr_support import ANSWERS, PDF, S24

KINDS = ("draft", "sent", "asking", "decided", "keyboard")  # keyboard: asking, for the walkthrough


def _request(session, settings: Settings, tenancy: Tenancy, kind: str) -> ReductionRequest:  # type: ignore[no-untyped-def]
    req = ReductionRequest(corporation_id=tenancy.corporation_id, tenancy_id=tenancy.id or 0,
                           scheme_id=S24, scheme_name="Huurverlaging op verzoek 2024",
                           answers=json.dumps(ANSWERS))  # fmt: skip
    session.add(req)
    session.flush()
    evidence.add_evidence(session, settings, req, "income_month_1", "loonstrook.pdf", PDF)
    if kind == "draft":
        return req
    req.status = Status.SUBMITTED.value
    req.reference = f"HV-SEED{req.id:04d}"
    req.submitted_at = utcnow()
    req.submitted_on = dt.date(2024, 6, 3)
    session.add(req)
    session.flush()
    worker = session.exec(select(StaffUser).where(StaffUser.role == "case_worker")).first()
    assert worker is not None
    if kind in ("asking", "keyboard"):
        casework.ask_more_info(session, settings, req, "Stuur de loonstrook van juni.", worker)
    elif kind == "decided":
        casework.decide(session, settings, req, False, "Uw inkomen is te hoog.", worker)
    return req


def seed(engine: Engine, settings: Settings, data: Seed) -> None:
    homes = tenancies(engine, data.corporation_id)[2 : 2 + len(KINDS)]
    ids: dict[str, dict[str, int]] = {}
    with session_scope(engine) as session:
        registry.set_enabled(session, data.corporation_id, S24, True, "seed")
        for kind, tenancy in zip(KINDS, homes, strict=True):
            req = _request(session, settings, tenancy, kind)
            ids[kind] = {"object_id": tenancy.id or 0, "request_id": req.id or 0}
            data.codes[f"rr_{kind}"] = service.issue_code(session, settings, tenancy, "seed")
    data.extra["rent_reductions"] = ids


def _ids(kind: str, staff: bool = False):  # type: ignore[no-untyped-def]
    def params(seed: Seed) -> dict[str, int]:
        found = seed.extra["rent_reductions"][kind]
        return {"request_id": found["request_id"]} if staff else dict(found)

    return params


def _tenancy(kind: str):  # type: ignore[no-untyped-def]
    return lambda seed: {"object_id": seed.extra["rent_reductions"][kind]["object_id"]}


DRAFT, SENT = "tenant:rr_draft", "tenant:rr_sent"
VISITS = [
    Visit("rr-check", "rent_reduction_check", expect="main h1", tenant_page=True),
    Visit("rr-start", "rent_reduction_start", who=DRAFT, params=_tenancy("draft"), tenant_page=True),
    Visit("rr-start-sent", "rent_reduction_start", who=SENT, params=_tenancy("sent"),
          expect="main ul a", tenant_page=True),
    Visit("rr-household", "rent_reduction_household", who=DRAFT, params=_ids("draft"),
          expect="main form", tenant_page=True),
    Visit("rr-household-errors", "rent_reduction_household", who=DRAFT, params=_ids("draft"),
          act=lambda page, seed: submit(page, {"#adult1_birth": "gisteren"}),
          expect=".error-summary a[href='#adult1_birth']", tenant_page=True),
    Visit("rr-income", "rent_reduction_income", who=DRAFT, params=_ids("draft"),
          expect="main form", tenant_page=True),
    Visit("rr-income-errors", "rent_reduction_income", who=DRAFT, params=_ids("draft"),
          act=lambda page, seed: submit(page, {"#income_dropped_on": "morgen"}),
          expect=".error-summary a[href='#income_dropped_on']", tenant_page=True),
    Visit("rr-evidence", "rent_reduction_evidence", who=DRAFT, params=_ids("draft"),
          expect="main table caption", tenant_page=True),
    Visit("rr-submit", "rent_reduction_submit", who=DRAFT, params=_ids("draft"),
          expect="main form", tenant_page=True),
    Visit("rr-status", "rent_reduction_status", who=SENT, params=_ids("sent"), tenant_page=True),
    Visit("rr-status-question", "rent_reduction_status", who="tenant:rr_asking",
          params=_ids("asking"), expect="main #question-title", tenant_page=True),
    Visit("rr-status-decided", "rent_reduction_status", who="tenant:rr_decided",
          params=_ids("decided"), expect="main #decision-title", tenant_page=True),
    Visit("rr-queue", "rr_queue", who="staff:case_worker", expect="main table caption"),
    Visit("rr-case", "rr_case", who="staff:case_worker", params=_ids("sent", staff=True),
          expect="main form"),
    Visit("rr-case-asking", "rr_case", who="staff:case_worker", params=_ids("asking", staff=True),
          expect="main form"),
    Visit("rr-case-decided", "rr_case", who="staff:case_worker",
          params=_ids("decided", staff=True), expect="main h1"),
    Visit("rr-schemes", "rr_schemes", who=f"{STAFF}:admin", expect="main table caption"),
]  # fmt: skip
# Downloads (attachments, not pages) are listed in EXEMPT in tests/browser/visits.py:
# rent_reduction_evidence_file, rent_reduction_letter, rent_reduction_export,
# rr_evidence_file, rr_letter.
