"""A fixed-window counter in the database, so every worker shares the same limits."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from consent.access_codes.models import Throttle
from consent.timeutil import utcnow


def hit(session: Session, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key`; True while the count stays within `limit`.

    Commits its own small transaction so that a refused request is still counted.
    """
    now = utcnow()
    window_open = now - timedelta(seconds=window_seconds)
    for _ in range(3):
        result = session.execute(
            update(Throttle)
            .where(col(Throttle.key) == key, col(Throttle.window_start) > window_open)
            .values(count=Throttle.count + 1)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            session.commit()
            row = session.get(Throttle, key, populate_existing=True)
            return row is not None and row.count <= limit
        session.execute(delete(Throttle).where(col(Throttle.key) == key))
        session.add(Throttle(key=key, window_start=now, count=1))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            continue
        return limit >= 1
    return False


def reset(session: Session, key: str) -> None:
    session.execute(delete(Throttle).where(col(Throttle.key) == key))
    session.commit()
