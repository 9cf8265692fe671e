"""Programmes per corporation: what a tenant who moves can get. Admin edits them."""

from __future__ import annotations

import tomllib
from dataclasses import asdict
from importlib import resources
from typing import Any

from sqlmodel import Session, col, select

from consent.accounts.models import StaffUser
from consent.audit.service import record
from consent.moving.forms import ProgrammeInput
from consent.moving.models import Programme
from consent.moving.rules import ProgrammeKind
from consent.moving.service import MAX_ID, NotFound
from consent.timeutil import utcnow

SAMPLES = "sample_programmes.toml"
FIELDS = (
    "kind", "name", "description", "priority_65_step_free", "keep_old_rent",
    "moving_allowance_cents", "phased_rent_years", "phased_rent_threshold_cents",
)  # fmt: skip


def list_programmes(
    session: Session, corporation_id: int, *, active_only: bool = False
) -> list[Programme]:
    query = select(Programme).where(Programme.corporation_id == corporation_id)
    if active_only:
        query = query.where(col(Programme.active).is_(True))
    return list(session.exec(query.order_by(col(Programme.kind), col(Programme.name))).all())


def get_programme(session: Session, corporation_id: int, programme_id: int) -> Programme:
    if not 0 < programme_id <= MAX_ID:
        raise NotFound(programme_id)
    programme = session.get(Programme, programme_id)
    if programme is None or programme.corporation_id != corporation_id:
        raise NotFound(programme_id)
    return programme


def save_programme(
    session: Session, user: StaffUser, data: ProgrammeInput, programme: Programme | None = None
) -> Programme:
    """Create a programme (programme=None) or change one; both are audited."""
    created = programme is None
    target = programme or Programme(
        corporation_id=user.corporation_id, kind=data.kind, name=data.name
    )
    for key, value in asdict(data).items():
        setattr(target, key, value)
    target.updated_at = utcnow()
    session.add(target)
    session.flush()
    record(
        session, actor=f"staff:{user.id}",
        action="moving.programme_created" if created else "moving.programme_changed",
        object_type="moving_programme", object_id=target.id,
        corporation_id=target.corporation_id, details={"kind": target.kind},
    )  # fmt: skip
    return target


def sample_programmes() -> list[dict[str, Any]]:
    """The sample programmes from the data file (with their source)."""
    raw = resources.files("consent.moving").joinpath(SAMPLES).read_text(encoding="utf-8")
    rows = tomllib.loads(raw)["programme"]
    for row in rows:
        ProgrammeKind(row["kind"])  # refuse an unknown kind early
    return list(rows)


def seed_sample_programmes(session: Session, corporation_id: int, actor: str) -> int:
    """Add the sample programmes a corporation does not have yet (by name); how many were added."""
    existing = {p.name for p in list_programmes(session, corporation_id)}
    added = 0
    for row in sample_programmes():
        if row["name"] in existing:
            continue
        programme = Programme(
            corporation_id=corporation_id, **{k: row[k] for k in FIELDS if k in row}
        )
        session.add(programme)
        session.flush()
        record(
            session, actor=actor, action="moving.programme_created",
            object_type="moving_programme", object_id=programme.id,
            corporation_id=corporation_id, details={"kind": programme.kind, "sample": True},
        )  # fmt: skip
        added += 1
    return added
