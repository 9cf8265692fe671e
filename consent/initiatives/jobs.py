"""The due job: tell initiators once when the corporation's answer is late."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from consent.audit.service import record
from consent.db import session_scope
from consent.initiatives import notify
from consent.initiatives.models import Initiative, Status
from consent.jobs import register
from consent.settings import Settings
from consent.timeutil import utcnow


@register
def notify_overdue(engine: Engine, settings: Settings, now: datetime | None = None) -> str:
    """Queue one message per newly overdue initiative; safe to run concurrently."""
    moment = now or utcnow()
    with session_scope(engine) as session:
        ids = session.exec(
            select(Initiative.id).where(
                Initiative.status == Status.SUBMITTED,
                col(Initiative.due_at) < moment,
                col(Initiative.overdue_notified_at).is_(None),
            )
        ).all()
    told = 0
    for initiative_id in ids:
        with session_scope(engine) as session:
            claimed = session.execute(
                update(Initiative)
                .where(
                    col(Initiative.id) == initiative_id,
                    col(Initiative.status) == Status.SUBMITTED,
                    col(Initiative.overdue_notified_at).is_(None),
                )
                .values(overdue_notified_at=moment)
            )
            if not claimed.rowcount:  # type: ignore[attr-defined]
                continue  # another run took it, or it was answered meanwhile
            initiative = session.get(Initiative, initiative_id, populate_existing=True)
            assert initiative is not None
            notify.overdue(session, settings, initiative)
            record(
                session,
                actor="system",
                action="initiative.overdue",
                object_type="initiative",
                object_id=initiative_id,
                corporation_id=initiative.corporation_id,
            )
            told += 1
    return f"initiatives overdue: {told} initiator(s) told"
