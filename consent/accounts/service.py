"""Corporations, staff accounts, sign-in and API tokens."""

from __future__ import annotations

import re
import secrets
from functools import cache

from sqlmodel import Session, select

from consent.access_codes import throttle
from consent.accounts.models import ApiToken, Role, StaffUser
from consent.audit.service import Action, record
from consent.housing.models import Complex, Corporation
from consent.security import CONTROL_CHARS, hash_password, keyed_hash, verify_password
from consent.settings import Settings

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 12


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
