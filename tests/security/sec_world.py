"""Object builders for the security and fuzz tests: one corporation with something in every domain.

Everything is made through the domains' own services, so the objects are what the app
would store. ``build(engine, settings, slug)`` gives a ``CorpWorld`` with ids of a
proposal (open, with a ballot, a document and a question), a draft proposal (with an
exclusion), an initiative (with a photo), a sent rent-reduction request (with a PDF),
a moving sign-up (with a note), a moving programme, a staff admin and API tokens.
Every text of corporation ``slug`` carries ``marker(slug)``, so a test can tell whether
a page shows another corporation's data.

Rent-reduction requests need an open scheme: call ``freeze_rent_reduction_day`` (the
fixture ``in_scheme_window`` in conftest.py does) before ``build``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.datastructures import FormData

from consent.access_codes.models import Purpose
from consent.accounts.service import create_api_token
from consent.db import new_session, session_scope
from consent.housing.models import Corporation, Tenancy, Unit
from consent.initiatives import attachments as initiative_attachments
from consent.initiatives import service as initiatives
from consent.measures import Measure as InitiativeMeasure
from consent.moving import programmes
from consent.moving import service as moving
from consent.moving.forms import parse_signup
from consent.paper import entries as paper_entries
from consent.paper import make as paper_make
from consent.paper import rules as paper_rules
from consent.paper import runs as paper_runs
from consent.proposals import attachments as proposal_attachments
from consent.proposals import content, electorate, voting, workflow
from consent.proposals.inputs import MeasureInput, ProposalInput
from consent.proposals.models import Proposal
from consent.proposals.service import create_proposal
from consent.rent_reductions import evidence, registry
from consent.rent_reductions import service as rent_reductions
from consent.settings import Settings
from consent.timeutil import to_local, utcnow
from tests.factories import corporation_with_complex, staff, tenancies, tenant_code

SCHEME = "huurverlaging-2024"
SCHEME_DAY = dt.date(2024, 6, 3)  # inside the 2024 scheme's window
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
RR_ANSWERS = {
    "adults": [{"name": "Tenant 1", "birth_date": "1980-05-15", "income_cents": 1000000}],
    "children": [],
    "rent_cents": 60000,
    "earlier": [],
    "income_dropped_on": "2024-01-15",
}


def marker(slug: str) -> str:
    """A word found only in this corporation's objects."""
    return f"Merk{slug.capitalize()}Zz"


def signup_fields(**overrides: str) -> dict[str, str]:
    """A complete moving sign-up form (code flow), as a browser sends it."""
    data = {
        "contact_name": "Tenant 1", "programme_kind": "step_free", "age_band": "65_74",
        "household": "couple", "persons": "2", "home_type": "apartment", "floor": "3",
        "rooms": "4", "access": "stairs", "current_rent": "612,50", "wish_rooms": "2",
        "wish_step_free": "1", "wish_near_shops": "1", "wish_area": "Utrecht Oost",
        "budget": "700", "contact_by": "phone", "contact_when": "morning",
        "phone": "06-12345678", "email": "t1@example.nl", "lang_nl": "1",
    }  # fmt: skip
    data.update(overrides)
    return data


@dataclass
class CorpWorld:
    slug: str
    corporation_id: int
    complex_id: int
    complex_code: str
    tenancy_ids: list[int]
    admin_email: str
    proposal_id: int = 0  # open, with a ballot of tenancy 0
    draft_proposal_id: int = 0
    attachment_id: int = 0
    question_id: int = 0
    exclusion_id: int = 0
    initiative_id: int = 0
    initiative_attachment_id: int = 0
    rr_request_id: int = 0
    rr_reference: str = ""
    rr_file_id: int = 0
    rr_tenancy_id: int = 0
    signup_id: int = 0
    signup_tenancy_id: int = 0
    programme_id: int = 0
    paper_entry_id: int = 0  # a pending (four-eyes) paper ballot with a scan
    letter_run_id: int = 0  # one household's letter, made (its PDF ready)
    mark: str = ""  # the text in every free-text field of this world's objects

    @property
    def marker(self) -> str:
        return self.mark or marker(self.slug)

    def params(self) -> dict[str, str]:
        """A value for every path parameter of the app's routes, naming this world's objects."""
        return {
            "proposal_id": str(self.proposal_id),
            "attachment_id": str(self.attachment_id),
            "question_id": str(self.question_id),
            "exclusion_id": str(self.exclusion_id),
            "complex_id": str(self.complex_id),
            "initiative_id": str(self.initiative_id),
            "programme_id": str(self.programme_id),
            "entry_id": str(self.paper_entry_id),
            "run_id": str(self.letter_run_id),
            "signup_id": str(self.signup_id),
            "request_id": str(self.rr_request_id),
            "file_id": str(self.rr_file_id),
            "reference": self.rr_reference,
            "code": self.complex_code,
            "slug": self.slug,
            "scheme_id": SCHEME,
            "step": "close",
            "lang": "en",
            "action": "open",
        }

    def object_id_for(self, route_name: str) -> str:
        """Tenant routes take `object_id`: what it names depends on the purpose."""
        if route_name.startswith("initiative"):
            return str(self.complex_id)
        if route_name.startswith("rent_reduction"):
            return str(self.rr_tenancy_id)
        if route_name.startswith("moving"):
            return str(self.signup_tenancy_id)
        return str(self.proposal_id)

    def attachment_for(self, route_name: str) -> str:
        if route_name.startswith("initiative"):
            return str(self.initiative_attachment_id)
        return str(self.attachment_id)


def freeze_rent_reduction_day(monkeypatch: Any) -> None:
    """Stand inside the 2024 rent-reduction scheme's window."""
    monkeypatch.setattr(registry, "today", lambda: SCHEME_DAY)


def token(engine: Engine, settings: Settings, email: str) -> dict[str, str]:
    with session_scope(engine) as session:
        value = create_api_token(session, settings, email, actor="test")
    return {"Authorization": f"Bearer {value}"}


def proposal_input(complex_code: str, mark: str, **fields: Any) -> ProposalInput:
    """A valid proposal whose every text field contains `mark`."""
    now = utcnow()
    data = ProposalInput(
        complex=complex_code,
        title=f"Nieuwe gevels {mark}",
        summary=f"Wij isoleren de gevel. {mark}",
        works=f"Werk {mark}",
        nuisance=f"Overlast {mark}",
        rent_justification=f"Huur {mark}",
        energy_text=f"Energie {mark}",
        social_plan=f"Sociaal plan {mark}",
        lapse_statement=f"Vervalt onder 70% {mark}",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=14),
        measures=[MeasureInput("improvement", "solar_panels", f"Zonnepanelen {mark}", 1500)],
    )
    for key, value in fields.items():
        setattr(data, key, value)
    return data


def build(
    engine: Engine, settings: Settings, slug: str, homes: int = 6, mark: str | None = None
) -> CorpWorld:
    """A corporation `slug` with one complex and an object in every domain.

    `mark` (default: marker(slug)) is written into every free-text field; the complex's
    name and the register's fields only take it when it is plain text (no comma or quote).
    """
    mark = mark or marker(slug)
    plain = mark if mark.isalnum() else marker(slug)
    world = corporation_with_complex(
        engine, slug, homes=homes, complex_code=f"C-{slug}", name=f"Complex {plain}"
    )
    cid = world.corporation.id or 0
    admin = staff(engine, slug, "admin", email=f"admin@{slug}.example")
    broker = staff(engine, slug, "broker", email=f"broker@{slug}.example")
    rows: list[Tenancy] = tenancies(engine, cid)
    w = CorpWorld(slug, cid, world.complex.id or 0, world.complex.code,
                  [t.id or 0 for t in rows], admin.email, mark=mark)  # fmt: skip
    _proposals(engine, settings, w, mark)
    _paper(engine, settings, w, admin)
    _initiative(engine, settings, w, rows[1], mark)
    _rent_reduction(engine, settings, w, rows[2], mark)
    _moving(engine, w, rows[3], broker, mark)
    return w


def _proposals(engine: Engine, settings: Settings, w: CorpWorld, mark: str) -> None:
    with session_scope(engine) as session:
        proposal = create_proposal(
            session, corporation_id=w.corporation_id, data=proposal_input(w.complex_code, mark),
            actor="test",
        )  # fmt: skip
        w.attachment_id = proposal_attachments.add(
            session, settings, proposal, title=f"Tekening {mark}", filename="plan.pdf",
            data=PDF, actor="test",
        ).id or 0  # fmt: skip
        w.question_id = (
            content.add_question(
                session, proposal, f"Vraag {mark}?", f"Antwoord {mark}.", "nl", "test"
            ).id
            or 0
        )
        draft = create_proposal(
            session, corporation_id=w.corporation_id,
            data=proposal_input(w.complex_code, mark, title=f"Concept {mark}"), actor="test",
        )  # fmt: skip
        w.draft_proposal_id = draft.id or 0
        unit = session.exec(select(Unit.code).where(Unit.complex_id == w.complex_id)).first()
        w.exclusion_id = (
            electorate.add_exclusion(session, draft, str(unit), f"Verkocht {mark}", "test").id or 0
        )
        w.proposal_id = proposal.id or 0
    with new_session(engine) as session:
        proposal = session.get(Proposal, w.proposal_id)
        assert proposal is not None
        workflow.open_voting(session, proposal, "test")
        session.commit()
        voting.cast_ballot(
            session, proposal_id=w.proposal_id, tenancy_id=w.tenancy_ids[0], choice="agree",
            actor="test", comment=f"Goed plan {mark}",
        )  # fmt: skip


def _paper(engine: Engine, settings: Settings, w: CorpWorld, admin: Any) -> None:
    """A paper ballot of tenancy 5, waiting for a second person's confirmation."""
    with session_scope(engine) as session:
        corporation = session.get(Corporation, w.corporation_id)
        assert corporation is not None
        corporation.paper_four_eyes = True
        session.add(corporation)
    with new_session(engine) as session:
        proposal = session.get(Proposal, w.proposal_id)
        assert proposal is not None
        code_ = paper_rules.form_code(settings.secret_key, w.proposal_id, w.tenancy_ids[5])
        match = paper_entries.find_form(session, settings, admin, proposal, code_)
        entry = paper_entries.enter(
            session, settings, admin, proposal, match=match, choice="disagree",
            channel="paper", signed_on=to_local(utcnow()).date(), scan=PDF,
        )  # fmt: skip
        w.paper_entry_id = entry.id or 0
        run, _new = paper_runs.ask(session, admin, kind="one", letters_count=1,
                                   proposal_id=w.proposal_id,
                                   params={"tenancy_id": w.tenancy_ids[4], "language": ""})
        session.commit()
        w.letter_run_id = run.id or 0
    assert paper_make.execute(engine, settings, w.letter_run_id) == "ready"


def _initiative(
    engine: Engine, settings: Settings, w: CorpWorld, tenancy: Tenancy, mark: str
) -> None:
    with session_scope(engine) as session:
        initiative = initiatives.create(
            session, settings, corporation_id=w.corporation_id, complex_id=w.complex_id,
            title=f"Zonnepanelen {mark}", measures=[InitiativeMeasure.SOLAR_PANELS],
            measure_text=f"Op het dak {mark}", reason=f"Rekening hoog {mark}", offer_cents=None,
            actor="test", tenancy_id=tenancy.id,
        )  # fmt: skip
        w.initiative_id = initiative.id or 0
    with session_scope(engine) as session:
        row = initiative_attachments.add(
            session, settings, w.initiative_id, filename="dak.png", data=PNG, actor="test"
        )
        w.initiative_attachment_id = row.id or 0
    with session_scope(engine) as session:  # collecting signatures: staff may see it
        initiatives.open_for_signing(session, settings, w.initiative_id, actor="test")


def _rent_reduction(
    engine: Engine, settings: Settings, w: CorpWorld, tenancy: Tenancy, mark: str
) -> None:
    with session_scope(engine) as session:
        registry.set_enabled(session, w.corporation_id, SCHEME, True, "test")
    with session_scope(engine) as session:
        fresh = session.get(Tenancy, tenancy.id)
        assert fresh is not None
        req = rent_reductions.start_draft(session, fresh, SCHEME)
        answers = json.loads(json.dumps(RR_ANSWERS))
        answers["adults"][0]["name"] = f"Tenant 1 {mark}"
        req.answers = json.dumps(answers)
        w.rr_file_id = (
            evidence.add_evidence(session, settings, req, "income_month_1", "loon.pdf", PDF).id or 0
        )
        rent_reductions.submit(session, settings, req, fresh)
        w.rr_request_id, w.rr_reference = req.id or 0, req.reference or ""
        w.rr_tenancy_id = fresh.id or 0


def _moving(engine: Engine, w: CorpWorld, tenancy: Tenancy, broker: Any, mark: str) -> None:
    fields = signup_fields(wish_area=f"Oost {mark}"[:200], languages_other=f"Fries {mark}"[:200])
    data, errors = parse_signup(FormData(fields), open_signup=False)
    assert data is not None, errors
    with session_scope(engine) as session:
        signup = moving.create_signup(
            session, corporation_id=w.corporation_id, data=data, tenancy_id=tenancy.id,
            actor="test",
        )  # fmt: skip
        moving.add_note(session, broker, signup, f"Gebeld {mark}")
        w.signup_id, w.signup_tenancy_id = signup.id or 0, tenancy.id or 0
        programmes.seed_sample_programmes(session, w.corporation_id, "test")
        w.programme_id = programmes.list_programmes(session, w.corporation_id)[0].id or 0


def code(engine: Engine, settings: Settings, w: CorpWorld, purpose: Purpose) -> str:
    """A new personal code of this world's tenant for `purpose` (and its own object)."""
    tenancy_id, object_id = {
        Purpose.PROPOSAL: (w.tenancy_ids[0], w.proposal_id),
        Purpose.INITIATIVE: (w.tenancy_ids[1], w.complex_id),
        Purpose.RENT_REDUCTION: (w.rr_tenancy_id, w.rr_tenancy_id),
        Purpose.MOVING: (w.signup_tenancy_id, w.signup_tenancy_id),
    }[purpose]
    with new_session(engine) as session:
        tenancy = session.get(Tenancy, tenancy_id)
        assert tenancy is not None
    return tenant_code(engine, settings, tenancy, purpose, object_id)
