"""Request helpers shared by every domain's HTML handlers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Engine
from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from consent.accounts.models import Role, StaffUser
from consent.i18n import format_number, ngettext
from consent.i18n import gettext as _
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


def text_error(value: str, max_length: int) -> str | None:
    """What is wrong with an entered text: a NUL character (the database cannot store it)
    or more than `max_length` characters; None when it is fine."""
    if "\x00" in value:
        return _("Deze tekst bevat een teken dat niet is toegestaan. Typ de tekst opnieuw.")
    if len(value) > max_length:
        return _(
            "Deze tekst is te lang. Gebruik maximaal %(max)s tekens; u gebruikte er %(count)s.",
            max=format_number(max_length),
            count=format_number(len(value)),
        )
    return None


def token(form: Mapping[str, Any], name: str) -> str:
    """A short field the handler checks against its own rule (a choice, an id, a code),
    trimmed and read whole: anything too long simply fails that rule."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def text(form: Mapping[str, Any], name: str, max_length: int, errors: dict[str, str]) -> str:
    """A text field, trimmed, with its line breaks as "\\n" (as a browser's maxlength counts).

    A text over `max_length` (or with a NUL character) is kept whole and its message goes
    into `errors[name]`, so the form comes back with everything that was typed and nothing
    is stored.
    """
    value = token(form, name).replace("\r\n", "\n").replace("\r", "\n")
    message = text_error(value, max_length)
    if message is not None:
        errors.setdefault(name, message)
    return value


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
