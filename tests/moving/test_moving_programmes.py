"""Programmes are data per corporation: admin edits them, brokers read them, tenants see them."""

from sqlmodel import select

from consent.access_codes.models import Purpose
from consent.audit.models import AuditEvent
from consent.db import new_session, session_scope
from consent.moving.models import Programme
from consent.moving.programmes import sample_programmes, seed_sample_programmes
from tests.factories import tenant_code
from tests.moving.moving_helpers import errors_of, office, page, sign_in

FORM = {
    "name": "Van Groot Naar Beter", "kind": "step_free",
    "description": "Woont u groot? Verhuis naar kleiner.", "moving_allowance": "1.500,00",
    "phased_rent_years": "3", "phased_rent_threshold": "50", "keep_old_rent": "1", "active": "1",
}  # fmt: skip


def _programmes(engine):
    with new_session(engine) as session:
        return list(session.exec(select(Programme).order_by(Programme.id)).all())


def test_samples_come_from_the_data_file():
    rows = sample_programmes()
    assert [row["name"] for row in rows] == [
        "65+ Verhuisvoordeel",
        "Van Groot Naar Beter",
        "Van Hoog naar Laag",
    ]
    assert all(row["source"] for row in rows)


def test_seeding_is_per_corporation_and_only_once(engine):
    a, b = office(engine), office(engine, "other")
    with session_scope(engine) as session:
        assert seed_sample_programmes(session, a.world.corporation.id, "test") == 3
        assert seed_sample_programmes(session, a.world.corporation.id, "test") == 0
        assert seed_sample_programmes(session, b.world.corporation.id, "test") == 3
    rows = _programmes(engine)
    assert len(rows) == 6
    groot = next(r for r in rows if r.name == "Van Groot Naar Beter")
    assert (
        groot.moving_allowance_cents,
        groot.phased_rent_years,
        groot.phased_rent_threshold_cents,
    ) == (150000, 3, 5000)


def test_admin_creates_and_changes_a_programme(client, engine):
    o = office(engine)
    sign_in(client, o.admin.email)
    assert (
        page(client.get("/medewerkers/verhuizen/regelingen/nieuw"))
        .find("input", id="active")
        .has_attr("checked")
    )
    response = client.submit("/medewerkers/verhuizen/regelingen/nieuw", FORM)
    assert response.status_code == 303
    [row] = _programmes(engine)
    assert (row.corporation_id, row.kind, row.moving_allowance_cents) == (
        o.world.corporation.id,
        "step_free",
        150000,
    )
    assert (row.keep_old_rent, row.priority_65_step_free, row.phased_rent_threshold_cents) == (
        True,
        False,
        5000,
    )
    edit = page(client.get(f"/medewerkers/verhuizen/regelingen/{row.id}"))
    assert edit.find("input", id="moving_allowance")["value"] == "1500,00"
    changed = {**FORM, "moving_allowance": "", "active": ""}
    assert client.submit(f"/medewerkers/verhuizen/regelingen/{row.id}", changed).status_code == 303
    [row] = _programmes(engine)
    assert row.moving_allowance_cents is None and row.active is False
    listing = page(client.get("/medewerkers/verhuizen/regelingen"))
    assert (
        listing.find("table").caption and "Van Groot Naar Beter" in listing.find("table").get_text()
    )
    with new_session(engine) as session:
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert {"moving.programme_created", "moving.programme_changed"} <= set(actions)


def test_programme_form_errors(client, engine):
    o = office(engine)
    sign_in(client, o.admin.email)
    bad = {
        **FORM,
        "name": "",
        "kind": "castle",
        "moving_allowance": "veel",
        "phased_rent_threshold": "",
    }
    response = client.submit("/medewerkers/verhuizen/regelingen/nieuw", bad)
    assert response.status_code == 400
    assert set(errors_of(response)) == {"name", "kind", "moving_allowance", "phased_rent_threshold"}
    assert page(response).find("textarea", id="description").get_text() == FORM["description"]
    assert _programmes(engine) == []


def test_brokers_read_but_do_not_edit(client, engine):
    o = office(engine)
    with session_scope(engine) as session:
        seed_sample_programmes(session, o.world.corporation.id, "test")
    programme_id = _programmes(engine)[0].id
    sign_in(client, o.broker.email)
    listing = page(client.get("/medewerkers/verhuizen/regelingen"))
    assert len(listing.select("tbody tr")) == 3 and not listing.select("tbody a")
    assert client.get("/medewerkers/verhuizen/regelingen/nieuw").status_code == 403
    assert (
        client.submit(f"/medewerkers/verhuizen/regelingen/{programme_id}", FORM).status_code == 403
    )
    assert client.submit("/medewerkers/verhuizen/regelingen/voorbeelden").status_code == 403
    assert _programmes(engine)[0].name == "65+ Verhuisvoordeel"


def test_admin_seeds_samples_with_the_button(client, engine):
    o = office(engine)
    sign_in(client, o.admin.email)
    assert client.submit("/medewerkers/verhuizen/regelingen/voorbeelden").status_code == 303
    assert len(_programmes(engine)) == 3


def test_another_corporations_programme_is_not_found(client, engine):
    o, other = office(engine), office(engine, "other")
    with session_scope(engine) as session:
        seed_sample_programmes(session, other.world.corporation.id, "test")
    foreign = _programmes(engine)[0]
    sign_in(client, o.admin.email)
    assert client.get(f"/medewerkers/verhuizen/regelingen/{foreign.id}").status_code == 404
    assert client.submit(f"/medewerkers/verhuizen/regelingen/{foreign.id}", FORM).status_code == 404
    assert client.get("/medewerkers/verhuizen/regelingen/99999").status_code == 404
    assert client.get("/medewerkers/verhuizen/regelingen/99999999999999999999").status_code == 404
    assert _programmes(engine)[0].name == foreign.name
    assert page(client.get("/medewerkers/verhuizen/regelingen")).find("table") is None


def test_tenants_see_only_active_programmes_of_their_own_corporation(client, engine, settings):
    o, other = office(engine), office(engine, "other")
    with session_scope(engine) as session:
        seed_sample_programmes(session, other.world.corporation.id, "test")
        seed_sample_programmes(session, o.world.corporation.id, "test")
        for row in session.exec(select(Programme).where(Programme.name == "Van Hoog naar Laag")):
            row.active = False
            session.add(row)
    tenancy = o.tenancies[0]
    code = tenant_code(engine, settings, tenancy, Purpose.MOVING, tenancy.id)
    location = client.submit("/code", {"code": code}).headers["location"]
    names = [h3.get_text(strip=True) for h3 in page(client.get(location)).select("section h3")]
    assert names == ["65+ Verhuisvoordeel", "Van Groot Naar Beter"]
