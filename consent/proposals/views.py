"""Page contexts for the staff pages (read-only queries, no Starlette)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from consent import rules_data
from consent.accounts.models import Role, StaffUser
from consent.proposals import (
    attachments,
    content,
    dashboard,
    electorate,
    labels,
    results,
    rules,
    service,
    workflow,
)
from consent.proposals.forms import measure_rows
from consent.proposals.models import Proposal
from consent.timeutil import to_local, utcnow


def can_write(user: StaffUser) -> bool:
    return user.role in (Role.PROJECT_LEADER, Role.ADMIN)


def labels_context() -> dict[str, Any]:
    return {
        "status_labels": labels.STATUS,
        "category_labels": labels.CATEGORY,
        "tag_labels": labels.TAG,
        "rule_labels": labels.COUNTING_RULE,
        "reason_labels": labels.EXCLUSION_REASON,
        "kind_labels": labels.UNIT_KIND,
        "choice_labels": labels.CHOICE,
        "channel_labels": labels.CHANNEL,
    }


def consultation_context(session: Session, proposal: Proposal) -> dict[str, Any]:
    started, received = proposal.consultation_started_at, proposal.advice_received_at
    today = to_local(utcnow()).date()
    return {
        "advice_weeks": rules_data.value_on(rules.ADVICE_WEEKS, today),
        "answer_days": rules_data.value_on(rules.ANSWER_DAYS, today),
        "has_committee": service.has_committee(session, proposal.complex_id),
        "advice_due": rules.advice_due(started) if started else None,
        "answer_due": (
            rules.answer_due(received) if received and proposal.advice_followed is False else None
        ),
    }


def content_context(session: Session, proposal: Proposal, language: str) -> dict[str, Any]:
    """What both the staff detail page and the tenant page show of the proposal."""
    pid = proposal.id or 0
    return {
        "proposal": proposal,
        "content": content.content_for(session, proposal, language),
        "measures": service.measures_of(session, pid),
        "rent_changes": service.rent_changes_of(session, pid),
        "attachments": attachments.list_of(session, pid),
        "presumption": results.presumption(session, proposal),
        **labels_context(),
    }


def detail_context(
    session: Session, user: StaffUser, proposal: Proposal, now: datetime | None = None
) -> dict[str, Any]:
    now = now or utcnow()
    pid = proposal.id or 0
    writer = can_write(user)
    current = electorate.current(session, proposal, to_local(now).date())
    context = content_context(session, proposal, "nl")
    context |= consultation_context(session, proposal)
    context |= {
        "complex": service.complex_of(session, proposal),
        "insulation_since": service.insulation_warning(session, proposal),
        "view": dashboard.tally_view(session, proposal, now),
        "can_write": writer,
        "editable": writer and rules.can_edit(proposal.status),
        "steps": workflow.available_steps(session, proposal, now) if writer else set(),
        "excluded": current.excluded,
        "homes": current.homes,
        "units": electorate.unit_codes(session, proposal) if writer else [],
        "questions": content.questions(session, pid),
        "translations": content.translated_languages(session, pid),
        "translation_languages": content.TRANSLATION_LANGUAGES,
        "before_voting": proposal.status in rules.BEFORE_VOTING,
        "finished": proposal.status in rules.FINISHED,
        "today": to_local(now).date().isoformat(),
        "errors": {},
        "values": {},
    }
    return context


def form_context(session: Session, user: StaffUser, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "values": values,
        "rows": measure_rows(values),
        "complex_options": [
            (c.code, f"{c.code} – {c.name}")
            for c in service.complexes_of(session, user.corporation_id)
        ],
        "categories": [(c.value, labels.CATEGORY[c.value]) for c in rules.Category],
        "tags": [(t.value, labels.TAG[t.value]) for t in rules.Tag],
        "rent_kinds": [(k, labels.UNIT_KIND[k]) for k in rules.RENT_KINDS],
        "rules": [(r, labels.COUNTING_RULE[r]) for r in labels.COUNTING_RULE],
    }
