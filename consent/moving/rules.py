"""Pure decisions for the caseload: status transitions, who sees care needs, amounts."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum


class ProgrammeKind(StrEnum):
    MID_RENT = "mid_rent"
    BUYING = "buying"
    STEP_FREE = "step_free"
    CLUSTERED = "clustered"
    CARE = "care"


class Status(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    INTAKE_DONE = "intake_done"
    SEARCHING = "searching"
    OFFER_MADE = "offer_made"
    MOVED = "moved"
    STOPPED = "stopped"


ORDER = (
    Status.NEW,
    Status.CONTACTED,
    Status.INTAKE_DONE,
    Status.SEARCHING,
    Status.OFFER_MADE,
    Status.MOVED,
    Status.STOPPED,
)

# Forward one step at a time; an offer the tenant declines goes back to searching;
# every open case can be stopped (with a reason). Moved and stopped are final.
ALLOWED: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.CONTACTED, Status.STOPPED}),
    Status.CONTACTED: frozenset({Status.INTAKE_DONE, Status.STOPPED}),
    Status.INTAKE_DONE: frozenset({Status.SEARCHING, Status.STOPPED}),
    Status.SEARCHING: frozenset({Status.OFFER_MADE, Status.STOPPED}),
    Status.OFFER_MADE: frozenset({Status.MOVED, Status.SEARCHING, Status.STOPPED}),
    Status.MOVED: frozenset(),
    Status.STOPPED: frozenset(),
}
CLOSED = frozenset({Status.MOVED, Status.STOPPED})
_VALUES = frozenset(status.value for status in Status)


class TransitionError(StrEnum):
    UNKNOWN = "unknown"
    NOT_ALLOWED = "not_allowed"
    REASON_REQUIRED = "reason_required"


def transition_error(current: str, target: str, reason: str = "") -> TransitionError | None:
    """Why `current` -> `target` may not happen, or None when it may."""
    if current not in _VALUES or target not in _VALUES:
        return TransitionError.UNKNOWN
    if Status(target) not in ALLOWED[Status(current)]:
        return TransitionError.NOT_ALLOWED
    if target == Status.STOPPED and not reason.strip():
        return TransitionError.REASON_REQUIRED
    return None


def next_statuses(current: str) -> list[Status]:
    """The statuses a case may move to next, in workflow order."""
    if current not in _VALUES:
        return []
    return [status for status in ORDER if status in ALLOWED[Status(current)]]


def may_see_care_needs(user_id: int | None, role: str, broker_id: int | None) -> bool:
    """Only the broker assigned to the sign-up; never admin, other brokers or other roles."""
    return role == "broker" and user_id is not None and broker_id == user_id


_EUROS = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$")
_EUROS_DOT = re.compile(r"^(\d+)\.(\d{1,2})$")


def parse_euros(entered: str) -> int | None:
    """Cents for an amount typed in euros ('650', '650,50', '1.250,00', '€ 650.5').

    Raises ValueError for text that is not an amount.
    """
    cleaned = entered.replace("€", "").replace("EUR", "").replace(" ", "").strip()
    if not cleaned:
        return None
    dotted = _EUROS_DOT.match(cleaned)
    if dotted:
        whole, fraction = dotted.group(1), dotted.group(2)
    else:
        match = _EUROS.match(cleaned)
        if not match:
            raise ValueError(entered)
        whole, fraction = match.group(1).replace(".", ""), match.group(2) or "0"
    return int(whole) * 100 + int(fraction.ljust(2, "0"))


def move_date_ok(signed_up_on: date, moved_on: date, today: date) -> bool:
    """A move happens after the sign-up and not in the future."""
    return signed_up_on <= moved_on <= today
