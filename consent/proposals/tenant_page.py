"""The tenant's proposal page from one query, and its tenant-independent part rendered once.

``find`` checks the session's code for the proposal (the rule of
``access_codes.tenant.require_code``) and reads, in the same SELECT, the household's
address, the proposal, its translation in the reader's language, whether the household
votes, its counted choice, and a fingerprint of the proposal's documents and questions.

``content_html`` renders the proposal's content and Q&A (templates/proposals/
tenant_content.html) once per *content version* and keeps it in a small bounded cache.
The version is the content itself: every proposal field the fragment shows (with its
``updated_at``), the translation row, the fingerprint, the language and the site address.
Measures and rent changes are only written together with the proposal's own fields
(``service.update_proposal``, which sets ``updated_at``). Documents and questions are only
added or removed, never edited in place: every change alters their number or their
newest ``created_at``. Before voting opens the number of homes (for the 70% rule) is read
live from the register, so those pages are not cached."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from markupsafe import Markup
from sqlalchemy import String, and_, bindparam, case, func, literal_column, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from consent.access_codes.models import AccessCode, Purpose
from consent.access_codes.tenant import MAX_CODES, still_valid
from consent.db import DriverSelect
from consent.housing.models import Tenancy, Unit
from consent.i18n import LANGUAGES
from consent.proposals.content import SOURCE_LANGUAGE, Content
from consent.proposals.inputs import TEXT_FIELDS
from consent.proposals.models import (
    Ballot,
    Proposal,
    ProposalAttachment,
    ProposalQuestion,
    ProposalText,
    ProposalVoter,
)
from consent.templating import FragmentCache

# A session holds at most MAX_CODES codes: one parameter each (0 for an empty one, no id)
# keeps the statement the same for every request.
_CODE_SLOTS = tuple(f"code_{i}" for i in range(MAX_CODES))
# The proposal fields the tenant-independent fragment shows (besides the text fields).
SHOWN_FIELDS = ("planned_start", "planned_end", "working_days", "stay_home",
                "moving_allowance_cents", "energy_change_cents", "homes", "eligibility_date",
                "opens_at", "updated_at")  # fmt: skip


@dataclass(frozen=True)
class Address:
    street: str
    number: int
    letter: str
    addition: str
    postcode: str
    town: str

    @property
    def address(self) -> str:
        return Unit.address.fget(self)  # type: ignore[attr-defined,no-any-return]


@dataclass(frozen=True)
class TenantPage:
    """What the page shows for one household, and the key of its tenant-independent part."""

    tenancy_id: int
    proposal_id: int
    corporation_id: int
    status: str
    opens_at: datetime
    closes_at: datetime
    homes: int | None
    language: str  # the reader's language
    content: Content
    unit: Address
    is_voter: bool
    choice: str | None  # the counted ballot's choice
    content_version: tuple[Hashable, ...]


def _fingerprint(model: Any, *columns: Any) -> list[ColumnElement[Any]]:
    where = col(model.proposal_id) == col(Proposal.id)
    return [
        select(func.count()).select_from(model).where(where).scalar_subquery(),
        *(select(func.max(column)).where(where).scalar_subquery() for column in columns),
    ]


def _household(language: ColumnElement[str]) -> list[Any]:
    """The columns that depend on the household (or change with every vote)."""
    unit = ("street", "number", "letter", "addition", "postcode", "town")
    return [
        col(Tenancy.id),
        language.label("language"),
        *(col(getattr(Unit, name)) for name in unit),
        col(Proposal.corporation_id),
        col(Proposal.status),
        col(Proposal.closes_at),
        col(ProposalVoter.id).label("voter_id"),
        col(Ballot.choice),
    ]


def _content_columns() -> list[Any]:
    """Everything the tenant-independent fragment shows, or a fingerprint of it."""
    return [
        col(Proposal.id).label("proposal_id"),
        *(col(getattr(Proposal, name)) for name in (*TEXT_FIELDS, *SHOWN_FIELDS)),
        col(ProposalText.updated_at).label("translation_updated_at"),
        *(col(getattr(ProposalText, name)).label(f"translated_{name}") for name in TEXT_FIELDS),
        *_fingerprint(ProposalAttachment, ProposalAttachment.created_at),
        *_fingerprint(ProposalQuestion, ProposalQuestion.created_at),
    ]


@cache
def _statement(chosen: bool) -> tuple[DriverSelect, int]:
    """The page's SELECT (built once per kind of language choice; the values are bound),
    and the position of its first content column."""
    language = _language(chosen)
    household = _household(language)
    statement = (
        select(*household, *_content_columns())
        .select_from(AccessCode)
        .join(Tenancy, col(Tenancy.id) == col(AccessCode.tenancy_id))
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .outerjoin(
            Proposal,
            and_(
                col(Proposal.id) == col(AccessCode.object_id),
                col(Proposal.corporation_id) == col(AccessCode.corporation_id),
            ),
        )
        .outerjoin(
            ProposalText,
            and_(
                col(ProposalText.proposal_id) == col(Proposal.id),
                col(ProposalText.language) == language,
            ),
        )
        .outerjoin(ProposalVoter, _of_household(ProposalVoter))
        .outerjoin(Ballot, _of_household(Ballot))
        .where(
            *still_valid([bindparam(slot) for slot in _CODE_SLOTS], bindparam("now")),
            col(AccessCode.purpose) == Purpose.PROPOSAL.value,
            col(AccessCode.object_id) == bindparam("proposal_id"),
        )
        .order_by(col(AccessCode.id))
        .limit(1)
    )
    return DriverSelect(statement), len(household)


def _of_household(model: Any) -> ColumnElement[bool]:
    """The join condition of a row of this proposal and this household."""
    return and_(
        col(model.proposal_id) == col(Proposal.id), col(model.tenancy_id) == col(Tenancy.id)
    )


def _language(chosen: bool) -> ColumnElement[str]:
    """The reader's language: chosen on this device, else the tenancy's own, else ``lang``."""
    lang = bindparam("lang", type_=String)
    if chosen:
        return lang
    # The languages written out (no list parameter): the statement's SQL never changes.
    known = or_(*(col(Tenancy.language) == literal_column(f"'{code}'") for code in LANGUAGES))
    return case((known, col(Tenancy.language)), else_=lang)


def _content(row: Any) -> Content:
    dutch = {name: getattr(row, name) for name in TEXT_FIELDS}
    if row.language == SOURCE_LANGUAGE:
        return Content(SOURCE_LANGUAGE, True, dutch)
    if not row.translated_title:  # no translation (or an empty one): Dutch
        return Content(SOURCE_LANGUAGE, False, dutch)
    fields = {name: getattr(row, f"translated_{name}") or dutch[name] for name in TEXT_FIELDS}
    return Content(row.language, True, fields)


class NotFound(Exception):
    """The code is valid, but its proposal is gone or belongs to another corporation."""


def find(
    connection: Connection,
    code_ids: list[int],
    proposal_id: int,
    *,
    language: str,
    chosen: bool,
    now: datetime,
    site: str,
) -> TenantPage | None:
    """The page of the household whose still-valid code (one of ``code_ids``) opens this
    proposal; None when there is no such code. The reader's language is ``language`` when
    it was ``chosen`` on this device, else the tenancy's own (when it has a valid one).
    ``site`` is the address links are made with. Raises NotFound for a missing proposal."""
    if not code_ids:
        return None
    codes = dict(zip(_CODE_SLOTS, [*code_ids[-MAX_CODES:], *[0] * MAX_CODES], strict=False))
    values = {**codes, "now": now, "proposal_id": proposal_id, "lang": language}
    statement, start = _statement(chosen)
    row = statement.first(connection, values)
    if row is None:
        return None
    if row.proposal_id is None:
        raise NotFound
    content = _content(row)
    version = (connection.engine, site, row.language, tuple(row[start:]))
    return TenantPage(
        tenancy_id=row.id,
        proposal_id=row.proposal_id,
        corporation_id=row.corporation_id,
        status=row.status,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        homes=row.homes,
        language=row.language,
        content=content,
        unit=Address(row.street, row.number, row.letter, row.addition, row.postcode, row.town),
        is_voter=row.voter_id is not None,
        choice=row.choice,
        content_version=version,
    )


fragments = FragmentCache(size=128)
_vote_fields = FragmentCache(size=32)


def content_html(page: TenantPage, render: Callable[[], str]) -> Markup:
    """The page's tenant-independent part: from the cache once voting has opened."""
    if page.homes is None:
        return Markup(render())  # noqa: S704 - rendered by the autoescaping environment
    return fragments.get(page.content_version, render)


def vote_fields_html(
    language: str, values: dict[str, str], errors: dict[str, str], render: Callable[[], str]
) -> Markup:
    """The vote form's fields: once per language and checked choice, unless the form
    shows errors or a comment."""
    if errors or values.get("comment"):
        return Markup(render())  # noqa: S704 - rendered by the autoescaping environment
    return _vote_fields.get((language, values.get("choice", "")), render)
