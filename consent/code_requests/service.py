"""A tenant without a code asks for one by address; the code goes to the contact details on file.

The caller must never tell the requester whether the address was found: `request_code`
returns how many codes were queued only for tests and logs.

Which object a code is for: purpose "initiative" -> the tenancy's complex (object_id =
complex id, the page of that complex's initiatives); "rent_reduction" and "moving" ->
object_id None (the tenant's own request). Proposal codes come only by letter from staff.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, col, select

from consent.access_codes import throttle
from consent.access_codes.models import Purpose
from consent.access_codes.service import issue
from consent.code_requests.rules import Address, part
from consent.code_requests.rules import postcode as normal_postcode
from consent.housing.models import Complex, Corporation, Tenancy, Tenant, Unit
from consent.outbox.service import enqueue
from consent.security import keyed_hash
from consent.settings import Settings
from consent.timeutil import utcnow

PURPOSES = (Purpose.INITIATIVE, Purpose.RENT_REDUCTION, Purpose.MOVING)
TEMPLATE = "code_request"
ACTOR = "code_request"
PER_ADDRESS = 3  # codes per address per throttle window: stops mail-bombing a household


def object_for(purpose: Purpose, unit: Unit, tenancy: Tenancy) -> int:
    """What the code opens: the complex for initiatives, else the tenancy's own page."""
    return unit.complex_id if purpose is Purpose.INITIATIVE else tenancy.id or 0


def matches(
    session: Session,
    *,
    corporation_id: int | None,
    postcode: str,
    number: int,
    letter: str,
    addition: str,
    today: date | None = None,
) -> list[tuple[Tenancy, Unit]]:
    """Current tenancies at this address, in every corporation unless one is given."""
    day = today or utcnow().date()
    query = (
        select(Tenancy, Unit)
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(
            Unit.postcode == postcode,
            Unit.number == number,
            col(Tenancy.start_date) <= day,
            or_(col(Tenancy.end_date).is_(None), col(Tenancy.end_date) > day),
        )
        .order_by(col(Tenancy.id))
    )
    if corporation_id is not None:
        query = query.where(Tenancy.corporation_id == corporation_id)
    found = session.exec(query).all()
    return [
        (tenancy, unit)
        for tenancy, unit in found
        if Address(unit.postcode, unit.number, unit.letter, unit.addition).matches(
            postcode, number, letter, addition
        )
    ]


def _deliver(
    session: Session, settings: Settings, tenancy: Tenancy, unit: Unit, purpose: Purpose, code: str
) -> None:
    corporation = session.get(Corporation, tenancy.corporation_id)
    complex_ = session.get(Complex, unit.complex_id)
    names = session.exec(
        select(Tenant.name).where(Tenant.tenancy_id == tenancy.id).order_by(col(Tenant.position))
    ).all()
    context = {
        "code": code,
        "purpose": purpose.value,
        "address": f"{unit.address}, {unit.postcode} {unit.town}",
        "complex_name": complex_.name if complex_ else "",
        "corporation": corporation.name if corporation else "",
        "names": ", ".join(names),
        "link": f"{settings.base_url}/",
        "valid_days": settings.code_valid_days,
    }
    channel = "email" if tenancy.email else "letter"
    recipient = tenancy.email or f"{', '.join(names)}, {context['address']}"
    enqueue(
        session,
        corporation_id=tenancy.corporation_id,
        recipient=recipient[:200],
        language=tenancy.language,
        template=TEMPLATE,
        context=context,
        channel=channel,
    )


def request_code(
    session: Session,
    settings: Settings,
    *,
    postcode: str,
    number: int,
    purpose: Purpose,
    letter: str = "",
    addition: str = "",
    corporation_id: int | None = None,
) -> int:
    """Issue and queue a code for every current tenancy at the address; returns the count.

    Email when the tenancy has an address, else a letter for staff to print. An ambiguous
    address (the same one at two corporations) gets a code from each. At most
    PER_ADDRESS requests per address per throttle window are honoured; more are ignored
    silently. Commits (the throttle counts in its own transaction, then the codes).
    """
    if purpose not in PURPOSES:
        raise ValueError(f"codes for {purpose.value} are not sent on request")
    normal = normal_postcode(postcode)
    if not normal:
        return 0
    key = keyed_hash(settings.secret_key, f"{normal}|{number}|{part(letter)}|{part(addition)}")
    if not throttle.hit(
        session, f"code-address:{key[:32]}", PER_ADDRESS, settings.throttle_window_seconds
    ):
        return 0
    found = matches(
        session,
        corporation_id=corporation_id,
        postcode=normal,
        number=number,
        letter=letter,
        addition=addition,
    )
    for tenancy, unit in found:
        code = issue(
            session,
            settings,
            corporation_id=tenancy.corporation_id,
            tenancy_id=tenancy.id or 0,
            purpose=purpose,
            object_id=object_for(purpose, unit, tenancy),
            actor=ACTOR,
        )
        _deliver(session, settings, tenancy, unit, purpose, code)
    session.commit()
    return len(found)
