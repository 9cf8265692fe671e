"""The corporation dashboard: the same figures as each proposal's own tally, in few statements."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event
from sqlmodel import delete, select

from consent.accounts.models import StaffUser
from consent.db import new_session, session_scope
from consent.housing.models import Tenancy, Tenant, Unit
from consent.proposals import counts, dashboard, electorate, results, workflow
from consent.proposals.models import Proposal, ProposalExclusion, ProposalResult
from consent.timeutil import to_local, utcnow
from tests.factories import staff

# Units added to the 12 rented homes of acme's complex C-1, one per rule of
# eligibility.eligible_units: (code, kind, tenancies as (start offset, end offset) in days
# from today, None for no end).
EXTRA_UNITS = [
    ("X-mid", "middenhuur", [(-400, None)]),  # votes
    ("X-free", "vrije_sector", [(-400, None)]),  # not social or mid-rent
    ("X-free-empty", "vrije_sector", []),  # vacant, but a rental home
    ("X-sold", "koop", []),
    ("X-shop", "bedrijfsruimte", [(-400, None)]),  # commercial, even when let
    ("X-empty", "sociale_huur", []),  # vacant
    ("X-ended", "sociale_huur", [(-900, -10)]),  # vacant: the tenancy ended
    ("X-ends-today", "sociale_huur", [(-900, 0)]),  # vacant on its end date
    ("X-starts-today", "sociale_huur", [(0, None)]),  # votes from its first day
    ("X-future", "sociale_huur", [(5, None)]),  # vacant until the tenancy starts
    ("X-two", "sociale_huur", [(-900, None), (-30, None)]),  # two current: one ballot
    ("X-moved", "sociale_huur", [(-900, -30), (-30, None)]),  # a new tenant: votes
]


def add_units(acme) -> None:  # type: ignore[no-untyped-def]
    today = to_local(utcnow()).date()
    corporation_id, complex_id = acme.corporation_id, acme.world.complex.id
    with session_scope(acme.engine) as session:
        for number, (code, kind, tenancies) in enumerate(EXTRA_UNITS, start=100):
            unit = Unit(corporation_id=corporation_id, complex_id=complex_id, code=code,
                        street="Lindelaan", number=number, postcode="3521 KL", town="Utrecht",
                        kind=kind)  # fmt: skip
            session.add(unit)
            session.flush()
            for index, (start, end) in enumerate(tenancies):
                tenancy = Tenancy(corporation_id=corporation_id, unit_id=unit.id or 0,
                                  code=f"{code}-{index}", start_date=today + timedelta(start),
                                  end_date=None if end is None else today + timedelta(end))  # fmt: skip
                session.add(tenancy)
                session.flush()
                session.add(Tenant(tenancy_id=tenancy.id or 0, name=f"Huurder {code}"))


def exclude(acme, proposal: Proposal, *unit_codes: str) -> None:  # type: ignore[no-untyped-def]
    with session_scope(acme.engine) as session:
        current = session.get(Proposal, proposal.id)
        for code in unit_codes:
            electorate.add_exclusion(session, current, code, "Woning wordt gesloopt", "test")  # type: ignore[arg-type]


def overview_and_tallies(acme, user: StaffUser):  # type: ignore[no-untyped-def]
    """Each overview row's proposal with (its dashboard tally, its own tally_for)."""
    with new_session(acme.engine) as session:
        rows = dashboard.overview(session, user)
        return {
            row.proposal.title: (row.proposal.status, row.tally,
                                 results.tally_for(session, session.get(Proposal, row.proposal.id)))
            for row in rows
        }  # fmt: skip


def test_overview_figures_equal_tally_for_in_every_state(acme, other):
    add_units(acme)
    other.proposal(state="open", title="Van een ander")
    tenancies = acme.tenancies()  # the 12 homes of C-1; every third has two tenants

    opened = acme.proposal(title="open")
    exclude(acme, opened, "acme-E-C-1-0002", "X-sold")
    opened = acme.advance(opened, "open")
    acme.vote(opened, tenancies[0], "agree")
    acme.vote(opened, tenancies[2], "agree")  # a home with co-tenants
    acme.vote(opened, tenancies[3], "agree")
    acme.vote(opened, tenancies[3], "disagree")  # changed: only the last counts
    acme.vote(opened, tenancies[4], "disagree")
    acme.vote(opened, tenancies[4], "agree")

    acme.proposal(state="open", title="open without votes")
    votes = {t.id or 0: "agree" for t in tenancies[:8]} | {tenancies[8].id or 0: "disagree"}
    for state in ("closed", "decided", "notices_sent"):
        acme.advance(acme.proposal(title=state), state, votes)
    lost = acme.advance(acme.proposal(title="closed without result"), "closed", votes)
    with session_scope(acme.engine) as session:
        session.exec(delete(ProposalResult).where(ProposalResult.proposal_id == lost.id))  # type: ignore[call-overload]

    draft = acme.proposal(title="draft")
    exclude(acme, draft, "acme-E-C-1-0001", "acme-E-C-1-0003", "X-sold", "X-empty", "X-mid")
    acme.proposal(title="draft without exclusions")
    with session_scope(acme.engine) as session:  # an exclusion of a unit outside the complex
        elsewhere = session.exec(select(Unit).where(Unit.corporation_id == other.corporation_id)).first()
        session.add(ProposalExclusion(proposal_id=draft.id or 0, unit_id=elsewhere.id or 0, reason="x"))  # type: ignore[union-attr]

    staff(acme.engine, "acme", "committee", complex_code=acme.world.complex.code)
    consulted = acme.proposal(title="consultation")
    exclude(acme, consulted, "X-two")
    with session_scope(acme.engine) as session:
        workflow.start_consultation(session, session.get(Proposal, consulted.id), "test")  # type: ignore[arg-type]

    user = staff(acme.engine, "acme", "project_leader")
    found = overview_and_tallies(acme, user)
    assert {status for status, _, _ in found.values()} == {
        "draft", "consultation", "open", "closed", "decided", "notices_sent",
    }  # fmt: skip
    assert "Van een ander" not in found
    for title, (_status, figures, own) in found.items():
        assert figures == own, title

    shown = {title: figures for title, (_status, figures, _own) in found.items()}
    # 12 homes + X-mid, X-starts-today, X-two, X-moved get a ballot; 24 units in all.
    assert (shown["draft without exclusions"].eligible, shown["draft without exclusions"].excluded) == (16, 8)
    assert (shown["draft"].eligible, shown["draft"].excluded) == (13, 11)
    assert (shown["consultation"].eligible, shown["consultation"].excluded) == (15, 9)
    voting = shown["open"]
    assert (voting.eligible, voting.excluded, voting.agree, voting.disagree) == (15, 9, 3, 1)
    assert (shown["decided"].agree, shown["decided"].disagree) == (8, 1)
    assert shown["closed without result"] == shown["closed"]

    with new_session(acme.engine) as session:  # the homes too (the 10-home presumption)
        before = [session.get(Proposal, p.id) for p in (draft, consulted)]
        on = results.preview_date()
        previews = counts.previews(session, before, on)  # type: ignore[arg-type]
        for proposal in before:
            live = electorate.live(session, proposal, on)  # type: ignore[arg-type]
            assert previews[proposal.id].homes == live.homes == 22  # type: ignore[union-attr]


def test_committee_overview_has_only_its_complex(acme):
    second = acme.second_complex(homes=3)
    acme.proposal(title="C-1")
    acme.proposal(title="C-2", world=second)
    user = staff(acme.engine, "acme", "committee", complex_code="C-2")
    assert list(overview_and_tallies(acme, user)) == ["C-2"]


def test_overview_statements_do_not_grow_with_the_number_of_proposals(acme):
    user = staff(acme.engine, "acme", "project_leader")
    votes = {t.id or 0: "agree" for t in acme.tenancies()[:3]}

    def add_one_of_each() -> None:
        acme.proposal()
        acme.advance(acme.proposal(), "open", votes)
        acme.advance(acme.proposal(), "decided", votes)

    def statements() -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        event.listen(acme.engine, "before_cursor_execute", count)
        try:
            with new_session(acme.engine) as session:
                assert len(dashboard.overview(session, session.get(StaffUser, user.id))) > 0  # type: ignore[arg-type]
        finally:
            event.remove(acme.engine, "before_cursor_execute", count)
        return len(seen)

    add_one_of_each()
    few = statements()
    for _ in range(3):
        add_one_of_each()
    assert statements() == few
