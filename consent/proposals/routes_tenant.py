"""The tenant's pages (personal code, no account): the proposal, the vote, the receipt.

The pages only read, which never waits for a lock (SQLite's WAL readers, PostgreSQL's
snapshots), so they run on the event loop. Votes are written through a ``db.GroupCommit``:
the votes that arrive while one transaction is written are written together in the next
(``voting.cast_many``), so under load the proposal's lock is taken, and the transaction
committed, once for many votes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from consent import i18n
from consent.access_codes.tenant import tenant_sessions
from consent.db import GroupCommit, new_session, reader
from consent.proposals import attachments, content, results, rules, tenant_page, views, voting
from consent.proposals.models import Proposal
from consent.proposals.routes_staff import attachment_response
from consent.proposals.tally import Tally
from consent.proposals.tenant_page import TenantPage
from consent.templating import render, render_text, url_for
from consent.timeutil import utcnow
from consent.web import engine, text, token


def _page(request: Request, connection: Connection) -> TenantPage:
    """The household's view of the proposal, in the reader's language (set here)."""
    # Without a language chosen on this device, show the tenancy's own language.
    chosen = "lang" in request.query_params or i18n.COOKIE in request.cookies
    try:
        page = tenant_page.find(
            connection,
            tenant_sessions(request).code_ids,
            int(request.path_params["object_id"]),
            language=i18n.current(),
            chosen=chosen,
            now=utcnow(),
            site=str(request.base_url),
        )
    except tenant_page.NotFound:
        raise HTTPException(status_code=404) from None
    if page is None:
        raise HTTPException(status_code=403, detail="code")
    i18n.set_locale(page.language)
    return page


def _proposal(session: Session, page: TenantPage) -> Proposal:
    proposal = session.get(Proposal, page.proposal_id)
    if proposal is None:
        raise HTTPException(status_code=404)
    return proposal


def _content_html(request: Request, connection: Connection, page: TenantPage) -> str:
    """The proposal's content and Q&A (tenant-independent), rendered."""
    with Session(connection) as session:
        proposal = _proposal(session, page)
        context = views.content_context(session, proposal, page.language)
        context["questions"] = content.questions(session, page.proposal_id, page.language)
    env = request.app.state.templates
    links = url_for(request)
    return render_text(env, "proposals/tenant_content.html", url_for=links, **context)


def _tally(connection: Connection, page: TenantPage) -> Tally:
    with Session(connection) as session:
        return results.tally_for(session, _proposal(session, page))


def tenant_context(
    request: Request,
    connection: Connection,
    page: TenantPage,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The page's context; ``errors`` and ``values`` of a refused vote, else the vote cast."""
    now = utcnow()
    before = page.status in rules.BEFORE_VOTING
    is_voter = not before and page.is_voter
    is_open = page.status == rules.Status.OPEN
    window = rules.voting_window_open(page.opens_at, page.closes_at, now)
    finished = page.status in rules.FINISHED
    errors = errors or {}
    if values is None:
        values = {"choice": page.choice} if page.choice else {}
    env = request.app.state.templates
    choice_labels = views.labels_context()["choice_labels"]
    fields = {"choice_labels": choice_labels, "values": values, "errors": errors,
              "max_comment": voting.MAX_COMMENT}  # fmt: skip
    return {
        "page": page,
        "content": page.content,
        "unit": page.unit,
        "proposal_content": tenant_page.content_html(
            page, lambda: _content_html(request, connection, page)
        ),
        "vote_fields": tenant_page.vote_fields_html(
            page.language,
            values,
            errors,
            lambda: render_text(env, "proposals/tenant_vote_fields.html", **fields),
        ),
        "choice_labels": choice_labels,
        "is_voter": is_voter,
        "can_vote": is_open and window and is_voter,
        "not_yet": before or (is_open and now < page.opens_at),
        "too_late": is_open and now >= page.closes_at,
        "finished": finished,
        "choice": page.choice,
        "tally": _tally(connection, page) if finished else None,
        "errors": errors,
    }


@contextmanager
def _reading(request: Request) -> Iterator[Connection]:
    """A connection for reading only (see ``db.reader``)."""
    with reader(engine(request)).connect() as connection:
        yield connection


async def tenant_proposal(request: Request) -> Response:
    with _reading(request) as connection:
        page = _page(request, connection)
        context = tenant_context(request, connection, page)
        return render(request, "proposals/tenant.html", context)


async def tenant_vote(request: Request) -> Response:
    form = await request.form()
    errors: dict[str, str] = {}
    choice = token(form, "choice")
    comment = text(form, "comment", voting.MAX_COMMENT, errors)  # too long: an error, kept whole
    with _reading(request) as connection:
        page = _page(request, connection)
    status = 400
    if (refused := voting.choice_error(choice)) is not None:
        errors["choice"] = refused.message
    elif not errors:
        try:
            cast = voting.Cast(page.proposal_id, page.tenancy_id, choice,
                               f"tenancy:{page.tenancy_id}", comment=comment)  # fmt: skip
            await _votes(engine(request), cast)
        except voting.VotingError as exc:
            errors["choice"], status = exc.message, 409
    if errors:
        with _reading(request) as connection:
            page = _page(request, connection)  # as it is now (closed meanwhile, say)
            values = {"choice": choice, "comment": comment}
            context = tenant_context(request, connection, page, errors, values)
            return render(request, "proposals/tenant.html", context, status_code=status)
    url = url_for(request)("tenant_vote_done", object_id=page.proposal_id)
    return RedirectResponse(str(url), status_code=303)


def _cast_votes(engine: Engine, casts: list[voting.Cast]) -> list[voting.CastOutcome]:
    with new_session(engine) as session:
        return voting.cast_many(session, casts)


_votes = GroupCommit(_cast_votes)


async def tenant_vote_done(request: Request) -> Response:
    with _reading(request) as connection:
        page = _page(request, connection)
        with Session(connection) as session:
            ballot = voting.ballot_of(session, page.proposal_id, page.tenancy_id)
    if ballot is None:
        url = url_for(request)("tenant_proposal", object_id=page.proposal_id)
        return RedirectResponse(str(url), status_code=303)
    context = {"page": page, "content": page.content, "ballot": ballot,
               "choice_labels": views.labels_context()["choice_labels"],
               "can_change": page.status == rules.Status.OPEN}  # fmt: skip
    return render(request, "proposals/tenant_done.html", context)


async def tenant_attachment(request: Request) -> Response:
    with _reading(request) as connection:
        page = _page(request, connection)
        with Session(connection) as session:
            attachment_id = int(request.path_params["attachment_id"])
            row = attachments.get(session, page.proposal_id, attachment_id)
    return attachment_response(request, row)


routes = [
    Route("/voorstel/{object_id:int}", tenant_proposal, name="tenant_proposal"),
    Route("/voorstel/{object_id:int}/stem", tenant_vote, methods=["POST"], name="tenant_vote"),
    Route("/voorstel/{object_id:int}/bevestiging", tenant_vote_done, name="tenant_vote_done"),
    Route("/voorstel/{object_id:int}/bijlagen/{attachment_id:int}", tenant_attachment,
          name="tenant_proposal_attachment"),
]  # fmt: skip
