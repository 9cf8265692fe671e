"""Page contexts for the paper pages (read-only queries, no Starlette)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from consent.accounts.models import Role, StaffUser
from consent.housing.models import Corporation
from consent.i18n import LANGUAGES
from consent.i18n import lazy_gettext as _l
from consent.outbox.models import OutboxMessage
from consent.outbox.service import pending_letters
from consent.paper import entries, letters, review, rules, runs
from consent.paper.models import LetterRun, PaperEntry
from consent.proposals import labels, results, service
from consent.proposals import rules as proposal_rules
from consent.proposals.models import Proposal

RULE_TEXT = _l(
    "De stem met de laatste datum telt. Bij een formulier is dat de datum van de "
    "handtekening, online het moment van stemmen. Een formulier heeft geen tijd: het telt "
    "vanaf het begin van die dag. Stemde iemand dezelfde dag ook online, dan telt de online "
    "stem. Een oudere stem wordt bewaard, maar telt niet."
)
RECENT_RUNS = 5
TEMPLATE_LABELS = {
    "proposal_notice": _l("Uitslag van de stemming (8 weken om naar de rechter te gaan)"),
    "rent_reduction_more_info": _l("Huurverlaging: vraag om meer informatie"),
    "rent_reduction_decision": _l("Huurverlaging: besluit"),
    "code_request": _l("Nieuwe persoonlijke code"),
}


def can_write(user: StaffUser) -> bool:
    return user.role in (Role.PROJECT_LEADER, Role.ADMIN)


def printable(session: Session, user: StaffUser) -> list[OutboxMessage]:
    """Letters waiting to be printed that this user's role prints, oldest first (not
    those already in a PDF that is being made or waits to be confirmed posted)."""
    held = runs.held_messages(session, user.corporation_id)
    return [
        m
        for m in pending_letters(session, user.corporation_id)
        if rules.may_print(user.role, m.template) and m.id not in held
    ]


def four_eyes(session: Session, corporation_id: int) -> bool:
    corporation = session.get(Corporation, corporation_id)
    return bool(corporation and corporation.paper_four_eyes)


def base_context(session: Session, user: StaffUser, proposal: Proposal) -> dict[str, Any]:
    return {
        "proposal": proposal,
        "complex": service.complex_of(session, proposal),
        "can_write": can_write(user),
        "is_open": proposal.status == proposal_rules.Status.OPEN,
        "finished": proposal.status in proposal_rules.FINISHED,
        "status_labels": labels.STATUS,
        "choice_labels": labels.CHOICE,
        "channel_labels": labels.CHANNEL,
        "rule_text": RULE_TEXT,
    }


def hub_context(session: Session, user: StaffUser, proposal: Proposal) -> dict[str, Any]:
    context = base_context(session, user, proposal)
    pid = proposal.id or 0
    finished = context["finished"]
    options: list[tuple[str, str]] = []
    if context["can_write"] and not finished:
        for h in letters.households(session, letters.voters(session, proposal)):
            label = f"{h.unit.address}, {h.unit.postcode} {h.unit.town}"
            options.append(
                (h.tenancy.code, f"{label} – {', '.join(h.names)}" if h.names else label)
            )
    corporation = session.get(Corporation, proposal.corporation_id)
    context |= {
        "households": options,
        "language_options": [("", str(_l("De taal van het huishouden"))), *LANGUAGES.items()],
        "letters_waiting": len(printable(session, user)) if context["can_write"] else 0,
        "waiting": len(entries.waiting(session, pid)) if context["can_write"] else 0,
        "certificate": finished and results.result_of(session, pid) is not None,
        "four_eyes": bool(corporation and corporation.paper_four_eyes),
        "help_phone": corporation.help_phone if corporation else "",
        **runs_context(session, recent_runs(session, proposal.corporation_id, proposal_id=pid)),
        "errors": {},
        "values": {},
    }
    return context


def entry_context(
    session: Session, user: StaffUser, proposal: Proposal, saved: PaperEntry | None = None
) -> dict[str, Any]:
    context = base_context(session, user, proposal)
    pid = proposal.id or 0
    context |= {
        "four_eyes": four_eyes(session, proposal.corporation_id),
        "waiting": entries.waiting(session, pid),
        "saved": saved,
        "saved_unit": None,
        "match": None,
        "errors": {},
        "values": {},
        "staff_names": staff_names(session, user.corporation_id),
        "channels": [(c, labels.CHANNEL[c]) for c in rules.ENTRY_CHANNELS],
        "choices": [(c, labels.CHOICE[c]) for c in ("agree", "disagree")],
    }
    return context


def staff_names(session: Session, corporation_id: int) -> dict[int, str]:
    rows = session.exec(
        select(StaffUser.id, StaffUser.name, StaffUser.email).where(
            StaffUser.corporation_id == corporation_id
        )
    ).all()
    return {int(i or 0): name or email for i, name, email in rows}


def saved_entry(session: Session, proposal: Proposal, raw: str) -> PaperEntry | None:
    if not raw.isdigit():
        return None
    entry = session.get(PaperEntry, int(raw))
    return entry if entry is not None and entry.proposal_id == proposal.id else None


def recent_runs(session: Session, corporation_id: int, **where: Any) -> list[LetterRun]:
    """The latest letter runs (of a proposal, or of a kind), newest first."""
    query = select(LetterRun).where(LetterRun.corporation_id == corporation_id)
    for field, value in where.items():
        query = query.where(getattr(LetterRun, field) == value)
    return list(session.exec(query.order_by(col(LetterRun.id).desc()).limit(RECENT_RUNS)).all())


def runs_context(session: Session, found: list[LetterRun]) -> dict[str, Any]:
    """What the lists of letter runs show (labels, who asked)."""
    corporation_ids = {run.corporation_id for run in found}
    names = staff_names(session, next(iter(corporation_ids))) if corporation_ids else {}
    return {
        "runs": found,
        "run_kinds": runs.KIND_LABELS,
        "run_statuses": runs.STATUS_LABELS,
        "staff_names": names,
    }


def run_context(session: Session, run: LetterRun) -> dict[str, Any]:
    proposal = session.get(Proposal, run.proposal_id) if run.proposal_id else None
    names = staff_names(session, run.corporation_id)
    return {
        "run": run,
        "proposal": proposal,
        "kind_label": runs.KIND_LABELS[run.kind],
        "status_label": runs.STATUS_LABELS[run.status],
        "error": runs.ERRORS.get(run.error, "") if run.error else "",
        "requested_by": names.get(run.requested_by, ""),
        "posted_by": names.get(run.posted_by or 0, ""),
        "active": run.status in runs.ACTIVE,
        "kept_days": runs.PDF_KEPT.days,
        "errors": {},
    }


def conflicts_context(session: Session, user: StaffUser, proposal: Proposal) -> dict[str, Any]:
    context = base_context(session, user, proposal)
    found = review.conflicts(session, proposal.id or 0)
    context["conflicts"] = [(c, review.counted_event(c)) for c in found]
    return context
