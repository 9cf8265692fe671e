"""What the tenant and staff detail pages share: the page context and the initiator's actions."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from consent.initiatives import answers, attachments, labels, queries, rules, service, uploads
from consent.initiatives.models import Initiative, Status
from consent.measures import label
from consent.settings import Settings
from consent.timeutil import utcnow
from consent.web import text

# Path slug -> notice shown after it worked. Signing is handled apart (tenants only).
INITIATOR_ACTIONS = {
    "openen": "opened",
    "indienen": "submitted",
    "informatie": "info",
    "bijlage": "file",
}
FREE_TEXT = ("text", "reasons")  # the initiator's reply, the corporation's answer


def text_errors(form: FormData) -> dict[str, str]:
    """A message per free-text field of the detail page's forms that cannot be stored."""
    errors: dict[str, str] = {}
    for name in FREE_TEXT:
        text(form, name, answers.MAX_TEXT, errors)
    return errors


async def read_upload(form: FormData, name: str = "file") -> tuple[str, bytes] | None:
    """The uploaded file's name and bytes (at most one byte over the limit), or None."""
    value = form.get(name)
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    data = await value.read(uploads.MAX_BYTES + 1)
    return value.filename, data


def detail_context(
    session: Session,
    initiative: Initiative,
    *,
    is_initiator: bool,
    tenancy_id: int | None = None,
    staff_view: bool = False,
    can_answer: bool = False,
) -> dict[str, Any]:
    info = queries.detail(session, initiative, utcnow())
    status = initiative.status
    signed = tenancy_id is not None and queries.has_signed(session, initiative.id or 0, tenancy_id)
    return {
        "d": info,
        "status_label": labels.status,
        "measure_label": label,
        "is_initiator": is_initiator,
        "staff_view": staff_view,
        "has_signed": signed,
        "can_sign": tenancy_id is not None and status == Status.COLLECTING and not signed,
        "can_open": is_initiator and rules.can_collect(status, info.for_home),
        "can_submit": is_initiator
        and rules.can_move(status, Status.SUBMITTED)
        and status != Status.MORE_INFO_NEEDED,
        "can_reply": is_initiator and status == Status.MORE_INFO_NEEDED,
        "can_upload": is_initiator and status in rules.EDITABLE,
        "can_answer": can_answer and status in rules.ANSWERABLE,
        "where_next": info.overdue or status == Status.REJECTED,
    }


async def run_initiator_action(
    session: Session,
    settings: Settings,
    initiative: Initiative,
    action: str,
    form: FormData,
    *,
    actor: str,
) -> str:
    """Carry out one initiator action; returns the notice key.

    Raises service.InitiativeError or uploads.UploadError with a reason code.
    """
    initiative_id = initiative.id or 0
    if action == "openen":
        service.open_for_signing(session, settings, initiative_id, actor=actor)
    elif action == "indienen":
        service.submit(session, settings, initiative_id, actor=actor)
    elif action == "informatie":
        answers.give_info(
            session,
            settings,
            initiative_id,
            actor=actor,
            text=text(form, "text", answers.MAX_TEXT, {}),
        )
    elif action == "bijlage":
        upload = await read_upload(form)
        if upload is None:
            raise uploads.UploadError("empty")
        attachments.add(
            session, settings, initiative_id, filename=upload[0], data=upload[1], actor=actor
        )
    else:
        raise service.InitiativeError("not_found")
    return INITIATOR_ACTIONS[action]
