"""A fixed-window counter in the database, so every worker shares the same limits."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from consent.access_codes.models import Throttle
from consent.timeutil import utcnow

KEY_LENGTH = 100  # Throttle.key


def _key(key: str) -> str:
    """Keys longer than the column (a 200-character email) become prefix + hash."""
    if len(key) <= KEY_LENGTH:
        return key
    return key[:40] + "#" + hashlib.sha256(key.encode()).hexdigest()[:40]


def hit(session: Session, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key`; True while the count stays within `limit`.

    Commits its own small transaction so that a refused request is still counted.
    """
    key = _key(key)
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


def refund(session: Session, key: str) -> None:
    """Take back one counted attempt (it succeeded); never below zero, never a reset.

    A success must not wipe the client's earlier failures: whoever holds one valid code
    could otherwise guess between redemptions without limit.
    """
    session.execute(
        update(Throttle)
        .where(col(Throttle.key) == _key(key), col(Throttle.count) > 0)
        .values(count=Throttle.count - 1)
    )
    session.commit()


def reset(session: Session, key: str) -> None:
    session.execute(delete(Throttle).where(col(Throttle.key) == _key(key)))
    session.commit()
