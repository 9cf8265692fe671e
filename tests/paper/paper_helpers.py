"""Helpers for the paper tests: a corporation with a proposal in a chosen state, staff
browsers, PDF text and QR codes read back from a PDF."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import select

from consent.accounts.models import StaffUser
from consent.accounts.service import create_api_token
from consent.db import new_session, session_scope
from consent.housing.models import Corporation, Tenancy, Unit
from consent.paper.rules import form_code
from consent.proposals import voting, workflow
from consent.proposals.inputs import MeasureInput, ProposalInput
from consent.proposals.models import Proposal, ProposalText
from consent.proposals.service import create_proposal
from consent.settings import Settings
from consent.timeutil import utcnow
from tests.factories import World, sign_in, staff, tenancies

SUMMARY = "Wij isoleren de gevel en leggen zonnepanelen op het dak."


@dataclass
class Corp:
    engine: Engine
    settings: Settings
    world: World

    @property
    def id(self) -> int:
        return self.world.corporation.id or 0

    @property
    def slug(self) -> str:
        return self.world.corporation.slug

    def tenancies(self) -> list[Tenancy]:
        return [t for t in tenancies(self.engine, self.id) if t.code.startswith(f"{self.slug}-")]

    def unit_of(self, tenancy: Tenancy) -> Unit:
        with new_session(self.engine) as session:
            unit = session.get(Unit, tenancy.unit_id)
            assert unit is not None
            return unit

    def set(self, **fields: Any) -> None:
        with session_scope(self.engine) as session:
            corporation = session.get(Corporation, self.id)
            assert corporation is not None
            for key, value in fields.items():
                setattr(corporation, key, value)
            session.add(corporation)

    def proposal(self, state: str = "open", days_open: float = 1 / 24, **fields: Any) -> Proposal:
        now = utcnow()
        data = ProposalInput(
            complex=self.world.complex.code,
            title=fields.pop("title", "Nieuwe gevels"),
            summary=SUMMARY,
            opens_at=now - timedelta(days=days_open),
            closes_at=now + timedelta(days=14),
            measures=[MeasureInput("improvement", "solar_panels", "Zonnepanelen", 1500)],
        )
        with session_scope(self.engine) as session:
            proposal = create_proposal(session, corporation_id=self.id, data=data, actor="test")
            if fields.get("arabic"):
                session.add(ProposalText(proposal_id=proposal.id or 0, language="ar",
                                         title="واجهات جديدة", summary="سنعزل الواجهة."))  # fmt: skip
        if state == "draft":
            return proposal
        with new_session(self.engine) as session:
            current = session.get(Proposal, proposal.id)
            assert current is not None
            workflow.open_voting(session, current, "test", now=now - timedelta(days=days_open))
            session.commit()
            return current

    def close(self, proposal: Proposal) -> Proposal:
        with new_session(self.engine) as session:
            current = session.get(Proposal, proposal.id)
            assert current is not None
            workflow.close_voting(session, current, "test")
            session.commit()
            return current

    def vote(self, proposal: Proposal, tenancy: Tenancy, choice: str, **kwargs: Any) -> voting.CastResult:
        with new_session(self.engine) as session:
            return voting.cast_ballot(session, proposal_id=proposal.id or 0, tenancy_id=tenancy.id or 0,
                                      choice=choice, actor=f"tenancy:{tenancy.id}", **kwargs)  # fmt: skip

    def form_code(self, proposal: Proposal, tenancy: Tenancy) -> str:
        return form_code(self.settings.secret_key, proposal.id or 0, tenancy.id or 0)

    def staff_client(self, client: Any, role: str = "project_leader", name: str = "a",
                     complex_code: str | None = None) -> Any:  # fmt: skip
        user = staff(self.engine, self.slug, role, f"{role}-{name}@{self.slug}.example", complex_code)
        sign_in(client, user.email)
        client.user = user
        return client

    def token(self, role: str = "project_leader") -> dict[str, str]:
        email = f"api-{role}@{self.slug}.example"
        with new_session(self.engine) as session:
            if session.exec(select(StaffUser).where(StaffUser.email == email)).first() is None:
                staff(self.engine, self.slug, role, email)
        with session_scope(self.engine) as session:
            value = create_api_token(session, self.settings, email, actor="test")
        return {"Authorization": f"Bearer {value}"}

    def all(self, model: Any) -> list[Any]:
        with new_session(self.engine) as session:
            return list(session.exec(select(model)).all())


def pdf_pages(data: bytes) -> list[str]:
    """The text of every page, with Arabic presentation forms folded back (NFKC)."""
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in reader.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def qr_payloads(data: bytes) -> list[str]:
    """Every QR code in the PDF's images, decoded with zxing-cpp (each once)."""
    import zxingcpp
    from PIL import Image

    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            picture = picture.resize((picture.width * 4, picture.height * 4), Image.NEAREST)
            found.extend(result.text for result in zxingcpp.read_barcodes(picture))
    return sorted(set(found))  # images are shared resources: listed on every page


RUN_URL = re.compile(r"/medewerkers/brieven/opdrachten/(\d+)$")


def run_of(response: Any) -> int:
    """The letter run a request for letters was answered with (its status page)."""
    assert response.status_code == 303, response.text
    match = RUN_URL.search(response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def letters_pdf(client: Any, url: str, data: dict[str, str]) -> bytes:
    """Ask for letters, as the page does; the run is made after the answer; its PDF."""
    run_id = run_of(client.submit(url, data))
    page = client.get(f"/medewerkers/brieven/opdrachten/{run_id}")
    assert page.status_code == 200 and 'id="posted-form"' in page.text  # ready
    download = client.get(f"/medewerkers/brieven/opdrachten/{run_id}/brieven.pdf")
    assert download.status_code == 200, download.text
    assert download.headers["content-type"] == "application/pdf"
    assert "attachment" in download.headers["content-disposition"]
    return download.content
