"""The moving domain's due job: remind brokers on a case's next-action date."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import col, select
from starlette.routing import Router

from consent.accounts.models import StaffUser
from consent.audit.service import record
from consent.db import session_scope
from consent.i18n import format_date, use_locale
from consent.jobs import register
from consent.moving.labels import STATUSES
from consent.moving.models import MovingSignup
from consent.moving.rules import CLOSED
from consent.moving.service import OBJECT, today
from consent.outbox.service import enqueue
from consent.settings import Settings

TEMPLATE = "moving_reminder"


def case_link(settings: Settings, signup_id: int) -> str:
    from consent.moving.routes import routes

    return settings.base_url + Router(routes=routes).url_path_for(
        "moving_case", signup_id=signup_id
    )


def queue_reminders(engine: Engine, settings: Settings, on: date | None = None) -> int:
    """Queue one email per open, assigned case whose next-action date has come."""
    day = on or today()
    queued = 0
    with session_scope(engine) as session:
        rows = session.exec(
            select(MovingSignup, StaffUser)
            .join(StaffUser, col(StaffUser.id) == MovingSignup.broker_id)
            .where(
                col(MovingSignup.next_action_on) <= day,
                col(MovingSignup.reminded_for).is_(None),
                col(MovingSignup.status).not_in(CLOSED),
                col(StaffUser.active).is_(True),
            )
            .order_by(col(MovingSignup.id))
        ).all()
        for signup, broker in rows:
            assert signup.next_action_on is not None and signup.id is not None
            with use_locale(broker.language):
                context = {
                    "name": broker.name,
                    "signup_id": signup.id,
                    "date_text": format_date(signup.next_action_on),
                    "status_text": str(STATUSES.get(signup.status, signup.status)),
                    "note": signup.next_action_note,
                    "link": case_link(settings, signup.id),
                }
            enqueue(
                session, corporation_id=signup.corporation_id, recipient=broker.email,
                language=broker.language, template=TEMPLATE, context=context,
            )  # fmt: skip
            signup.reminded_for = signup.next_action_on
            session.add(signup)
            record(
                session, actor="job", action="moving.reminder_queued", object_type=OBJECT,
                object_id=signup.id, corporation_id=signup.corporation_id,
                details={"broker": broker.id, "on": signup.next_action_on},
            )  # fmt: skip
            queued += 1
    return queued


@register
def moving_reminders(engine: Engine, settings: Settings) -> str:
    return f"moving: {queue_reminders(engine, settings)} reminders queued"
