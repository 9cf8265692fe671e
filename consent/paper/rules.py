"""Pure decisions for paper ballots: form codes, the signed date as a moment, who prints.

The form code on a paper ballot names the proposal and the tenancy and carries a
signature made with the secret key, so a typed or scanned code can be checked without
storing anything and without revealing the tenant's personal code:
``P{proposal_id}-T{tenancy_id}-{8 hex}``.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from consent.proposals.rules import objection_deadline
from consent.security import keyed_hash
from consent.timeutil import from_local, to_local

ENTRY_CHANNELS = ("paper", "home_visit")
SIGNATURE_LENGTH = 8
_FORM_CODE = re.compile(r"^P(\d{1,9})-?T(\d{1,12})-?([0-9A-F]{8})$")


@dataclass(frozen=True)
class FormCode:
    proposal_id: int
    tenancy_id: int


def _signature(secret_key: str, proposal_id: int, tenancy_id: int) -> str:
    digest = keyed_hash(secret_key, f"paper-form:P{proposal_id}-T{tenancy_id}")
    return digest[:SIGNATURE_LENGTH].upper()


def form_code(secret_key: str, proposal_id: int, tenancy_id: int) -> str:
    """The code printed (and as a QR code) on a tenancy's paper ballot form."""
    signature = _signature(secret_key, proposal_id, tenancy_id)
    return f"P{proposal_id}-T{tenancy_id}-{signature}"


def parse_form_code(secret_key: str, entered: str) -> FormCode | None:
    """The proposal and tenancy of a typed or scanned code; None when it is not genuine.

    Spaces and case do not matter; the dashes may be left out.
    """
    cleaned = "".join(entered.split()).upper()
    match = _FORM_CODE.match(cleaned)
    if match is None:
        return None
    proposal_id, tenancy_id = int(match.group(1)), int(match.group(2))
    expected = _signature(secret_key, proposal_id, tenancy_id)
    if not hmac.compare_digest(expected, match.group(3)):
        return None
    return FormCode(proposal_id, tenancy_id)


def cast_moment(signed_on: date, opens_at: datetime, closes_at: datetime) -> datetime | None:
    """The moment a form signed on ``signed_on`` counts as cast; None outside the window.

    A form carries only a date, so it counts as cast at the START of that day
    (Europe/Amsterdam), or when voting opened if that was later the same day. So the
    most recent date wins, and on the same day an online vote (with its exact time)
    wins over the paper form.
    """
    start = from_local(datetime.combine(signed_on, time.min))
    end = from_local(datetime.combine(signed_on + timedelta(days=1), time.min))
    if end <= opens_at or start >= closes_at:
        return None
    return max(start, opens_at)


def signed_date_problem(
    signed_on: date, opens_at: datetime, closes_at: datetime, now: datetime
) -> str:
    """'future', 'before', 'after' or '' for a signed date, against the voting window."""
    if signed_on > to_local(now).date():
        return "future"
    if signed_on < to_local(opens_at).date():
        return "before"
    if cast_moment(signed_on, opens_at, closes_at) is None:
        return "after"
    return ""


def scans_kept_until(
    closed_at: datetime, notices_sent_at: datetime | None, retention_days: int
) -> datetime:
    """From when the scans of a vote's signed forms are deleted (the ballots stay).

    ``retention_days`` after voting closed (the setting CONSENT_SCAN_RETENTION_DAYS), and
    never before the period to go to court after the outcome notice has ended: until then
    a form may be needed as evidence of the count.
    """
    until = closed_at + timedelta(days=retention_days)
    if notices_sent_at is not None:
        last_day = objection_deadline(to_local(notices_sent_at).date())
        until = max(until, from_local(datetime.combine(last_day + timedelta(days=1), time.min)))
    return until


def may_print(role: str, template: str) -> bool:
    """Which queued letters a role prints: each domain's staff their own, admin all."""
    if role == "admin":
        return True
    if template.startswith("rent_reduction_"):
        return role == "case_worker"
    if template.startswith("proposal_"):
        return role == "project_leader"
    return role in ("project_leader", "case_worker")
