"""Issue, redeem, revoke and re-issue tenants' personal codes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from consent.access_codes import throttle
from consent.access_codes.models import AccessCode, Purpose
from consent.audit.service import Action, record
from consent.housing.models import Tenancy
from consent.security import keyed_hash
from consent.settings import Settings
from consent.timeutil import utcnow

# No 0/O, 1/I/L or U/V look-alikes: 29 symbols, 15 of them = 72.9 bits of entropy.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
GROUPS = 3
GROUP_SIZE = 5


def generate() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(raw[i : i + GROUP_SIZE] for i in range(0, len(raw), GROUP_SIZE))


def normalise(entered: str) -> str:
    """Accept lower case, spaces and dashes; '' when it cannot be a code at all."""
    cleaned = "".join(ch for ch in entered.upper() if ch.isalnum())
    if len(cleaned) != GROUPS * GROUP_SIZE or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return "-".join(cleaned[i : i + GROUP_SIZE] for i in range(0, len(cleaned), GROUP_SIZE))


def issue(
    session: Session,
    settings: Settings,
    *,
    corporation_id: int,
    tenancy_id: int,
    purpose: Purpose,
    object_id: int | None,
    actor: str,
) -> str:
    """Issue a new code; any earlier code for the same tenancy and purpose is revoked."""
    now = utcnow()
    same_object = (
        col(AccessCode.object_id).is_(None)
        if object_id is None
        else col(AccessCode.object_id) == object_id
    )
    revoked = []
    for old in session.exec(
        select(AccessCode).where(
            AccessCode.tenancy_id == tenancy_id,
            AccessCode.purpose == purpose.value,
            same_object,
            col(AccessCode.revoked_at).is_(None),
        )
    ):
        old.revoked_at = now
        session.add(old)
        revoked.append(old.id)
    code = generate()
    row = AccessCode(
        corporation_id=corporation_id,
        tenancy_id=tenancy_id,
        purpose=purpose.value,
        object_id=object_id,
        code_hash=keyed_hash(settings.secret_key, code),
        created_at=now,
        expires_at=now + timedelta(days=settings.code_valid_days),
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action=Action.CODE_ISSUED,
        object_type="tenancy",
        object_id=tenancy_id,
        corporation_id=corporation_id,
        details={
            "purpose": purpose.value,
            "object_id": object_id,
            "code_id": row.id,
            "revoked_code_ids": revoked,
        },
    )
    return code


def revoke(session: Session, code_id: int, actor: str) -> None:
    row = session.get(AccessCode, code_id)
    if row is None or row.revoked_at is not None:
        return
    row.revoked_at = utcnow()
    session.add(row)
    record(
        session,
        actor=actor,
        action=Action.CODE_REVOKED,
        object_type="access_code",
        object_id=code_id,
        corporation_id=row.corporation_id,
    )


def _tenancy_ended(session: Session, tenancy_id: int) -> bool:
    """A household that moved out keeps no access through its old codes."""
    tenancy = session.get(Tenancy, tenancy_id)
    return tenancy is None or tenancy.end_date is not None


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    REVOKED = "revoked"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class Redemption:
    outcome: Outcome
    code: AccessCode | None = None


def redeem(session: Session, settings: Settings, entered: str, client: str) -> Redemption:
    """Check an entered code, counting attempts per client and per code.

    Every attempt counts; a successful one is refunded (not reset), so a valid code of
    one's own does not buy more guesses at other people's codes.
    """
    code = normalise(entered)
    code_key = keyed_hash(settings.secret_key, code or entered.strip().upper())[:32]
    window = settings.throttle_window_seconds
    if not throttle.hit(
        session, f"code-client:{client}", settings.code_attempts_per_client, window
    ):
        return Redemption(Outcome.THROTTLED)
    if not throttle.hit(session, f"code:{code_key}", settings.code_attempts_per_code, window):
        return Redemption(Outcome.THROTTLED)
    row = (
        session.exec(
            select(AccessCode).where(AccessCode.code_hash == keyed_hash(settings.secret_key, code))
        ).first()
        if code
        else None
    )
    if row is None:
        return Redemption(Outcome.WRONG)
    if row.revoked_at is not None or _tenancy_ended(session, row.tenancy_id):
        return Redemption(Outcome.REVOKED, row)
    if row.expires_at <= utcnow():
        return Redemption(Outcome.EXPIRED, row)
    throttle.refund(session, f"code-client:{client}")
    throttle.refund(session, f"code:{code_key}")
    record(
        session,
        actor=f"tenancy:{row.tenancy_id}",
        action=Action.CODE_REDEEMED,
        object_type="access_code",
        object_id=row.id,
        corporation_id=row.corporation_id,
    )
    session.commit()
    return Redemption(Outcome.OK, row)
