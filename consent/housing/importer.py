"""Import the register CSV: all or nothing, idempotent, updates in place."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from consent.accounts.service import corporation_by_slug
from consent.audit.service import Action, record
from consent.db import session_scope
from consent.housing.csv_rows import decode, parse
from consent.housing.register_sync import ImportResult, apply_rows

__all__ = ["ImportResult", "apply_rows", "import_file", "import_text"]


def import_file(engine: Engine, path: Path, corporation_slug: str, actor: str) -> ImportResult:
    """Import a file; ValueError when it is not UTF-8, OSError when it cannot be read."""
    return import_text(engine, decode(path.read_bytes()), corporation_slug, actor)


def import_text(engine: Engine, text: str, corporation_slug: str, actor: str) -> ImportResult:
    """Check every row, then apply them in one transaction; nothing is written on any error.

    Raises AccountError when the corporation does not exist.
    """
    rows, errors = parse(text)
    if errors:
        return ImportResult(errors=errors)
    with session_scope(engine) as session:
        corporation = corporation_by_slug(session, corporation_slug)
        result = apply_rows(session, corporation.id or 0, rows)
        if result.errors:
            session.rollback()
            return result
        record(
            session,
            actor=actor,
            action=Action.REGISTER_IMPORTED,
            object_type="corporation",
            object_id=corporation.id,
            corporation_id=corporation.id,
            details={
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "started": result.tenancies_started,
                "ended": result.tenancies_ended,
            },
        )
    return result
