"""Request helpers shared by every domain's HTML handlers."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from consent.accounts.models import Role, StaffUser
from consent.settings import Settings


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
