"""A tenant asks for a rent reduction with plain form posts (no JavaScript), end to end."""

from __future__ import annotations

import io
import json
import zipfile

from sqlmodel import select

from consent.access_codes.models import Purpose
from consent.audit.models import AuditEvent
from consent.db import new_session
from consent.outbox.models import OutboxMessage
from consent.rent_reductions import registry
from consent.rent_reductions.models import EvidenceFile, ReductionRequest
from consent.settings import PROJECT_ROOT
from tests.factories import tenancies, tenant_code
from tests.rent_reductions.rr_support import (
    EXE,
    HTML,
    PDF,
    PNG,
    enable,
    enter,
    household_form,
    rr_code,
    sent_request,
    soup,
    world_with_scheme,
)


def start_url(tenancy) -> str:  # type: ignore[no-untyped-def]
    return f"/huurverlaging/{tenancy.id}"


def begin(client, engine, settings):  # type: ignore[no-untyped-def]
    """A tenant who entered their code and started a draft; returns (tenancy, request path)."""
    world = world_with_scheme(engine)
    tenancy = tenancies(engine, world.corporation.id)[0]
    landing = enter(client, rr_code(engine, settings, tenancy))
    assert landing.headers["location"].endswith(start_url(tenancy))
    response = client.submit(start_url(tenancy), {"scheme": "huurverlaging-2024"})
    assert response.status_code == 303
    return tenancy, response.headers["location"].removesuffix("/huishouden")


def upload(client, path: str, name: str, content: bytes, kind: str = "income_month_1"):  # type: ignore[no-untyped-def]
    return client.post(
        f"{path}/bewijs",
        data={"csrf_token": client.csrf(), "kind": kind},
        files={"file": (name, content, "application/pdf")},
        follow_redirects=False,
    )


def test_no_js_flow_end_to_end(client, engine, settings, in_2024):
    tenancy, path = begin(client, engine, settings)
    page = soup(client.get(f"{path}/huishouden"))
    assert page.h1.get_text(strip=True) == "Wie wonen er in uw huis?"
    assert page.find("input", attrs={"name": "adult1_name"})["value"] == "Tenant 1"
    assert page.find("input", attrs={"name": "rent"})["value"] == "600,00"

    form = household_form(adult2_name="Partner", adult2_birth="01-02-1982",
                          child1_birth="02-02-2010", earlier="huurverlaging-2023")  # fmt: skip
    response = client.submit(f"{path}/huishouden", form)
    assert response.status_code == 303 and response.headers["location"].endswith("/inkomen")
    page = soup(client.get(f"{path}/inkomen"))
    labels = [label.get_text(strip=True) for label in page.find_all("label")]
    assert "Inkomen van Tenant 1 in de laatste 6 maanden samen (bruto)" in labels
    response = client.submit(f"{path}/inkomen", {"adult1_income": "6000", "adult2_income": "4.000,50",
                                                 "income_dropped_on": "15-01-2024"})  # fmt: skip
    assert response.status_code == 303 and response.headers["location"].endswith("/bewijs")

    assert upload(client, path, "loonstrook-jan.pdf", PDF).status_code == 303
    assert upload(client, path, "foto.png", PNG, "ib60").status_code == 303
    page = soup(client.get(f"{path}/bewijs"))
    names = [a.get_text(strip=True) for a in page.select("tbody td a")]
    assert names == ["loonstrook-jan.pdf", "foto.png"]

    summary = soup(client.get(f"{path}/versturen"))
    text = summary.get_text(" ", strip=True)
    assert "€\xa06.000,00" in text and "€\xa04.000,50" in text
    # The tenant said they had the 2023 reduction: the page warns but lets them send.
    assert "U kreeg al huurverlaging via: Eenmalige huurverlaging 2023" in text
    assert "U kunt uw verzoek toch versturen" in text
    response = client.submit(f"{path}/versturen")
    assert response.status_code == 303 and response.headers["location"].endswith(path)

    status = soup(client.get(path))
    reference = status.h1.get_text(strip=True).removeprefix("Uw verzoek ")
    assert reference.startswith("HV-")
    assert "Ontvangen, wordt bekeken" in status.get_text()
    with new_session(engine) as session:
        req = session.exec(select(ReductionRequest)).one()
        assert req.reference == reference and req.status == "submitted"
        data = json.loads(req.answers)
        assert [a["income_cents"] for a in data["adults"]] == [600000, 400050]
        assert data["children"] == [{"birth_date": "2010-02-02"}]
        mail = session.exec(select(OutboxMessage)).one()
        assert mail.template == "rent_reduction_received" and mail.recipient == tenancy.email
    # Sent: the steps now lead to the status page; the home page links to it.
    assert (
        client.get(f"{path}/huishouden", follow_redirects=False).headers["location"].endswith(path)
    )
    start = soup(client.get(start_url(tenancy)))
    assert start.find("a", string=reference) is not None


def test_draft_is_kept_between_visits(client, make_client, engine, settings, in_2024):
    tenancy, path = begin(client, engine, settings)
    client.submit(f"{path}/huishouden", household_form(adult1_birth="15-05-1980"))
    later = make_client()
    enter(later, rr_code(engine, settings, tenancy))
    start = soup(later.get(start_url(tenancy)))
    assert "Uw verzoek is nog niet verstuurd" in start.get_text()
    link = start.find("a", string="Ga verder met uw verzoek")["href"]
    page = soup(later.get(link))
    assert page.find("input", attrs={"name": "adult1_birth"})["value"] == "1980-05-15"
    # A second start does not make a second draft.
    later.submit(start_url(tenancy), {"scheme": "huurverlaging-2024"})
    with new_session(engine) as session:
        assert len(session.exec(select(ReductionRequest)).all()) == 1


def test_household_errors_keep_the_entered_values(client, engine, settings, in_2024):
    _tenancy, path = begin(client, engine, settings)
    response = client.submit(f"{path}/huishouden", household_form(adult1_birth="gisteren",
                                                                  child1_birth="01-01-1990"))  # fmt: skip
    assert response.status_code == 400
    page = soup(response)
    assert {a["href"] for a in page.select(".error-summary a")} == {
        "#adult1_birth",
        "#child1_birth",
    }
    assert page.find("input", attrs={"name": "adult1_birth"})["value"] == "gisteren"


def test_renamed_executable_and_html_are_refused(client, engine, settings, in_2024):
    _tenancy, path = begin(client, engine, settings)
    for name, content in (("loonstrook.pdf", EXE), ("loonstrook.pdf", HTML)):
        response = upload(client, path, name, content)
        assert response.status_code == 400
        message = soup(response).select_one("#file-error").get_text(" ", strip=True)
        assert "Dit soort bestand kunnen wij niet gebruiken. Stuur een PDF, JPG of PNG." in message
    assert upload(client, path, "leeg.pdf", b"").status_code == 400
    assert upload(client, path, "x.pdf", PDF, kind="onzin").status_code == 400
    with new_session(engine) as session:
        assert session.exec(select(EvidenceFile)).all() == []
    folder = settings.upload_dir / "rent_reductions"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_too_large_upload_is_refused(client, engine, settings, in_2024):
    _tenancy, path = begin(client, engine, settings)
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = upload(client, path, "groot.pdf", big)
    assert response.status_code == 400
    assert "Het bestand is te groot" in soup(response).select_one("#file-error").get_text()


def test_upload_is_stored_outside_static_and_served_as_attachment(
    client, engine, settings, in_2024
):
    _tenancy, path = begin(client, engine, settings)
    upload(client, path, "mijn loonstrook.exe", PDF)
    with new_session(engine) as session:
        row = session.exec(select(EvidenceFile)).one()
    stored = settings.upload_dir / "rent_reductions" / row.stored_name
    assert stored.read_bytes() == PDF
    assert row.original_name == "mijn loonstrook.pdf"
    assert not (PROJECT_ROOT / "static").joinpath(row.stored_name).exists()
    response = client.get(f"{path}/bewijs/{row.id}")
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="mijn_loonstrook.pdf"'
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    with new_session(engine) as session:
        viewed = session.exec(
            select(AuditEvent).where(AuditEvent.action == "rent_reduction.evidence_viewed")
        ).one()
    assert viewed.actor.startswith("tenancy:")
    # Removing it deletes the file.
    assert client.submit(f"{path}/bewijs/{row.id}/verwijderen").status_code == 303
    assert not stored.exists()
    assert client.get(f"{path}/bewijs/{row.id}").status_code == 404


def test_another_tenancys_code_gets_403(client, make_client, engine, settings, in_2024):
    tenancy, path = begin(client, engine, settings)
    neighbour = tenancies(engine, tenancy.corporation_id)[1]
    other = make_client()
    enter(other, rr_code(engine, settings, neighbour))
    for url in (start_url(tenancy), f"{path}/huishouden", f"{path}/bewijs", path):
        response = other.get(url)
        assert response.status_code == 403, url
        assert soup(response).h1 is not None
    # Their own request path with someone else's request id is not found.
    foreign = path.replace(f"/huurverlaging/{tenancy.id}/", f"/huurverlaging/{neighbour.id}/")
    assert other.get(foreign).status_code == 404
    # No code at all.
    assert make_client().get(start_url(tenancy)).status_code == 403


def test_scheme_switched_off_or_expired_refuses_new_requests(client, engine, settings, in_2024,
                                                            monkeypatch):  # fmt: skip
    world = world_with_scheme(engine)
    tenancy = tenancies(engine, world.corporation.id)[0]
    enter(client, rr_code(engine, settings, tenancy))
    response = client.submit(start_url(tenancy), {"scheme": "huurverlaging-2024"})
    path = response.headers["location"].removesuffix("/huishouden")
    client.submit(f"{path}/huishouden", household_form())
    client.submit(f"{path}/inkomen", {"adult1_income": "6000", "income_dropped_on": "01-02-2024"})
    # The scheme ends while the draft waits.
    import datetime as dt

    monkeypatch.setattr(registry, "today", lambda: dt.date(2025, 1, 2))
    response = client.submit(f"{path}/versturen")
    assert response.status_code == 400
    message = soup(response).select_one(".error-summary").get_text(" ", strip=True)
    assert (
        "Deze regeling is gestopt. U kon tot en met 30 december 2024 een verzoek doen." in message
    )
    start = soup(client.get(start_url(tenancy))).get_text(" ", strip=True)
    assert "Een nieuw verzoek is niet meer mogelijk" in start
    # A scheme the corporation switched off cannot be started either.
    enable(engine, world.corporation.id, on=False)
    monkeypatch.setattr(registry, "today", lambda: dt.date(2024, 6, 3))
    other = tenancies(engine, world.corporation.id)[1]
    second = client  # same browser may hold several codes
    enter(second, rr_code(engine, settings, other))
    refused = second.submit(start_url(other), {"scheme": "huurverlaging-2024"})
    assert refused.status_code == 400
    assert "U kunt nu geen nieuw verzoek doen" in soup(refused).get_text()


def test_old_case_stays_readable_after_the_scheme_ended(client, engine, settings, in_2024,
                                                       monkeypatch):  # fmt: skip
    import datetime as dt

    world = world_with_scheme(engine)
    tenancy = tenancies(engine, world.corporation.id)[0]
    req = sent_request(engine, settings, tenancy, files=[("a.pdf", PDF)])
    monkeypatch.setattr(registry, "today", lambda: dt.date(2026, 1, 1))
    enter(client, rr_code(engine, settings, tenancy))
    page = soup(client.get(f"/huurverlaging/{tenancy.id}/aanvragen/{req.id}"))
    assert page.h1.get_text(strip=True) == f"Uw verzoek {req.reference}"
    assert "Huurverlaging op verzoek 2024" in page.get_text()


def test_tenant_downloads_everything_held(client, engine, settings, in_2024):
    world = world_with_scheme(engine)
    tenancy = tenancies(engine, world.corporation.id)[0]
    req = sent_request(engine, settings, tenancy, files=[("jan.pdf", PDF)])
    enter(client, rr_code(engine, settings, tenancy))
    response = client.get(f"/huurverlaging/{tenancy.id}/aanvragen/{req.id}/gegevens")
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["evidence/01-jan.pdf", "request.json"]
    data = json.loads(archive.read("request.json"))
    assert data["reference"] == req.reference
    assert data["answers"]["adults"][0]["income_cents"] == 1000000
    assert archive.read("evidence/01-jan.pdf") == PDF


def test_a_code_without_object_for_the_tenancy_is_accepted(client, make_client, engine, settings,
                                                           in_2024):  # fmt: skip
    """Codes sent on request (code_requests) may carry no object: still this tenancy only."""
    world = world_with_scheme(engine)
    tenancy, neighbour = tenancies(engine, world.corporation.id)[:2]
    enter(client, tenant_code(engine, settings, tenancy, Purpose.RENT_REDUCTION, None))
    page = soup(client.get(start_url(tenancy)))
    assert page.h1.get_text(strip=True) == "Huurverlaging aanvragen"
    assert client.get(start_url(neighbour)).status_code == 403
    # A code for another purpose does not open the page.
    other = make_client()
    enter(other, tenant_code(engine, settings, tenancy, Purpose.MOVING, tenancy.id))
    assert other.get(start_url(tenancy)).status_code == 403
