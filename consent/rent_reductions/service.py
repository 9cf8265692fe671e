"""The tenant's side: drafts kept between visits, evidence uploads, sending, answering."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from sqlmodel import Session, col, select

from consent.audit.service import record
from consent.housing.models import Tenancy
from consent.rent_reductions import notify, registry
from consent.rent_reductions.models import (
    ReductionPause,
    ReductionRequest,
    Status,
)
from consent.settings import Settings
from consent.timeutil import utcnow

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


class RequestError(ValueError):
    """The step cannot be done; ``reason`` names why (shown translated by the page)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def answers(req: ReductionRequest) -> dict[str, Any]:
    data = json.loads(req.answers or "{}")
    return data if isinstance(data, dict) else {}


def _save(session: Session, req: ReductionRequest, data: dict[str, Any]) -> None:
    req.answers = json.dumps(data, sort_keys=True)
    req.updated_at = utcnow()
    session.add(req)
    session.flush()


def draft_of(session: Session, tenancy_id: int) -> ReductionRequest | None:
    return session.exec(
        select(ReductionRequest).where(
            ReductionRequest.tenancy_id == tenancy_id,
            ReductionRequest.status == Status.DRAFT.value,
        )
    ).first()


def sent_requests(session: Session, tenancy_id: int) -> list[ReductionRequest]:
    return list(
        session.exec(
            select(ReductionRequest)
            .where(
                ReductionRequest.tenancy_id == tenancy_id,
                ReductionRequest.status != Status.DRAFT.value,
            )
            .order_by(col(ReductionRequest.submitted_at).desc())
        ).all()
    )


def of_tenancy(session: Session, tenancy_id: int, request_id: int) -> ReductionRequest | None:
    req = session.get(ReductionRequest, request_id)
    return req if req is not None and req.tenancy_id == tenancy_id else None


def start_draft(session: Session, tenancy: Tenancy, scheme_id: str) -> ReductionRequest:
    """The tenancy's draft (kept between visits), or a new one for an open scheme."""
    existing = draft_of(session, tenancy.id or 0)
    if existing is not None:
        return existing
    open_ids = {
        s.id for s in registry.requestable(session, tenancy.corporation_id, registry.today())
    }
    scheme = registry.get(scheme_id)
    if scheme is None or scheme.id not in open_ids:
        raise RequestError("closed")
    req = ReductionRequest(
        corporation_id=tenancy.corporation_id,
        tenancy_id=tenancy.id or 0,
        scheme_id=scheme.id,
        scheme_name=scheme.name,
    )
    session.add(req)
    session.flush()
    record(
        session,
        actor=f"tenancy:{tenancy.id}",
        action="rent_reduction.draft_started",
        object_type="rent_reduction",
        object_id=req.id,
        corporation_id=req.corporation_id,
        details={"scheme": scheme.id},
    )
    return req


def save_household(session: Session, req: ReductionRequest, household: dict[str, Any]) -> None:
    """Keep each adult's income when the same row is entered again."""
    data = answers(req)
    old = data.get("adults") or []
    for i, adult in enumerate(household["adults"]):
        if i < len(old):
            adult["income_cents"] = old[i].get("income_cents")
    data.update(household)
    _save(session, req, data)


def save_income(session: Session, req: ReductionRequest, income: dict[str, Any]) -> None:
    data = answers(req)
    for adult, cents in zip(data.get("adults") or [], income["incomes"], strict=False):
        adult["income_cents"] = cents
    data["income_dropped_on"] = income["income_dropped_on"]
    _save(session, req, data)


def missing_steps(req: ReductionRequest) -> list[str]:
    """Which steps still need answers: 'household', 'income'."""
    data = answers(req)
    missing = []
    if not data.get("adults"):
        missing.append("household")
    if (
        not data.get("adults")
        or any(a.get("income_cents") is None for a in data["adults"])
        or not data.get("income_dropped_on")
    ):
        missing.append("income")
    return missing


def _reference(session: Session) -> str:
    while True:
        ref = "HV-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        taken = session.exec(select(ReductionRequest).where(ReductionRequest.reference == ref))
        if taken.first() is None:
            return ref


def submit(
    session: Session, settings: Settings, req: ReductionRequest, tenancy: Tenancy
) -> ReductionRequest:
    """Send the draft: the scheme must still be open and switched on, every step done."""
    if req.status != Status.DRAFT.value:
        raise RequestError("not_open")
    open_ids = {s.id for s in registry.requestable(session, req.corporation_id, registry.today())}
    if req.scheme_id not in open_ids:
        raise RequestError("closed")
    if missing_steps(req):
        raise RequestError("incomplete")
    req.reference = _reference(session)
    req.status = Status.SUBMITTED.value
    req.submitted_at = req.updated_at = utcnow()
    req.submitted_on = registry.today()
    session.add(req)
    session.flush()
    record(
        session,
        actor=f"tenancy:{req.tenancy_id}",
        action="rent_reduction.submitted",
        object_type="rent_reduction",
        object_id=req.id,
        corporation_id=req.corporation_id,
        details={"reference": req.reference, "scheme": req.scheme_id},
    )
    notify.tenant(session, settings, req, tenancy, "rent_reduction_received")
    return req


def answer_more_info(session: Session, req: ReductionRequest, answer: str) -> None:
    """The tenant says the information is sent: the clock runs again."""
    if req.status != Status.MORE_INFO.value:
        raise RequestError("not_open")
    close_pause(session, req.id or 0, answer)
    req.status = Status.SUBMITTED.value
    req.updated_at = utcnow()
    session.add(req)
    record(
        session,
        actor=f"tenancy:{req.tenancy_id}",
        action="rent_reduction.info_received",
        object_type="rent_reduction",
        object_id=req.id,
        corporation_id=req.corporation_id,
    )


def pauses_of(session: Session, request_id: int) -> list[ReductionPause]:
    return list(
        session.exec(
            select(ReductionPause)
            .where(ReductionPause.request_id == request_id)
            .order_by(col(ReductionPause.started_at))
        ).all()
    )


def close_pause(session: Session, request_id: int, answer: str = "") -> None:
    for pause in pauses_of(session, request_id):
        if pause.ended_at is None:
            pause.ended_at = utcnow()
            pause.answer = answer
            session.add(pause)


def started_on(req: ReductionRequest) -> dt.date | None:
    """The local day the request was sent."""
    return req.submitted_on


def issue_code(session: Session, settings: Settings, tenancy: Tenancy, actor: str) -> str:
    """A personal code for rent-reduction requests: the code is for the tenancy itself."""
    from consent.access_codes.models import Purpose
    from consent.access_codes.service import issue

    return issue(
        session,
        settings,
        corporation_id=tenancy.corporation_id,
        tenancy_id=tenancy.id or 0,
        purpose=Purpose.RENT_REDUCTION,
        object_id=tenancy.id,
        actor=actor,
    )
