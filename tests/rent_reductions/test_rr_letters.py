"""The decision letter PDF says the right thing, in the tenant's language (Dutch, Arabic)."""

from __future__ import annotations

import io
import json

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations
from pypdf import PdfReader
from sqlmodel import select

from consent import i18n
from consent.db import new_session, session_scope
from consent.housing.models import Tenancy
from consent.outbox.models import OutboxMessage
from consent.rent_reductions import casework, letters
from consent.rent_reductions.models import ReductionRequest
from tests.factories import sign_in, staff, tenancies
from tests.rent_reductions.rr_support import (
    decide,
    enter,
    refresh_csrf,
    rr_code,
    sent_request,
    staff_user,
    world_with_scheme,
)

ARABIC = {
    "Besluit over uw verzoek om huurverlaging": "قرار بشأن طلبك لتخفيض الإيجار",
    "Wij hebben uw verzoek afgewezen.": "لقد رفضنا طلبك.",
    "Bent u het niet eens met dit besluit?": "هل لا توافق على هذا القرار؟",
}


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\xa0", " ").split())


def decided_case(engine, settings, language: str, approve: bool, reason: str = ""):  # type: ignore[no-untyped-def]
    world = world_with_scheme(engine)
    tenancy = tenancies(engine, world.corporation.id)[0]
    with session_scope(engine) as session:
        row = session.get(Tenancy, tenancy.id)
        assert row is not None
        row.language = language
        session.add(row)
    req = sent_request(engine, settings, tenancy)
    worker = staff(engine, "acme", "case_worker")
    decide(engine, settings, req.id or 0, staff_user(engine, worker.email), approve, reason)
    return tenancy, req, worker


def letter_for(engine, request_id: int) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with new_session(engine) as session:
        req = session.get(ReductionRequest, request_id)
        assert req is not None
        context = letters.letter_context(session, req)
    return letters.letter_html(context), pdf_text(letters.letter_pdf(context))


@pytest.fixture
def arabic_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small Arabic catalogue (the real one is added later by the translators)."""
    catalog = Catalog(locale="ar")
    for msgid, msgstr in ARABIC.items():
        catalog.add(msgid, msgstr)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    arabic = Translations(fp=buffer)
    monkeypatch.setattr(
        i18n, "translations", lambda lang: arabic if lang == "ar" else NullTranslations()
    )


def test_dutch_approval_letter(engine, settings, in_2024):
    _tenancy, req, _worker = decided_case(engine, settings, "nl", approve=True)
    html, text = letter_for(engine, req.id)
    assert '<html lang="nl" dir="ltr">' in html
    assert "Besluit over uw verzoek om huurverlaging" in text
    assert f"Ons kenmerk: {req.reference}" in text
    assert "Wij hebben uw verzoek toegekend. Uw huur gaat omlaag." in text
    assert "€ 600,00" in text and "€ 577,91" in text
    assert "1 juli 2024" in text
    assert "Huurverlaging op verzoek 2024" in text
    assert "Huurcommissie" not in text


def test_dutch_rejection_letter_names_the_reason_and_the_huurcommissie(engine, settings, in_2024):
    _tenancy, req, _worker = decided_case(engine, settings, "nl", approve=False,
                                          reason="Uw inkomen is hoger dan de grens.")  # fmt: skip
    _html, text = letter_for(engine, req.id)
    flat = text
    assert "Wij hebben uw verzoek afgewezen." in flat
    assert "Uw inkomen is hoger dan de grens." in flat
    assert "Huurcommissie" in flat and "www.huurcommissie.nl" in flat


def test_arabic_letter_is_right_to_left_and_translated(engine, settings, in_2024, arabic_catalogue):
    _tenancy, req, _worker = decided_case(engine, settings, "ar", approve=False, reason="سبب")
    html, text = letter_for(engine, req.id)
    assert '<html lang="ar" dir="rtl">' in html
    for translated in ARABIC.values():
        # In right-to-left text the extracted final stop may move to the other end.
        assert translated.rstrip(".?؟") in text
    assert req.reference in text and "سبب" in text
    assert "Besluit over uw verzoek om huurverlaging" not in text


def test_letter_downloads_for_tenant_and_case_worker(
    client, make_client, engine, settings, in_2024
):
    tenancy, req, worker = decided_case(engine, settings, "nl", approve=True)
    enter(client, rr_code(engine, settings, tenancy))
    response = client.get(f"/huurverlaging/{tenancy.id}/aanvragen/{req.id}/brief")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith(
        f'attachment; filename="besluit-{req.reference}.pdf"'
    )
    assert "Uw nieuwe huur" in pdf_text(response.content)
    office = make_client()
    sign_in(office, worker.email)
    refresh_csrf(office)
    assert "Uw nieuwe huur" in pdf_text(
        office.get(f"/medewerkers/huurverlaging/{req.id}/brief").content
    )


def test_no_letter_before_the_decision(client, make_client, engine, settings, in_2024):
    world = world_with_scheme(engine)
    tenancy = tenancies(engine, world.corporation.id)[0]
    req = sent_request(engine, settings, tenancy)
    enter(client, rr_code(engine, settings, tenancy))
    assert client.get(f"/huurverlaging/{tenancy.id}/aanvragen/{req.id}/brief").status_code == 404
    office = make_client()
    sign_in(office, staff(engine, "acme", "case_worker").email)
    assert office.get(f"/medewerkers/huurverlaging/{req.id}/brief").status_code == 404


def test_tenant_without_email_gets_printed_letters(engine, settings, in_2024):
    """No email address: the question and the decision are queued as letters to print."""
    world = world_with_scheme(engine)
    tenancy = tenancies(engine, world.corporation.id)[0]
    with session_scope(engine) as session:
        row = session.get(Tenancy, tenancy.id)
        assert row is not None
        row.email, row.language = "", "nl"
        session.add(row)
    req = sent_request(engine, settings, tenancy)
    worker = staff_user(engine, staff(engine, "acme", "case_worker").email)
    with session_scope(engine) as session:
        found = session.get(ReductionRequest, req.id)
        assert found is not None
        casework.ask_more_info(session, settings, found, "Graag de IB60.", worker)
    decide(engine, settings, req.id or 0, worker, approve=True)
    with new_session(engine) as session:
        queued = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.channel, m.template) for m in queued] == [
        ("letter", "rent_reduction_more_info"),
        ("letter", "rent_reduction_decision"),
    ]
    assert queued[0].recipient == "Tenant 1, Lindelaan 1, 3521 KL Utrecht"
    env = letters.environment()
    question = env.get_template("letters/rent_reduction_more_info.html").render(
        json.loads(queued[0].context)
    )
    assert "Graag de IB60." in question
    decision = letters.letter_html(json.loads(queued[1].context))
    assert "Wij hebben uw verzoek toegekend." in decision
