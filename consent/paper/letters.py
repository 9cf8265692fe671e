"""The letters about a proposal: one per eligible tenancy, with a fresh personal code.

A personal code exists in plain text only when it is issued, so making letters issues
a new code for every tenancy printed (``access_codes.service.issue``, which the
proposal domain's ``codes.issue_missing`` also uses). Printing letters again therefore
REVOKES the codes printed before: only the newest letter's code works.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from consent.access_codes.models import Purpose
from consent.access_codes.service import issue
from consent.audit.service import record
from consent.housing.models import Complex, Corporation, Tenancy, Tenant, Unit
from consent.i18n import LANGUAGES, format_date, lazy_gettext, use_locale
from consent.i18n import gettext as _
from consent.paper import qr
from consent.paper.pdf import LetterJob
from consent.paper.rules import form_code
from consent.proposals import content, electorate, rules
from consent.proposals.content import Content
from consent.proposals.models import Ballot, Proposal
from consent.proposals.service import ProposalError
from consent.settings import Settings
from consent.timeutil import to_local, utcnow

TEMPLATE = "proposal_letter"


@dataclass(frozen=True)
class Household:
    tenancy: Tenancy
    unit: Unit
    names: list[str]


def names_of(session: Session, tenancy_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not tenancy_ids:
        return found
    rows = session.exec(
        select(Tenant).where(col(Tenant.tenancy_id).in_(tenancy_ids)).order_by(col(Tenant.position))
    )
    for tenant in rows:
        found.setdefault(tenant.tenancy_id, []).append(tenant.name)
    return found


def households(session: Session, pairs: list[tuple[int, int]]) -> list[Household]:
    """(unit id, tenancy id) pairs as households, sorted by postcode and address."""
    tenancy_ids = [t for _u, t in pairs]
    tenancies = {
        t.id: t for t in session.exec(select(Tenancy).where(col(Tenancy.id).in_(tenancy_ids))).all()
    }
    units = {
        u.id: u
        for u in session.exec(select(Unit).where(col(Unit.id).in_([u for u, _t in pairs]))).all()
    }
    names = names_of(session, tenancy_ids)
    found = [Household(tenancies[t], units[u], names.get(t, [])) for u, t in pairs]
    found.sort(key=lambda h: (h.unit.postcode, h.unit.street, h.unit.number, h.unit.letter,
                              h.unit.addition))  # fmt: skip
    return found


def voters(
    session: Session, proposal: Proposal, *, reminder: bool = False
) -> list[tuple[int, int]]:
    """(unit id, tenancy id) of every tenancy that gets a letter."""
    pairs = electorate.current(session, proposal, to_local(utcnow()).date()).voters
    if not reminder:
        return pairs
    voted = set(
        session.exec(select(Ballot.tenancy_id).where(Ballot.proposal_id == proposal.id)).all()
    )
    return [(u, t) for u, t in pairs if t not in voted]


def deadline_text(moment: datetime) -> str:
    local = to_local(moment)
    return _("%(date)s om %(time)s", date=format_date(local), time=local.strftime("%H:%M"))


def invitation_context(
    *,
    settings: Settings,
    proposal: Proposal,
    corporation: Corporation,
    complex_: Complex,
    text: Content,
    household: Household,
    code: str,
    reminder: bool,
    now: datetime,
) -> dict[str, Any]:
    """What one letter says, formatted in the locale in use (plain JSON values)."""
    unit = household.unit
    pid, tid = proposal.id or 0, household.tenancy.id or 0
    with use_locale("nl"):
        agree_nl, disagree_nl = _("Ik ga akkoord"), _("Ik ga niet akkoord")
    return {
        "reminder": reminder,
        "corporation": corporation.name,
        "help_phone": corporation.help_phone,
        "complex": complex_.name,
        "names": household.names,
        "address_lines": [unit.address, f"{unit.postcode} {unit.town}"],
        "reference": household.tenancy.code,
        "letter_date_text": format_date(to_local(now).date()),
        "title": text.title,
        "summary": text.summary,
        "translated": text.translated,
        "content_language": text.language,
        "deadline_text": deadline_text(proposal.closes_at),
        "code": code,
        "link": qr.link_for_code(settings.base_url, code),
        "form_code": form_code(settings.secret_key, pid, tid),
        "choice_agree": _("Ik ga akkoord"),
        "choice_disagree": _("Ik ga niet akkoord"),
        "choice_agree_nl": agree_nl,
        "choice_disagree_nl": disagree_nl,
    }


@dataclass
class LetterBatch:
    """The letters to make: iterate to issue each code and get its letter, in order.

    Codes are issued while iterating, in the caller's transaction; the caller commits
    (the letter job commits in steps while the letters render, see consent.paper.make).
    """

    session: Session
    settings: Settings
    proposal: Proposal
    actor: str
    households: list[Household]
    reminder: bool
    language: str | None
    now: datetime

    def __len__(self) -> int:
        return len(self.households)

    def __iter__(self) -> Iterator[LetterJob]:
        proposal = self.proposal
        corporation = self.session.get(Corporation, proposal.corporation_id)
        complex_ = self.session.get(Complex, proposal.complex_id)
        assert corporation is not None and complex_ is not None
        texts: dict[str, Content] = {}
        for household in self.households:
            lang = self.language or household.tenancy.language
            lang = lang if lang in LANGUAGES else "nl"
            if lang not in texts:
                texts[lang] = content.content_for(self.session, proposal, lang)
            code = issue(
                self.session,
                self.settings,
                corporation_id=proposal.corporation_id,
                tenancy_id=household.tenancy.id or 0,
                purpose=Purpose.PROPOSAL,
                object_id=proposal.id,
                actor=self.actor,
            )
            with use_locale(lang):
                context = invitation_context(
                    settings=self.settings, proposal=proposal, corporation=corporation,
                    complex_=complex_, text=texts[lang], household=household, code=code,
                    reminder=self.reminder, now=self.now,
                )  # fmt: skip
            yield LetterJob(TEMPLATE, lang, context)
        record(
            self.session,
            actor=self.actor,
            action="paper.letters_made",
            object_type="proposal",
            object_id=proposal.id,
            corporation_id=proposal.corporation_id,
            details={"letters": len(self.households), "reminder": self.reminder,
                     "language": self.language},
        )  # fmt: skip


PROBLEMS = {
    "finished": lazy_gettext("De stemming is voorbij: er zijn geen brieven meer nodig"),
    "not_open": lazy_gettext("Een herinnering kan alleen als de stemming open is"),
}


def batch_problem(proposal: Proposal, reminder: bool) -> str:
    """Why no letters can be made now (a key of PROBLEMS), or ''."""
    if proposal.status in rules.FINISHED:
        return "finished"
    if reminder and proposal.status != rules.Status.OPEN:
        return "not_open"
    return ""


def letter_batch(
    session: Session,
    settings: Settings,
    proposal: Proposal,
    actor: str,
    *,
    tenancy_ids: set[int] | None = None,
    reminder: bool = False,
    language: str | None = None,
    now: datetime | None = None,
) -> LetterBatch:
    """The letters for a proposal: every eligible tenancy, or the reminder's non-voters.

    ``tenancy_ids`` limits the letters (one household's letter on request); ``language``
    overrides the tenancy's language (a letter asked for in another language).
    """
    problem = batch_problem(proposal, reminder)
    if problem:
        raise ProposalError(str(PROBLEMS[problem]))
    pairs = voters(session, proposal, reminder=reminder)
    if tenancy_ids is not None:
        pairs = [(u, t) for u, t in pairs if t in tenancy_ids]
    found = households(session, pairs)
    return LetterBatch(session, settings, proposal, actor, found, reminder, language,
                       now or utcnow())  # fmt: skip
