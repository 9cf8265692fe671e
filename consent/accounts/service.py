"""Corporations, staff accounts, sign-in and API tokens."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from functools import cache

from sqlalchemy import ColumnElement, delete, or_, update
from sqlmodel import Session, col, select

from consent.access_codes import throttle
from consent.accounts.models import ApiToken, Role, StaffSession, StaffUser
from consent.audit.service import Action, record
from consent.housing.models import Complex, Corporation
from consent.security import CONTROL_CHARS, hash_password, keyed_hash, verify_password
from consent.settings import Settings
from consent.timeutil import utcnow

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The session cookie's entries for a staff sign-in: the key, and when it happened.
SESSION_KEY = "staff_session"
SIGNED_IN_AT = "signed_in_at"
MIN_PASSWORD = 12
MAX_PASSWORD = 500
SIGNED_OUT = "staff.signed_out"
SIGNED_OUT_EVERYWHERE = "staff.signed_out_everywhere"
PASSWORD_CHANGED = "staff.password_changed"  # noqa: S105 - an action name
DEACTIVATED = "staff.deactivated"


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


def create_corporation(session: Session, slug: str, name: str, actor: str) -> Corporation:
    if not SLUG.match(slug):
        raise AccountError(f"slug {slug!r} must be lower-case letters, digits and dashes")
    if session.exec(select(Corporation).where(Corporation.slug == slug)).first():
        raise AccountError(f"corporation {slug!r} already exists")
    corporation = Corporation(slug=slug, name=name.strip())
    session.add(corporation)
    session.flush()
    record(
        session,
        actor=actor,
        action=Action.CORPORATION_CREATED,
        object_type="corporation",
        object_id=corporation.id,
        corporation_id=corporation.id,
        details={"slug": slug},
    )
    return corporation


def corporation_by_slug(session: Session, slug: str) -> Corporation:
    corporation = session.exec(select(Corporation).where(Corporation.slug == slug)).first()
    if corporation is None:
        raise AccountError(f"no corporation {slug!r}")
    return corporation


def create_staff(
    session: Session,
    *,
    email: str,
    role: str,
    corporation_slug: str,
    password: str,
    actor: str,
    name: str = "",
    complex_code: str | None = None,
) -> StaffUser:
    email = email.strip().lower()
    if not EMAIL.match(email) or CONTROL_CHARS.search(email):
        raise AccountError(f"{email!r} is not an email address")
    if role not in {r.value for r in Role}:
        raise AccountError(f"role must be one of {', '.join(r.value for r in Role)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    if session.exec(select(StaffUser).where(StaffUser.email == email)).first():
        raise AccountError(f"{email} already has an account")
    corporation = corporation_by_slug(session, corporation_slug)
    complex_id = None
    if complex_code:
        found = session.exec(
            select(Complex).where(
                Complex.corporation_id == corporation.id, Complex.code == complex_code
            )
        ).first()
        if found is None:
            raise AccountError(f"no complex {complex_code!r} in {corporation_slug}")
        complex_id = found.id
    user = StaffUser(
        corporation_id=corporation.id or 0,
        email=email,
        name=name or email.split("@")[0],
        password_hash=hash_password(password),
        role=role,
        complex_id=complex_id,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        action=Action.STAFF_CREATED,
        object_type="staff",
        object_id=user.id,
        corporation_id=user.corporation_id,
        details={"role": role, "email": email},
    )
    return user


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def authenticate(
    session: Session, settings: Settings, email: str, password: str, client: str
) -> StaffUser | None:
    """The user for these credentials, or None; attempts are limited per client and account.

    Raises AccountError('throttled') when too many attempts were made.
    """
    email = email.strip().lower()
    window = settings.throttle_window_seconds
    limit = settings.login_attempts_per_window
    if not throttle.hit(session, f"login-client:{client}", limit * 4, window):
        raise AccountError("throttled")
    if not EMAIL.match(email) or CONTROL_CHARS.search(email):
        return None  # no account can have this address (a NUL would upset PostgreSQL)
    if not throttle.hit(session, f"login:{email}", limit, window):
        raise AccountError("throttled")
    user = session.exec(select(StaffUser).where(StaffUser.email == email)).first()
    # Hash even for an unknown address, so the time taken does not tell who has an account.
    known_hash = user.password_hash if user is not None else _dummy_hash()
    if not verify_password(known_hash, password) or user is None or not user.active:
        record(
            session,
            actor=f"client:{client}",
            action=Action.STAFF_SIGN_IN_FAILED,
            object_type="staff",
            object_id=user.id if user else "-",
            corporation_id=user.corporation_id if user else None,
        )
        session.commit()
        return None
    throttle.reset(session, f"login:{email}")
    throttle.refund(session, f"login-client:{client}")
    record(
        session,
        actor=f"staff:{user.id}",
        action=Action.STAFF_SIGNED_IN,
        object_type="staff",
        object_id=user.id,
        corporation_id=user.corporation_id,
    )
    session.commit()
    return user


def create_api_token(session: Session, settings: Settings, email: str, actor: str) -> str:
    user = session.exec(select(StaffUser).where(StaffUser.email == email.strip().lower())).first()
    if user is None:
        raise AccountError(f"no staff account {email}")
    token = "cst_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id or 0, token_hash=keyed_hash(settings.secret_key, token)))
    record(
        session,
        actor=actor,
        action=Action.API_TOKEN_CREATED,
        object_type="staff",
        object_id=user.id,
        corporation_id=user.corporation_id,
    )
    return token


def user_for_token(session: Session, settings: Settings, token: str) -> StaffUser | None:
    row = session.exec(
        select(ApiToken).where(ApiToken.token_hash == keyed_hash(settings.secret_key, token))
    ).first()
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(StaffUser, row.user_id)
    return user if user and user.active else None


# -- sign-ins (server-side sessions) ---------------------------------------------------


def start_session(session: Session, settings: Settings, user: StaffUser) -> str:
    """A new sign-in for `user`; returns the key for the session cookie.

    The user's ended and expired sign-ins are deleted here (the audit log keeps the story).
    """
    expired = utcnow() - timedelta(seconds=settings.session_max_age)
    session.execute(
        delete(StaffSession).where(
            col(StaffSession.user_id) == user.id,
            or_(col(StaffSession.ended_at).is_not(None), col(StaffSession.created_at) < expired),
        )
    )
    key = secrets.token_urlsafe(32)
    session.add(StaffSession(user_id=user.id or 0, key_hash=keyed_hash(settings.secret_key, key)))
    return key


def _live(settings: Settings, key: str) -> list[ColumnElement[bool]]:
    """The conditions on StaffSession for the sign-in with this key, while it lasts."""
    expired = utcnow() - timedelta(seconds=settings.session_max_age)
    return [
        col(StaffSession.key_hash) == keyed_hash(settings.secret_key, key),
        col(StaffSession.ended_at).is_(None),
        col(StaffSession.created_at) >= expired,
    ]


def user_for_session(session: Session, settings: Settings, key: str) -> StaffUser | None:
    """The active user of a sign-in that has not ended or expired, else None."""
    return session.exec(
        select(StaffUser)
        .join(StaffSession, col(StaffSession.user_id) == col(StaffUser.id))
        .where(col(StaffUser.active).is_(True), *_live(settings, key))
    ).first()


def _end_sessions(session: Session, user_id: int, *, keep: str = "") -> None:
    """End every sign-in of the user except the one whose key hash is `keep`."""
    session.execute(
        update(StaffSession)
        .where(
            col(StaffSession.user_id) == user_id,
            col(StaffSession.ended_at).is_(None),
            col(StaffSession.key_hash) != keep,
        )
        .values(ended_at=utcnow())
    )


def _audit(session: Session, user: StaffUser, action: str, actor: str | None = None) -> None:
    record(
        session,
        actor=actor or f"staff:{user.id}",
        action=action,
        object_type="staff",
        object_id=user.id,
        corporation_id=user.corporation_id,
    )


def end_session(session: Session, settings: Settings, user: StaffUser, key: str) -> None:
    """Sign out: this sign-in ends; the user's other sign-ins go on."""
    session.execute(update(StaffSession).where(*_live(settings, key)).values(ended_at=utcnow()))
    _audit(session, user, SIGNED_OUT)


def end_all_sessions(session: Session, user: StaffUser) -> None:
    """Sign out on every device, this one included."""
    _end_sessions(session, user.id or 0)
    _audit(session, user, SIGNED_OUT_EVERYWHERE)


def change_password(
    session: Session, settings: Settings, user: StaffUser, current: str, new: str, key: str
) -> None:
    """Set a new password; every other sign-in of the user ends, this one (`key`) goes on.

    Raises AccountError with a reason: 'throttled', 'current' (wrong current password),
    'short' (fewer than MIN_PASSWORD characters) or 'same' (the current one again).
    Wrong current passwords count towards the account's sign-in limit.
    """
    if not throttle.hit(
        session, f"login:{user.email}", settings.login_attempts_per_window,
        settings.throttle_window_seconds,
    ):  # fmt: skip
        raise AccountError("throttled")
    stored = session.get(StaffUser, user.id)
    if stored is None or not verify_password(stored.password_hash, current):
        raise AccountError("current")
    if len(new) < MIN_PASSWORD:
        raise AccountError("short")
    if new == current:
        raise AccountError("same")
    throttle.reset(session, f"login:{user.email}")
    stored.password_hash = hash_password(new)
    session.add(stored)
    _end_sessions(session, stored.id or 0, keep=keyed_hash(settings.secret_key, key))
    _audit(session, stored, PASSWORD_CHANGED)


def deactivate_staff(session: Session, email: str, actor: str) -> StaffUser:
    """Switch an account off: it cannot sign in, its sign-ins and API tokens stop working."""
    user = session.exec(select(StaffUser).where(StaffUser.email == email.strip().lower())).first()
    if user is None:
        raise AccountError(f"no staff account {email}")
    user.active = False
    session.add(user)
    _end_sessions(session, user.id or 0)
    _audit(session, user, DEACTIVATED, actor)
    return user
