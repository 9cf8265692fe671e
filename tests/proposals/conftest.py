"""Fixtures for the proposal tests: proposals in every lifecycle state, ballots, sign-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from consent.access_codes.models import Purpose
from consent.accounts.service import create_api_token
from consent.db import new_session, session_scope
from consent.housing.models import Complex, Tenancy, Unit
from consent.proposals import voting, workflow
from consent.proposals.inputs import MeasureInput, ProposalInput
from consent.proposals.models import Proposal
from consent.proposals.service import create_proposal
from consent.settings import Settings
from consent.timeutil import utcnow
from tests.factories import World, corporation_with_complex, sign_in, staff, tenancies, tenant_code


@dataclass
class Acme:
    engine: Engine
    settings: Settings
    world: World

    @property
    def corporation_id(self) -> int:
        return self.world.corporation.id or 0

    def tenancies(self) -> list[Tenancy]:
        """The tenancies of the first complex (the factory's codes start with the slug)."""
        prefix = f"{self.world.corporation.slug}-"
        return [t for t in tenancies(self.engine, self.corporation_id) if t.code.startswith(prefix)]

    def proposal(
        self,
        *,
        state: str = "draft",
        world: World | None = None,
        **fields: Any,
    ) -> Proposal:
        """A proposal in `state`: draft, open, closed, decided or notices_sent."""
        world = world or self.world
        now = utcnow()
        data = ProposalInput(
            complex=world.complex.code,
            title=fields.pop("title", "Nieuwe gevels en zonnepanelen"),
            summary=fields.pop("summary", "Wij isoleren de gevel en leggen zonnepanelen."),
            opens_at=fields.pop("opens_at", now - timedelta(hours=1)),
            closes_at=fields.pop("closes_at", now + timedelta(days=14)),
            measures=fields.pop(
                "measures",
                [MeasureInput("improvement", "solar_panels", "Zonnepanelen op het dak", 1500)],
            ),
        )
        for key, value in fields.items():
            setattr(data, key, value)
        with session_scope(self.engine) as session:
            proposal = create_proposal(
                session, corporation_id=world.corporation.id or 0, data=data, actor="test"
            )
        if state == "draft":
            return proposal
        return self.advance(proposal, state)

    def advance(
        self, proposal: Proposal, state: str, votes: dict[int, str] | None = None
    ) -> Proposal:
        order = ["draft", "open", "closed", "decided", "notices_sent"]
        with new_session(self.engine) as session:
            current = session.get(Proposal, proposal.id)
            assert current is not None
            target = order.index(state)
            if current.status in ("draft", "consultation") and target >= 1:
                workflow.open_voting(session, current, "test")
                session.commit()
            for tenancy_id, choice in (votes or {}).items():
                voting.cast_ballot(
                    session, proposal_id=current.id or 0, tenancy_id=tenancy_id, choice=choice,
                    actor="test",
                )  # fmt: skip
            if current.status == "open" and target >= 2:
                workflow.close_voting(session, current, "test")
            if current.status == "closed" and target >= 3:
                workflow.decide(session, current, "test")
            if current.status == "decided" and target >= 4 and current.reached:
                workflow.send_notices(session, current, "test")
            session.commit()
            return current

    def vote(
        self, proposal: Proposal, tenancy: Tenancy, choice: str, **kwargs: Any
    ) -> voting.CastResult:
        with new_session(self.engine) as session:
            return voting.cast_ballot(
                session, proposal_id=proposal.id or 0, tenancy_id=tenancy.id or 0, choice=choice,
                actor=f"tenancy:{tenancy.id}", **kwargs,
            )  # fmt: skip

    def reload(self, proposal: Proposal) -> Proposal:
        with new_session(self.engine) as session:
            found = session.get(Proposal, proposal.id)
            assert found is not None
            return found

    def code(self, tenancy: Tenancy, proposal: Proposal) -> str:
        return tenant_code(self.engine, self.settings, tenancy, Purpose.PROPOSAL, proposal.id)

    def staff_client(
        self, client: Any, role: str = "project_leader", complex_code: str | None = None
    ) -> Any:
        email = f"{role}-{complex_code or 'all'}@{self.world.corporation.slug}.example"
        user = staff(self.engine, self.world.corporation.slug, role, email, complex_code)
        sign_in(client, user.email)
        client._csrf = None  # signing in starts a new session with a new CSRF token
        return client

    def token(
        self, role: str = "project_leader", slug: str | None = None, complex_code: str | None = None
    ) -> dict[str, str]:
        slug = slug or self.world.corporation.slug
        email = f"api-{role}-{complex_code or 'x'}@{slug}.example"
        user = staff(self.engine, slug, role, email=email, complex_code=complex_code)
        with session_scope(self.engine) as session:
            value = create_api_token(session, self.settings, user.email, actor="test")
        return {"Authorization": f"Bearer {value}"}

    def second_complex(self, homes: int = 3) -> World:
        """Another complex of the same corporation, with `homes` current tenancies."""
        corporation_id = self.corporation_id
        with session_scope(self.engine) as session:
            complex_ = Complex(corporation_id=corporation_id, code="C-2", name="De Eik")
            session.add(complex_)
            session.flush()
            for i in range(1, homes + 1):
                unit = Unit(corporation_id=corporation_id, complex_id=complex_.id or 0,
                            code=f"E2-{i}", street="Eikstraat", number=i, postcode="3522 AB",
                            town="Utrecht", kind="sociale_huur")  # fmt: skip
                session.add(unit)
                session.flush()
                session.add(Tenancy(corporation_id=corporation_id, unit_id=unit.id or 0,
                                    code=f"HO2-{i}", start_date=date(2015, 1, 1)))  # fmt: skip
        return World(self.world.corporation, complex_)

    def all(self, model: Any) -> list[Any]:
        with new_session(self.engine) as session:
            return list(session.exec(select(model)).all())


@pytest.fixture
def acme(engine: Engine, settings: Settings) -> Acme:
    return Acme(engine, settings, corporation_with_complex(engine, "acme"))


@pytest.fixture
def other(engine: Engine, settings: Settings) -> Acme:
    """A second corporation, for isolation tests."""
    return Acme(engine, settings, corporation_with_complex(engine, "other"))


def _enter_code(client: Any, code: str, lang: str | None = "nl") -> Any:
    """Redeem a personal code as a tenant; returns the redirect response."""
    response = client.submit("/code" + (f"?lang={lang}" if lang else ""), {"code": code})
    assert response.status_code == 303, response.text
    client._csrf = None
    return response


@pytest.fixture
def enter_code() -> Any:
    return _enter_code
