"""Explicit audit calls: record() appends a chained row (record_many() several at once);
verify() checks the chain."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from consent.audit.models import GENESIS, AuditEvent, AuditHead
from consent.timeutil import utcnow

PERSONAL_KEYS = {"email", "phone", "telefoon", "name", "names", "naam", "huurders", "tenants",
                 "address", "adres", "comment", "iban", "bsn", "birthdate", "income"}  # fmt: skip
SECRET_KEYS = {"password", "code", "token", "secret"}
_EVENT_COLUMNS = ("at", "corporation_id", "actor", "action", "object_type", "object_id",
                  "details", "prev_hash", "hash")  # fmt: skip
# The statements of record_many(), built once.
_LOCK_HEAD = (
    update(AuditHead).where(col(AuditHead.id) == 1).values(id=1).returning(col(AuditHead.last_hash))
)
_NEW_EVENTS = insert(AuditEvent).returning(col(AuditEvent.id), sort_by_parameter_order=True)
_MOVE_HEAD = update(AuditHead).where(col(AuditHead.id) == 1)


class Action(StrEnum):
    CORPORATION_CREATED = "corporation.created"
    STAFF_CREATED = "staff.created"
    STAFF_SIGNED_IN = "staff.signed_in"
    STAFF_SIGN_IN_FAILED = "staff.sign_in_failed"
    API_TOKEN_CREATED = "api_token.created"  # noqa: S105 - an action name
    REGISTER_IMPORTED = "register.imported"
    COMPLEX_CREATED = "complex.created"
    CODE_ISSUED = "code.issued"
    CODE_REVOKED = "code.revoked"
    CODE_REDEEMED = "code.redeemed"
    MESSAGE_SENT = "outbox.sent"
    MESSAGE_FAILED = "outbox.failed"


def mask(value: str) -> str:
    """Keep the first character of each word: 'Jansen, P.' -> 'J*****, P*'."""
    return re.sub(r"(\w)(\w*)", lambda m: m.group(1) + "*" * len(m.group(2)), value)


def _kind(key: str) -> str:
    """'secret', 'personal' or '' for a details key: 'email', 'tenant_email', 'names'..."""
    last = key.lower().replace("-", "_").rsplit("_", 1)[-1]
    if key in SECRET_KEYS or (last in SECRET_KEYS and last != "code"):  # complex_code is fine
        return "secret"
    return "personal" if key in PERSONAL_KEYS or last in PERSONAL_KEYS else ""


def _masked_value(kind: str, value: Any) -> Any:
    if kind == "secret":
        return "[hidden]" if value else value
    if isinstance(value, dict):
        return masked(value)
    if isinstance(value, list | tuple):
        return [_masked_value(kind, item) for item in value]
    if kind == "personal" and value not in (None, ""):
        return mask(str(value))
    return value


def masked(details: dict[str, Any]) -> dict[str, Any]:
    """Personal values masked to initials and secrets hidden, at any depth.

    A key is personal when it, or its last `_` part, is in PERSONAL_KEYS ('email',
    'tenant_email'); 'code_id' or 'object_id' stay readable.
    """
    return {key: _masked_value(_kind(str(key)), value) for key, value in details.items()}


def _digest(prev_hash: str, event: AuditEvent) -> str:
    payload = json.dumps(
        [
            prev_hash,
            event.at.isoformat(),
            event.corporation_id,
            event.actor,
            event.action,
            event.object_type,
            event.object_id,
            event.details,
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One event to record (see ``record``)."""

    actor: str
    action: Action | str
    object_type: str
    object_id: object
    corporation_id: int | None = None
    details: dict[str, Any] | None = None


def record(
    session: Session,
    *,
    actor: str,
    action: Action | str,
    object_type: str,
    object_id: object,
    corporation_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction; personal details are masked."""
    entry = Entry(actor, action, object_type, object_id, corporation_id, details)
    return record_many(session, [entry])[0]


def record_many(session: Session, entries: Sequence[Entry]) -> list[AuditEvent]:
    """Append events, chained in the order given, in the caller's transaction."""
    session.flush()  # the caller's pending changes first, as with any query
    connection = session.connection()
    # Updating the single head row takes a write lock on SQLite and a row lock on
    # PostgreSQL, so concurrent writers chain one after the other.
    last_hash = connection.execute(_LOCK_HEAD).scalar_one_or_none()
    if last_hash is None:
        last_hash = GENESIS
        connection.execute(insert(AuditHead), {"id": 1, "last_hash": GENESIS})
    events = []
    for entry in entries:
        event = AuditEvent(
            at=utcnow(),
            corporation_id=entry.corporation_id,
            actor=entry.actor,
            action=str(entry.action),
            object_type=entry.object_type,
            object_id=str(entry.object_id),
            details=json.dumps(masked(entry.details or {}), sort_keys=True, default=str),
            prev_hash=last_hash,
            hash="",
        )
        event.hash = last_hash = _digest(last_hash, event)
        events.append(event)
    rows = [{name: getattr(event, name) for name in _EVENT_COLUMNS} for event in events]
    for event, event_id in zip(
        events, connection.execute(_NEW_EVENTS, rows).scalars(), strict=True
    ):
        event.id = event_id
    connection.execute(_MOVE_HEAD, {"last_hash": last_hash})
    # A head this session loaded before is out of date now.
    head = session.identity_map.get(identity_key(AuditHead, 1))
    if head is not None:
        session.expire(head)
    return events


@dataclass(frozen=True)
class ChainReport:
    rows: int
    first_broken_id: int | None
    last_hash: str


def verify(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in id order; report the first row whose hash does not follow."""
    expected_prev = GENESIS
    rows = 0
    last_id = 0
    while True:
        events = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.id) > last_id)
            .order_by(col(AuditEvent.id))
            .limit(batch)
        ).all()
        if not events:
            break
        for event in events:
            rows += 1
            if event.prev_hash != expected_prev or _digest(event.prev_hash, event) != event.hash:
                return ChainReport(rows, event.id, expected_prev)
            expected_prev = event.hash
            last_id = event.id or 0
    head = session.get(AuditHead, 1)
    if head is not None and head.last_hash != expected_prev:
        return ChainReport(rows, -1, expected_prev)
    return ChainReport(rows, None, expected_prev)


def current_hash(session: Session) -> str:
    head = session.get(AuditHead, 1)
    return head.last_hash if head else GENESIS
