"""The loaded scheme files, today's date, and which schemes a corporation has switched on."""

from __future__ import annotations

import datetime as dt
from functools import cache

from sqlmodel import Session, select

from consent import i18n
from consent.audit.service import record
from consent.rent_reductions.models import CorporationScheme
from consent.rent_reductions.schemes import Evidence, Scheme, is_open, load_all
from consent.timeutil import to_local, utcnow


def today() -> dt.date:
    """Today in the Netherlands (tests replace this to stand inside a scheme's window)."""
    return to_local(utcnow()).date()


@cache
def _loaded() -> dict[str, Scheme]:
    return load_all()


def schemes() -> dict[str, Scheme]:
    """Every scheme file, templates included, keyed by id."""
    return _loaded()


def get(scheme_id: str) -> Scheme | None:
    return _loaded().get(scheme_id)


def scheme_name(scheme: Scheme) -> str:
    """The scheme's name in the reader's language (Dutch, else English)."""
    return scheme.name if i18n.current() == "nl" else scheme.name_en


def evidence_label(item: Evidence) -> str:
    """A translated label if the catalogue has one, else Dutch or English."""
    if i18n.current() == "nl":
        return item.label_nl
    translated = i18n.gettext(item.label_nl)
    return translated if translated != item.label_nl else item.label_en


def enabled_ids(session: Session, corporation_id: int) -> set[str]:
    rows = session.exec(
        select(CorporationScheme).where(
            CorporationScheme.corporation_id == corporation_id,
            CorporationScheme.enabled == True,  # noqa: E712 - SQL expression
        )
    ).all()
    return {row.scheme_id for row in rows}


def requestable(session: Session, corporation_id: int, on: dt.date) -> list[Scheme]:
    """Schemes a tenant of this corporation can ask for today: enabled, open, on request."""
    enabled = enabled_ids(session, corporation_id)
    return [s for s in _loaded().values() if s.id in enabled and s.on_request and is_open(s, on)]


def closed_enabled(session: Session, corporation_id: int, on: dt.date) -> list[Scheme]:
    """Enabled on-request schemes that no longer (or not yet) accept requests."""
    enabled = enabled_ids(session, corporation_id)
    return [
        s
        for s in _loaded().values()
        if s.id in enabled and s.on_request and not s.template and not is_open(s, on)
    ]


class SchemeError(ValueError):
    """A scheme cannot be switched on (unknown or a template)."""


def set_enabled(
    session: Session, corporation_id: int, scheme_id: str, enabled: bool, actor: str
) -> CorporationScheme:
    """Switch a scheme on or off for a corporation (audited)."""
    scheme = get(scheme_id)
    if scheme is None:
        raise SchemeError("unknown scheme")
    if enabled and scheme.template:
        raise SchemeError("template")
    row = session.exec(
        select(CorporationScheme).where(
            CorporationScheme.corporation_id == corporation_id,
            CorporationScheme.scheme_id == scheme_id,
        )
    ).first()
    if row is None:
        row = CorporationScheme(corporation_id=corporation_id, scheme_id=scheme_id)
    row.enabled = enabled
    row.changed_at = utcnow()
    row.changed_by = actor
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="rent_reduction.scheme_enabled" if enabled else "rent_reduction.scheme_disabled",
        object_type="scheme",
        object_id=scheme_id,
        corporation_id=corporation_id,
    )
    return row
