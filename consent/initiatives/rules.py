"""Pure decisions about initiatives: transitions, support share, the answer clock, next steps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from consent import clock
from consent.initiatives.models import Status
from consent.measures import is_art_7_243

# The public page of an initiative; routes use the same template so mails can link to it.
PUBLIC_PATH = "/initiatieven/{initiative_id:int}"
STAFF_PATH = "/medewerkers/initiatieven/{initiative_id:int}"

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.COLLECTING, Status.SUBMITTED}),
    Status.COLLECTING: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.MORE_INFO_NEEDED, Status.ACCEPTED, Status.REJECTED}),
    Status.MORE_INFO_NEEDED: frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED}),
    Status.ACCEPTED: frozenset(),
    Status.REJECTED: frozenset(),
}
ANSWERABLE = frozenset({Status.SUBMITTED, Status.MORE_INFO_NEEDED})
EDITABLE = frozenset({Status.DRAFT, Status.COLLECTING, Status.MORE_INFO_NEEDED})
MAX_OFFER_CENTS = 100_000  # a rent increase above EUR 1,000 a month is a typing error


def public_path(initiative_id: int, *, staff: bool = False) -> str:
    template = STAFF_PATH if staff else PUBLIC_PATH
    return template.replace("{initiative_id:int}", str(initiative_id))


def can_move(current: str, target: Status) -> bool:
    return target in TRANSITIONS.get(Status(current), frozenset())


def can_collect(current: str, for_home: bool) -> bool:
    """Only an initiative for the whole complex collects co-signatures."""
    return not for_home and can_move(current, Status.COLLECTING)


@dataclass(frozen=True)
class Support:
    signed: int
    households: int

    @property
    def percent(self) -> Decimal:
        """The share of the complex's households, rounded down to two places."""
        if self.households <= 0:
            return Decimal("0.00")
        share = Decimal(self.signed * 100) / Decimal(self.households)
        return share.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def threshold_reached(signed: int, households: int, percent: int | None) -> bool:
    """True when the corporation's support threshold is set and met (exact arithmetic)."""
    if percent is None or households <= 0:
        return False
    return signed * 100 >= percent * households


def due_at(
    submitted_at: datetime | None,
    response_days: int,
    pauses: Sequence[tuple[datetime, datetime | None]],
) -> datetime | None:
    """When the answer is due: None before submission and while the clock is paused."""
    if submitted_at is None:
        return None
    return clock.deadline(submitted_at, timedelta(days=response_days), pauses)


def is_overdue(status: str, due: datetime | None, now: datetime) -> bool:
    """Overdue only while the corporation owes an answer and the clock is running."""
    return status == Status.SUBMITTED and due is not None and clock.is_overdue(due, now)


def paused_days(pauses: Sequence[tuple[datetime, datetime | None]], now: datetime) -> int:
    """Whole days the clock stood (or stands) still, for display."""
    total = timedelta(0)
    for start, end in pauses:
        total += (end or now) - start
    return total.days


def where_next(measures: Iterable[str]) -> list[str]:
    """Where tenants can turn when no answer comes or the answer is no."""
    steps = ["tenant_organisation"]
    if is_art_7_243(measures):
        steps.append("court")
    return steps
