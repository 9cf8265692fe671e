"""Translations and questions-and-answers of a proposal; the text a reader sees.

Dutch, stored on the proposal itself, is the source and the binding text. A
translation may leave fields empty: those fields show in Dutch.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from consent.audit.service import record
from consent.i18n import gettext as _
from consent.proposals.inputs import MAX_TEXT, MAX_TITLE, TEXT_FIELDS
from consent.proposals.models import Proposal, ProposalQuestion, ProposalText
from consent.proposals.service import ProposalError
from consent.timeutil import utcnow

SOURCE_LANGUAGE = "nl"
TRANSLATION_LANGUAGES = ("en", "tr", "ar", "pl", "uk")


@dataclass(frozen=True)
class Content:
    """The proposal's text in one language, with Dutch filling the gaps."""

    language: str  # the language of the text shown
    translated: bool  # a translation into the reader's language exists
    fields: dict[str, str]

    def __getattr__(self, name: str) -> str:
        try:
            return self.fields[name]
        except KeyError:
            raise AttributeError(name) from None


def translation(session: Session, proposal_id: int, language: str) -> ProposalText | None:
    return session.exec(
        select(ProposalText).where(
            ProposalText.proposal_id == proposal_id, ProposalText.language == language
        )
    ).first()


def translated_languages(session: Session, proposal_id: int) -> list[str]:
    rows = session.exec(
        select(ProposalText.language).where(ProposalText.proposal_id == proposal_id)
    ).all()
    return sorted(rows)


def content_for(session: Session, proposal: Proposal, language: str) -> Content:
    dutch = {name: getattr(proposal, name) for name in TEXT_FIELDS}
    if language == SOURCE_LANGUAGE:
        return Content(SOURCE_LANGUAGE, True, dutch)
    found = translation(session, proposal.id or 0, language)
    if found is None or not found.title:
        return Content(SOURCE_LANGUAGE, False, dutch)
    fields = {name: getattr(found, name) or dutch[name] for name in TEXT_FIELDS}
    return Content(language, True, fields)


def save_translation(
    session: Session, proposal: Proposal, language: str, fields: dict[str, str], actor: str
) -> dict[str, str]:
    """Store a translation; returns errors (empty when saved)."""
    if language not in TRANSLATION_LANGUAGES:
        raise ProposalError(_("Voor deze taal kunt u geen vertaling maken"))
    errors: dict[str, str] = {}
    if not fields.get("title"):
        errors["title"] = _("Vul de vertaalde titel in")
    elif len(fields["title"]) > MAX_TITLE:
        errors["title"] = _("De titel is te lang (hoogstens %(n)s tekens)", n=MAX_TITLE)
    for name in TEXT_FIELDS[1:]:
        if len(fields.get(name, "")) > MAX_TEXT:
            errors[name] = _("Deze tekst is te lang (hoogstens %(n)s tekens)", n=MAX_TEXT)
    if errors:
        return errors
    row = translation(session, proposal.id or 0, language) or ProposalText(
        proposal_id=proposal.id or 0, language=language
    )
    for name in TEXT_FIELDS:
        setattr(row, name, fields.get(name, ""))
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="proposal.translation_saved",
        object_type="proposal",
        object_id=proposal.id,
        corporation_id=proposal.corporation_id,
        details={"language": language},
    )
    return {}


def questions(
    session: Session, proposal_id: int, language: str | None = None
) -> list[ProposalQuestion]:
    """Q&A in ``language`` when there are any, else in Dutch; every one when None."""
    query = select(ProposalQuestion).where(ProposalQuestion.proposal_id == proposal_id)
    rows = list(session.exec(query.order_by(col(ProposalQuestion.position))).all())
    if language is None:
        return rows
    own = [q for q in rows if q.language == language]
    return own or [q for q in rows if q.language == SOURCE_LANGUAGE]


def add_question(
    session: Session, proposal: Proposal, question: str, answer: str, language: str, actor: str
) -> ProposalQuestion:
    if not question or not answer:
        raise ProposalError(_("Vul een vraag en een antwoord in"), "question")
    if language not in (SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES):
        raise ProposalError(_("Kies een taal"), "question_language")
    position = session.exec(
        select(func.coalesce(func.max(ProposalQuestion.position), 0)).where(
            ProposalQuestion.proposal_id == proposal.id
        )
    ).one()
    row = ProposalQuestion(
        proposal_id=proposal.id or 0,
        language=language,
        position=int(position) + 1,
        question=question[:500],
        answer=answer[:MAX_TEXT],
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="proposal.question_added",
        object_type="proposal",
        object_id=proposal.id,
        corporation_id=proposal.corporation_id,
        details={"question_id": row.id, "language": language},
    )
    return row


def remove_question(session: Session, proposal: Proposal, question_id: int, actor: str) -> None:
    row = session.get(ProposalQuestion, question_id)
    if row is None or row.proposal_id != proposal.id:
        raise ProposalError(_("Deze vraag bestaat niet"))
    session.delete(row)
    record(
        session,
        actor=actor,
        action="proposal.question_removed",
        object_type="proposal",
        object_id=proposal.id,
        corporation_id=proposal.corporation_id,
        details={"question_id": question_id},
    )
