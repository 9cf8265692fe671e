"""Sign-ups and the broker caseload: transactions and audit calls (no web imports)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from consent.access_codes.models import Purpose
from consent.access_codes.service import issue
from consent.accounts.models import Role, StaffUser
from consent.audit.models import AuditEvent
from consent.audit.service import record
from consent.housing.models import Tenancy, Tenant, Unit
from consent.moving.forms import SignupInput
from consent.moving.models import MovingSignup, SignupCareNeeds, SignupNote
from consent.moving.report import SignupFacts
from consent.moving.rules import (
    CLOSED,
    Status,
    TransitionError,
    may_see_care_needs,
    transition_error,
)
from consent.settings import Settings
from consent.timeutil import to_local, utcnow

OBJECT = "moving_signup"
MAX_ID = 2**31 - 1  # an INTEGER key; larger numbers in a URL are simply not found


class NotFound(LookupError):
    """No such sign-up (or programme) in the user's corporation."""


def today() -> date:
    return to_local(utcnow()).date()


def issue_code(
    session: Session, settings: Settings, *, corporation_id: int, tenancy_id: int, actor: str
) -> str:
    """A personal code that opens this tenancy's sign-up page (object_id = tenancy id)."""
    return issue(
        session, settings, corporation_id=corporation_id, tenancy_id=tenancy_id,
        purpose=Purpose.MOVING, object_id=tenancy_id, actor=actor,
    )  # fmt: skip


def tenancy_prefill(session: Session, tenancy_id: int) -> dict[str, str]:
    """What we already know of a tenancy, to fill in the form for the tenant."""
    tenancy = session.get(Tenancy, tenancy_id)
    if tenancy is None:
        raise NotFound(tenancy_id)
    unit = session.get(Unit, tenancy.unit_id)
    first = session.exec(
        select(Tenant).where(Tenant.tenancy_id == tenancy_id).order_by(col(Tenant.position))
    ).first()
    rent = unit.bare_rent_cents if unit else None
    return {
        "contact_name": first.name if first else "",
        "email": tenancy.email,
        "phone": tenancy.phone,
        "current_rent": f"{rent // 100},{rent % 100:02d}" if rent is not None else "",
    }


def open_signup_for_tenancy(session: Session, tenancy_id: int) -> MovingSignup | None:
    return session.exec(
        select(MovingSignup)
        .where(MovingSignup.tenancy_id == tenancy_id, col(MovingSignup.status).not_in(CLOSED))
        .order_by(col(MovingSignup.id).desc())
    ).first()


def create_signup(
    session: Session, *, corporation_id: int, data: SignupInput, tenancy_id: int | None, actor: str
) -> MovingSignup:
    """Store a sign-up; care needs only with the tenant's explicit consent, in their own table."""
    fields: dict[str, Any] = asdict(data)
    wishes = fields.pop("wishes")
    care_needs, consent = fields.pop("care_needs"), fields.pop("care_consent")
    fields["languages"] = ",".join(fields["languages"])
    signup = MovingSignup(
        corporation_id=corporation_id, tenancy_id=tenancy_id,
        channel="code" if tenancy_id else "open", **fields, **wishes,
    )  # fmt: skip
    if tenancy_id is not None:
        tenancy = session.get(Tenancy, tenancy_id)
        unit = session.get(Unit, tenancy.unit_id) if tenancy else None
        if unit is not None:
            signup.street_address, signup.postcode, signup.town = (
                unit.address,
                unit.postcode,
                unit.town,
            )
    session.add(signup)
    session.flush()
    if consent and care_needs:
        session.add(SignupCareNeeds(signup_id=signup.id or 0, needs=care_needs))
    record(
        session, actor=actor, action="moving.signup_created", object_type=OBJECT,
        object_id=signup.id, corporation_id=corporation_id,
        details={"channel": signup.channel, "programme": signup.programme_kind},
    )  # fmt: skip
    return signup


def list_signups(
    session: Session, corporation_id: int, *, status: str = "", broker_id: int | None = None,
    unassigned: bool = False,
) -> list[MovingSignup]:  # fmt: skip
    query = select(MovingSignup).where(MovingSignup.corporation_id == corporation_id)
    if status:
        query = query.where(MovingSignup.status == status)
    if broker_id is not None:
        query = query.where(MovingSignup.broker_id == broker_id)
    if unassigned:
        query = query.where(col(MovingSignup.broker_id).is_(None))
    return list(session.exec(query.order_by(col(MovingSignup.id).desc())).all())


def get_signup(session: Session, corporation_id: int, signup_id: int) -> MovingSignup:
    if not 0 < signup_id <= MAX_ID:
        raise NotFound(signup_id)
    signup = session.get(MovingSignup, signup_id)
    if signup is None or signup.corporation_id != corporation_id:
        raise NotFound(signup_id)
    return signup


def care_needs_for(
    session: Session, user: StaffUser, signup: MovingSignup
) -> SignupCareNeeds | None:
    """The care needs, for the assigned broker only; None for everyone else."""
    if not may_see_care_needs(user.id, user.role, signup.broker_id):
        return None
    return session.exec(
        select(SignupCareNeeds).where(SignupCareNeeds.signup_id == signup.id)
    ).first()


def brokers(session: Session, corporation_id: int) -> list[StaffUser]:
    return list(
        session.exec(
            select(StaffUser)
            .where(
                StaffUser.corporation_id == corporation_id,
                StaffUser.role == Role.BROKER,
                col(StaffUser.active).is_(True),
            )
            .order_by(col(StaffUser.name))
        ).all()
    )


def _audit(
    session: Session, user: StaffUser, signup: MovingSignup, action: str, **details: Any
) -> None:
    signup.updated_at = utcnow()
    session.add(signup)
    record(
        session, actor=f"staff:{user.id}", action=action, object_type=OBJECT,
        object_id=signup.id, corporation_id=signup.corporation_id, details=details,
    )  # fmt: skip


def change_status(
    session: Session, user: StaffUser, signup: MovingSignup, target: str, reason: str = "",
    moved_on: date | None = None,
) -> TransitionError | None:  # fmt: skip
    """Move the case to `target` if the rules allow it; the error otherwise."""
    error = transition_error(signup.status, target, reason)
    if error is not None:
        return error
    previous = signup.status
    signup.status = target
    if target == Status.STOPPED:
        signup.stop_reason = reason.strip()
    if target == Status.MOVED:
        signup.moved_on = moved_on or today()
    if target in CLOSED:
        signup.next_action_on = None
    _audit(session, user, signup, "moving.status_changed", previous=previous, status=target,
           comment=signup.stop_reason if target == Status.STOPPED else "")  # fmt: skip
    return None


def assign(session: Session, user: StaffUser, signup: MovingSignup, broker_id: int | None) -> bool:
    """Assign the case to a broker of the same corporation (None: unassign)."""
    if broker_id is not None:
        broker = session.get(StaffUser, broker_id)
        if (
            broker is None
            or broker.corporation_id != signup.corporation_id
            or broker.role != Role.BROKER
            or not broker.active
        ):
            return False
    previous = signup.broker_id
    if broker_id != previous:
        signup.reminded_for = None  # the new broker gets the reminder for a planned action
    signup.broker_id = broker_id
    _audit(session, user, signup, "moving.assigned", previous=previous, broker=broker_id)
    return True


def set_next_action(
    session: Session, user: StaffUser, signup: MovingSignup, on: date | None, note: str
) -> None:
    if on != signup.next_action_on:
        signup.reminded_for = None
    signup.next_action_on, signup.next_action_note = on, note
    _audit(session, user, signup, "moving.next_action_set", on=on)


def add_note(session: Session, user: StaffUser, signup: MovingSignup, body: str) -> SignupNote:
    note = SignupNote(signup_id=signup.id or 0, author_id=user.id or 0, body=body)
    session.add(note)
    session.flush()
    _audit(session, user, signup, "moving.note_added", note=note.id)
    return note


def notes(session: Session, signup: MovingSignup) -> list[tuple[SignupNote, str]]:
    rows = session.exec(
        select(SignupNote, StaffUser)
        .join(StaffUser, col(StaffUser.id) == SignupNote.author_id)
        .where(SignupNote.signup_id == signup.id)
        .order_by(col(SignupNote.id).desc())
    ).all()
    return [(note, author.name) for note, author in rows]


def link_tenancy(
    session: Session, user: StaffUser, signup: MovingSignup, tenancy_code: str
) -> bool:
    """Link a sign-up made without a code to a tenancy of the same corporation."""
    tenancy = session.exec(
        select(Tenancy).where(
            Tenancy.corporation_id == signup.corporation_id, Tenancy.code == tenancy_code
        )
    ).first()
    if tenancy is None:
        return False
    signup.tenancy_id = tenancy.id
    _audit(session, user, signup, "moving.tenancy_linked", tenancy=tenancy.id)
    return True


def erase_care_needs(session: Session, user: StaffUser, signup: MovingSignup) -> bool:
    """The assigned broker erases the care needs (the tenant withdrew consent)."""
    needs = care_needs_for(session, user, signup)
    if needs is None:
        return False
    session.delete(needs)
    _audit(session, user, signup, "moving.care_needs_erased")
    return True


def report_facts(session: Session, corporation_id: int) -> list[SignupFacts]:
    rows = session.exec(
        select(MovingSignup).where(MovingSignup.corporation_id == corporation_id)
    ).all()
    return [SignupFacts(to_local(s.created_at).date(), s.moved_on, s.rooms) for s in rows]


def history(session: Session, signup: MovingSignup) -> list[tuple[AuditEvent, str]]:
    """The audited changes of a case, newest first, with the staff member's name."""
    events = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.corporation_id == signup.corporation_id,
            AuditEvent.object_type == OBJECT,
            AuditEvent.object_id == str(signup.id),
        )
        .order_by(col(AuditEvent.id).desc())
    ).all()
    staff_ids = {int(e.actor.split(":")[1]) for e in events if e.actor.startswith("staff:")}
    names = {
        user.id: user.name
        for user in session.exec(select(StaffUser).where(col(StaffUser.id).in_(staff_ids))).all()
    }
    result = []
    for event in events:
        kind, _sep, ident = event.actor.partition(":")
        name = names.get(int(ident), "") if kind == "staff" and ident.isdigit() else ""
        result.append((event, name))
    return result
