"""Admins switch schemes on and off per corporation."""

from __future__ import annotations

from sqlmodel import select

from consent.audit.models import AuditEvent
from consent.db import new_session
from consent.rent_reductions import registry
from tests.factories import corporation_with_complex, sign_in, staff
from tests.rent_reductions.rr_support import refresh_csrf, soup

URL = "/medewerkers/huurverlaging/regelingen"


def admin_client(client, engine, slug: str = "acme"):  # type: ignore[no-untyped-def]
    corporation_with_complex(engine, slug, homes=2)
    user = staff(engine, slug, "admin")
    sign_in(client, user.email)
    refresh_csrf(client)
    return user


def test_admin_sees_every_scheme_with_validity_and_source(client, engine):
    admin_client(client, engine)
    page = soup(client.get(URL))
    assert page.h1.get_text(strip=True) == "Regelingen voor huurverlaging"
    rows = {tr.td.get_text(" ", strip=True): tr for tr in page.select("tbody tr")}
    assert set(rows) == {"Eenmalige huurverlaging 2023", "Huurverlaging op verzoek 2024",
                         "Hardheidsregeling huurverlaging (sjabloon) (sjabloon)"}  # fmt: skip
    row = rows["Huurverlaging op verzoek 2024"]
    assert "01-01-2024 – 30-12-2024" in row.get_text(" ", strip=True)
    assert "Kamerstukken II 36 281" in row.get_text()
    assert row.find("button").get_text(strip=True) == "Zet Huurverlaging op verzoek 2024 aan"
    assert rows["Hardheidsregeling huurverlaging (sjabloon) (sjabloon)"].find("form") is None


def test_enable_and_disable_per_corporation(client, engine):
    user = admin_client(client, engine)
    corporation_with_complex(engine, "other", homes=1)
    response = client.submit(f"{URL}/huurverlaging-2024", {"enabled": "1"})
    assert response.status_code == 303
    with new_session(engine) as session:
        assert registry.enabled_ids(session, user.corporation_id) == {"huurverlaging-2024"}
        other = staff(engine, "other", "admin")
        assert registry.enabled_ids(session, other.corporation_id) == set()
        actions = session.exec(select(AuditEvent.action)).all()
    assert "rent_reduction.scheme_enabled" in actions
    page = soup(client.get(URL))
    assert page.find("button", string="Zet Huurverlaging op verzoek 2024 uit") is not None
    client.submit(f"{URL}/huurverlaging-2024", {"enabled": "0"})
    with new_session(engine) as session:
        assert registry.enabled_ids(session, user.corporation_id) == set()


def test_unknown_scheme_is_404_and_template_cannot_be_enabled(client, engine):
    admin_client(client, engine)
    assert client.submit(f"{URL}/bestaat-niet", {"enabled": "1"}).status_code == 404
    refused = client.submit(f"{URL}/template-hardship", {"enabled": "1"})
    assert refused.status_code == 400
    assert soup(refused).h1 is not None


def test_only_admins(client, engine):
    corporation_with_complex(engine, "acme", homes=1)
    assert client.get(URL, follow_redirects=False).status_code == 303  # to the sign-in page
    worker = staff(engine, "acme", "case_worker")
    sign_in(client, worker.email)
    refresh_csrf(client)
    response = client.get(URL)
    assert response.status_code == 403
    assert soup(response).h1 is not None
    assert client.submit(f"{URL}/huurverlaging-2024", {"enabled": "1"}).status_code == 403
