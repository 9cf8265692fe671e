"""Request helpers shared by every domain's HTML handlers."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from consent.accounts.models import Role, StaffUser
from consent.i18n import ngettext
from consent.settings import Settings


class _IdConvertor(IntegerConvertor):
    """`{x:int}` in a path: 0 to 2**31 - 1, so a huge id is a 404, not a database error.

    (Ids are 32-bit integers on PostgreSQL; SQLite cannot bind integers above 2**63.)
    Registered here because every module that defines routes imports this one first.
    """

    regex = (
        "(?:[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
        "|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]"
        "|214748364[0-7])"
    )


register_url_convertor("int", _IdConvertor())


def engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


def settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def client_id(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def require_staff(request: Request, *roles: Role) -> StaffUser:
    """The signed-in staff user, if they have one of `roles` (any role when none given)."""
    user: StaffUser | None = getattr(request.state, "user", None)
    if user is None:
        raise HTTPException(status_code=401)
    if roles and user.role not in roles and user.role != Role.ADMIN:
        raise HTTPException(status_code=403)
    return user


def text(form: FormData, name: str, max_length: int = 2000) -> str:
    """A trimmed text field; overlong input is cut, never stored whole."""
    value = form.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


def values(form: FormData) -> dict[str, Any]:
    """Every text field as entered, to show the form again after an error."""
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


def too_many_attempts(request: Request) -> str:
    """The message for a throttled attempt, naming the configured waiting time."""
    minutes = max(1, -(-settings(request).throttle_window_seconds // 60))
    return ngettext(
        "U heeft het te vaak geprobeerd. Wacht %(num)s minuut en probeer het opnieuw.",
        "U heeft het te vaak geprobeerd. Wacht %(num)s minuten en probeer het opnieuw.",
        minutes,
    )
