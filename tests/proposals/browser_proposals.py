"""Browser visits (axe, reflow, CSP) for every proposal page and state, and the data they need.

Proposals of the seeded complex in every lifecycle state (draft, consultation, open, past
its closing time, closed, decided, notices sent), a small complex (fewer than 10 homes, no
tenant committee) and an empty corporation, with tenant codes for each tenant state.
`tests/browser/test_browser_vote_flow.py` votes with the `proposal_flow_*` codes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from consent.access_codes.models import Purpose
from consent.db import session_scope
from consent.housing.models import Unit
from consent.proposals import attachments, content, electorate, voting, workflow
from consent.proposals.demo_data import open_demo_proposal
from consent.proposals.inputs import MeasureInput, ProposalInput
from consent.proposals.models import Proposal
from consent.proposals.service import create_proposal
from consent.proposals.tally import THRESHOLD_NAME
from consent.rules_data import value_on
from consent.settings import Settings
from consent.timeutil import to_local, utcnow
from tests.browser.seed import Seed
from tests.browser.visits import STAFF, Page, Visit, submit
from tests.factories import corporation_with_complex, staff, tenancies, tenant_code

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FLOWS = ("en", "ar", "en_nojs", "ar_nojs")  # one fresh household per browser flow test
SMALL, EMPTY = "staff:proposals_small", "staff:proposals_empty"
COMMITTEE = "staff:committee"


def _create(session: Session, corporation_id: int, complex_code: str, title: str,
            **fields: Any) -> Proposal:  # fmt: skip
    now = utcnow()
    data = ProposalInput(
        complex=complex_code, title=title, summary="Wij isoleren de gevel en het dak.",
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=14),
        measures=[MeasureInput("improvement", "facade", "Isolatie van de gevel")],
    )  # fmt: skip
    for key, value in fields.items():
        setattr(data, key, value)
    return create_proposal(session, corporation_id=corporation_id, data=data, actor="seed")


def _consult(session: Session, proposal: Proposal, sent: Any, followed: bool = True) -> None:
    workflow.start_consultation(session, proposal, "seed", sent_at=sent)
    workflow.record_advice(session, proposal, received_at=sent + timedelta(weeks=4),
                           text="Zorg voor goede informatie vooraf.", followed=followed,
                           actor="seed")  # fmt: skip


def _opened(session: Session, data: Seed, title: str, days_ago: int = 0, **fields: Any) -> Proposal:
    """An open proposal of the seeded complex (it has a committee: its advice comes first)."""
    now = utcnow()
    proposal = _create(session, data.corporation_id, data.complex_code, title, **fields)
    _consult(session, proposal, now - timedelta(days=days_ago + 60))
    workflow.open_voting(session, proposal, "seed", now=now - timedelta(days=days_ago))
    session.commit()
    return proposal


def _votes(session: Session, proposal: Proposal, choices: dict[int, str]) -> None:
    for tenancy_id, choice in choices.items():
        voting.cast_ballot(session, proposal_id=proposal.id or 0, tenancy_id=tenancy_id,
                           choice=choice, actor="seed")  # fmt: skip


def _acme(engine: Engine, settings: Settings, data: Seed) -> dict[str, Any]:
    homes = [t.id or 0 for t in tenancies(engine, data.corporation_id)]
    now, today = utcnow(), to_local(utcnow()).date()
    ids: dict[str, Any] = {}
    with session_scope(engine) as session:
        draft = _create(
            session, data.corporation_id, data.complex_code, "Browser: concept met verhuizing",
            works="Wij vervangen de keuken en de badkamer.\nWij isoleren de vloer.",
            nuisance="De werkmensen zijn 15 dagen in uw woning.", stay_home=False,
            temporary_home="Een gemeubelde woning in de Eikstraat.", moving_allowance_cents=800_000,
            planned_start=today + timedelta(days=120), planned_end=today + timedelta(days=200),
            working_days=15, rent_changes={"sociale_huur": 2500}, energy_change_cents=-2000,
            social_plan="Sociaal Plan Renovatie 2024.",
            measures=[MeasureInput("improvement", "facade", "Isolatie van de gevel", 1500),
                      MeasureInput("maintenance", "other", "Nieuwe keuken")],
        )  # fmt: skip
        attachments.add(session, settings, draft, title="Tekening van de keuken",
                        filename="keuken.png", data=PNG, actor="seed")  # fmt: skip
        content.add_question(session, draft, "Waar woon ik tijdens het werk?",
                             "In een gemeubelde woning in de buurt.", "nl", "seed")  # fmt: skip
        content.save_translation(session, draft, "en", {"title": "Browser: draft with a move",
                                 "summary": "We insulate the facade."}, "seed")  # fmt: skip
        waiting = _create(session, data.corporation_id, data.complex_code, "Browser: overleg")
        workflow.start_consultation(session, waiting, "seed", sent_at=now - timedelta(weeks=2))
        answer = _create(session, data.corporation_id, data.complex_code, "Browser: advies")
        _consult(session, answer, now - timedelta(weeks=6), followed=False)
        ids |= {"draft": draft.id, "consultation": waiting.id, "answer": answer.id}
    with session_scope(engine) as session:
        threshold = value_on(THRESHOLD_NAME, today)
        demo = open_demo_proposal(session, data.corporation_id, data.complex_code, threshold)
        ids |= {"open": demo.id, "open_title": demo.title}
    with session_scope(engine) as session:
        # The household of homes[11] is excluded before voting opens: it has no vote.
        frames = _create(session, data.corporation_id, data.complex_code, "Browser: kozijnen")
        _consult(session, frames, now - timedelta(days=60))
        unit = session.get(Unit, _unit_of(engine, data, homes[11]))
        assert unit is not None
        electorate.add_exclusion(session, frames, unit.code, "De woning wordt gesloopt.", "seed")
        workflow.open_voting(session, frames, "seed")
        ids["excluded"] = frames.id
    with session_scope(engine) as session:
        demo = session.get(Proposal, ids["open"])
        assert demo is not None
        _votes(session, demo, {homes[1]: "agree", homes[2]: "disagree", homes[9]: "agree"})
        expired = _opened(session, data, "Browser: stemtijd voorbij", days_ago=15,
                          opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1))  # fmt: skip
        closed = _opened(session, data, "Browser: gesloten")
        _votes(session, closed, {homes[1]: "agree", homes[2]: "agree", homes[3]: "disagree"})
        workflow.close_voting(session, closed, "seed")
        lost = _opened(session, data, "Browser: niet gehaald", counting_rule="all_tenants")
        _votes(session, lost, {homes[1]: "agree", homes[2]: "disagree", homes[3]: "disagree"})
        workflow.close_voting(session, lost, "seed")
        workflow.decide(session, lost, "seed")
        won = _opened(session, data, "Browser: gehaald")
        _votes(session, won, {h: "agree" for h in homes[:8]} | {homes[8]: "disagree"})
        workflow.close_voting(session, won, "seed")
        workflow.decide(session, won, "seed")
        workflow.send_notices(session, won, "seed")
        ids |= {"expired": expired.id, "closed": closed.id, "lost": lost.id, "won": won.id}
    codes = {
        "proposal": (homes[3], ids["open"]),  # no ballot yet
        "proposal_voted": (homes[1], ids["open"]),
        "proposal_vote": (homes[4], ids["open"]),  # votes in its visit
        "proposal_draft": (homes[5], ids["draft"]),
        "proposal_excluded": (homes[11], ids["excluded"]),
        "proposal_expired": (homes[5], ids["expired"]),
        "proposal_result": (homes[8], ids["won"]),
        "proposal_keyboard": (homes[10], ids["open"]),  # tests/browser/test_browser_keyboard.py
    } | {f"proposal_flow_{flow}": (homes[5 + i], ids["open"]) for i, flow in enumerate(FLOWS)}
    for name, (tenancy_id, proposal_id) in codes.items():
        data.codes[name] = _code(engine, settings, data, tenancy_id, proposal_id)
    return ids


def _unit_of(engine: Engine, data: Seed, tenancy_id: int) -> int:
    found = [t for t in tenancies(engine, data.corporation_id) if t.id == tenancy_id]
    return found[0].unit_id


def _code(engine: Engine, settings: Settings, data: Seed, tenancy_id: int, pid: int) -> str:
    tenancy = [t for t in tenancies(engine, data.corporation_id) if t.id == tenancy_id][0]
    return tenant_code(engine, settings, tenancy, Purpose.PROPOSAL, pid)


def _small(engine: Engine, settings: Settings, data: Seed) -> dict[str, Any]:
    """A corporation with a 4-home complex without a committee: no 70% presumption."""
    world = corporation_with_complex(engine, "klein", homes=4)
    data.staff["proposals_small"] = staff(engine, "klein", "project_leader").email
    corporation_id, code = world.corporation.id or 0, world.complex.code
    homes = tenancies(engine, corporation_id)
    ids: dict[str, Any] = {"codes": {}}
    with session_scope(engine) as session:
        ids["small_draft"] = _create(session, corporation_id, code, "Browser: klein concept").id
        small = _create(session, corporation_id, code, "Browser: klein complex")
        workflow.open_voting(session, small, "seed")  # skips the consultation: recorded
        session.commit()
        _votes(session, small, {t.id or 0: "agree" for t in homes})
        ids["small_open"] = small.id
        for lang in ("nl", "en", "ar"):  # the codes page shows new codes once per proposal
            ids["codes"][lang] = _create(session, corporation_id, code, f"Browser: codes {lang}").id
    data.codes["proposal_small"] = tenant_code(engine, settings, homes[0], Purpose.PROPOSAL,
                                               ids["small_open"])  # fmt: skip
    return ids


def seed(engine: Engine, settings: Settings, data: Seed) -> None:
    ids = _acme(engine, settings, data) | _small(engine, settings, data)
    corporation_with_complex(engine, "leeg", homes=2)
    data.staff["proposals_empty"] = staff(engine, "leeg", "project_leader").email
    data.extra["proposals"] = ids


def _pid(key: str):  # type: ignore[no-untyped-def]
    return lambda seed: {"proposal_id": seed.extra["proposals"][key]}


def _oid(key: str):  # type: ignore[no-untyped-def]
    return lambda seed: {"object_id": seed.extra["proposals"][key]}


def _lang(key: str, lang: str):  # type: ignore[no-untyped-def]
    return lambda seed: {"proposal_id": seed.extra["proposals"][key], "lang": lang}


def _click(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _exclude(reason: str):  # type: ignore[no-untyped-def]
    def act(page: Page, seed: Seed) -> None:
        page.select_option("#unit", index=1)
        page.fill("#reason", reason)
        _click(page, "form[action$='/uitsluitingen'] button[type=submit]")

    return act


def _refresh_tally(page: Page, seed: Seed) -> None:
    """What htmx's poll does every 10 s: fetch the tally partial and swap it in."""
    page.evaluate("document.getElementById('tally').dataset.stale = 'yes'")
    page.evaluate(
        "() => htmx.ajax('GET', document.getElementById('tally').getAttribute('hx-get'),"
        " {target: '#tally', swap: 'outerHTML'})"
    )
    page.wait_for_selector("#tally:not([data-stale])")


def _issue_codes(page: Page, seed: Seed) -> None:
    """Make codes on a draft of its own per language, so every language shows new codes."""
    from tests.browser.driver import routing_app

    lang = page.locator("html").get_attribute("lang") or "nl"
    pid = seed.extra["proposals"]["codes"][lang]
    path = routing_app().url_path_for("proposal_detail", proposal_id=pid)
    page.goto(page.url.split("/medewerkers/")[0] + str(path))
    _click(page, "form[action$='/codes'] button[type=submit]")


def _vote(radio: str):  # type: ignore[no-untyped-def]
    def act(page: Page, seed: Seed) -> None:
        page.check(radio)
        _click(page, "form[action$='/stem'] button[type=submit]")

    return act


NO_VOTE_FORM = "main:not(:has(form[action$='/stem'])) #vote-status"
VISITS = [
    # Lists and the corporation-wide dashboard: filled, read-only (committee) and empty.
    Visit("proposals-list-filled", "proposal_list", who=STAFF, expect="main table caption"),
    Visit("proposals-list-committee", "proposal_list", who=COMMITTEE, expect="main table caption"),
    Visit("proposals-list-empty", "proposal_list", who=EMPTY, expect="main:not(:has(table)) h1"),
    Visit("proposals-overview-filled", "proposal_overview", who=STAFF,
          expect="main svg[role=img] title"),
    Visit("proposals-overview-empty", "proposal_overview", who=EMPTY,
          expect="main:not(:has(#overview-table)) h1"),
    Visit("proposals-new-errors", "proposal_new", who=STAFF,
          act=lambda page, seed: submit(page, {"#title": ""}),
          expect=".error-summary a[href='#title']"),
    # The detail page through the lifecycle.
    Visit("proposal-detail-draft", "proposal_detail", who=STAFF, params=_pid("draft"),
          expect="main #insulation-warning ~ section form[action$='/stap/consult']"),
    Visit("proposal-detail-errors", "proposal_detail", who=STAFF, params=_pid("draft"),
          act=_exclude(""), expect=".error-summary a[href='#reason']"),
    Visit("proposal-detail-excluded", "proposal_detail", who=STAFF, params=_pid("draft"),
          act=_exclude("De woning wordt verkocht."),
          expect="main form[action*='/uitsluitingen/'] button"),
    Visit("proposal-detail-consultation", "proposal_detail", who=STAFF,
          params=_pid("consultation"), expect="main form[action$='/stap/advice'] fieldset"),
    Visit("proposal-detail-answer-due", "proposal_detail", who=STAFF, params=_pid("answer"),
          expect="main #answer-due"),
    Visit("proposal-detail-open", "proposal_detail", who=STAFF, params=_pid("open"),
          expect="main form[action$='/stap/close']"),
    Visit("proposal-detail-committee", "proposal_detail", who=COMMITTEE, params=_pid("open"),
          expect="main:not(:has(form[action$='/stap/close'])) #tally-table"),
    Visit("proposal-detail-open-excluded", "proposal_detail", who=STAFF, params=_pid("excluded"),
          expect="main #exclusions ~ .table-scroll caption"),
    Visit("proposal-detail-expired", "proposal_detail", who=STAFF, params=_pid("expired"),
          expect="main form[action$='/stap/close']"),
    Visit("proposal-detail-closed", "proposal_detail", who=STAFF, params=_pid("closed"),
          expect="main form[action$='/stap/decide']"),
    Visit("proposal-detail-not-reached", "proposal_detail", who=STAFF, params=_pid("lost"),
          expect="main #outcome"),
    Visit("proposal-detail-notices-sent", "proposal_detail", who=STAFF, params=_pid("won"),
          expect="main #outcome"),
    Visit("proposal-detail-small-draft", "proposal_detail", who=SMALL, params=_pid("small_draft"),
          expect="main form[action$='/stap/open']"),
    Visit("proposal-detail-small-open", "proposal_detail", who=SMALL, params=_pid("small_open"),
          expect="main #consultation-skipped"),
    Visit("proposal-codes-issued", "proposal_detail", who=SMALL, params=_pid("small_draft"),
          act=_issue_codes, expect="main #codes-table td.code"),
    # Create and edit.
    Visit("proposal-edit", "proposal_edit", who=STAFF, params=_pid("draft"),
          expect="main form #measure-2-description"),
    Visit("proposal-edit-errors", "proposal_edit", who=STAFF, params=_pid("draft"),
          act=lambda page, seed: submit(page, {"#title": "", "#working_days": "veel"}),
          expect=".error-summary a[href='#working_days']"),
    Visit("proposal-edit-saved", "proposal_edit", who=STAFF, params=_pid("draft"),
          act=lambda page, seed: submit(page, {"#working_days": "15"}),
          expect="main #steps"),
    Visit("proposal-edit-locked", "proposal_edit", who=STAFF, params=_pid("open"), status=409,
          expect=".error-summary a[href='#steps']"),
    # The dashboard of one proposal and its htmx partial.
    Visit("proposal-tally-open", "proposal_tally", who=STAFF, params=_pid("open"),
          expect="main #tally svg[role=img] title"),
    Visit("proposal-tally-refreshed", "proposal_tally", who=STAFF, params=_pid("open"),
          act=_refresh_tally, expect="main #tally-table caption"),
    Visit("proposal-tally-draft", "proposal_tally", who=STAFF, params=_pid("draft"),
          expect="main #tally-table caption"),
    Visit("proposal-tally-decided", "proposal_tally", who=STAFF, params=_pid("won"),
          expect="main .status-reached"),
    Visit("proposal-tally-committee", "proposal_tally", who=COMMITTEE, params=_pid("open"),
          expect="main #tally-table caption"),
    Visit("proposal-tally-small", "proposal_tally", who=SMALL, params=_pid("small_open"),
          expect="main #no-presumption"),
    # Translations: filled, empty (right-to-left), with errors, saved.
    Visit("proposal-translation-en", "proposal_translation", who=STAFF,
          params=_lang("open", "en"), expect="main input#title:not([value=''])"),
    Visit("proposal-translation-ar", "proposal_translation", who=STAFF,
          params=_lang("draft", "ar"), expect="main [dir=rtl] input#title[value='']"),
    Visit("proposal-translation-errors", "proposal_translation", who=STAFF,
          params=_lang("draft", "tr"), act=lambda page, seed: submit(page, {"#title": ""}),
          expect=".error-summary a[href='#title']"),
    Visit("proposal-translation-saved", "proposal_translation", who=STAFF,
          params=_lang("draft", "pl"),
          act=lambda page, seed: submit(page, {"#title": "Nowe elewacje"}),
          expect="main #translations"),
    # Who has not voted yet: some, nobody (everyone voted), after the result.
    Visit("proposal-non-respondents", "proposal_non_respondents", who=STAFF, params=_pid("open"),
          expect="main #non-respondents caption"),
    Visit("proposal-non-respondents-none", "proposal_non_respondents", who=SMALL,
          params=_pid("small_open"), expect="main:not(:has(#non-respondents)) h1"),
    Visit("proposal-non-respondents-after", "proposal_non_respondents", who=STAFF,
          params=_pid("won"), expect="main #non-respondents caption"),
    # The tenant's side.
    Visit("tenant-proposal", "tenant_proposal", who="tenant:proposal", params=_oid("open"),
          expect="main form[action$='/stem'] fieldset legend", tenant_page=True),
    Visit("tenant-proposal-errors", "tenant_proposal", who="tenant:proposal", params=_oid("open"),
          act=lambda page, seed: submit(page, {"#comment": "Ik twijfel nog."}),
          expect=".error-summary a[href='#choice']", tenant_page=True),
    Visit("tenant-proposal-voted", "tenant_proposal", who="tenant:proposal_voted",
          params=_oid("open"), expect="main #current-choice", tenant_page=True),
    Visit("tenant-proposal-vote-sent", "tenant_proposal", who="tenant:proposal_vote",
          params=_oid("open"), act=_vote("#choice"), expect="main #receipt", tenant_page=True),
    Visit("tenant-vote-done", "tenant_vote_done", who="tenant:proposal_voted",
          params=_oid("open"), expect="main #receipt", tenant_page=True),
    Visit("tenant-vote-done-no-ballot", "tenant_vote_done", who="tenant:proposal",
          params=_oid("open"), expect="main form[action$='/stem']", tenant_page=True),
    Visit("tenant-proposal-not-yet", "tenant_proposal", who="tenant:proposal_draft",
          params=_oid("draft"), expect=NO_VOTE_FORM, tenant_page=True),
    Visit("tenant-proposal-not-voter", "tenant_proposal", who="tenant:proposal_excluded",
          params=_oid("excluded"), expect=NO_VOTE_FORM, tenant_page=True),
    Visit("tenant-proposal-too-late", "tenant_proposal", who="tenant:proposal_expired",
          params=_oid("expired"), expect=NO_VOTE_FORM, tenant_page=True),
    Visit("tenant-proposal-result", "tenant_proposal", who="tenant:proposal_result",
          params=_oid("won"), expect="main #result", tenant_page=True),
    Visit("tenant-proposal-small", "tenant_proposal", who="tenant:proposal_small",
          params=_oid("small_open"), expect="main #small-complex", tenant_page=True),
]  # fmt: skip
