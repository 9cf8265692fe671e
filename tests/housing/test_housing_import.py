"""The register import on both databases: all or nothing, idempotent, updates in place."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import col, select

from consent.accounts.service import AccountError
from consent.audit.models import AuditEvent
from consent.db import new_session
from consent.housing.importer import import_file, import_text
from consent.housing.models import Tenancy, Unit
from consent.settings import PROJECT_ROOT
from consent.timeutil import to_local, utcnow
from tests.housing.housing_support import (
    csv_text,
    make_corporation,
    names,
    snapshot,
    tenancy,
    unit,
    vacant,
)


def test_the_example_complex_imports(engine):
    corporation = make_corporation(engine)
    result = import_file(engine, PROJECT_ROOT / "consent/data/complex-de-linde.csv", "acme", "test")
    assert result.errors == []
    assert (result.created, result.tenancies_started) == (24, 22)
    stored = snapshot(engine, corporation)
    assert stored["complexes"] == [("C-0142", "De Linde")]
    assert len(stored["units"]) == 24 and len(stored["tenancies"]) == 22
    assert names(engine, "HO-10402") == ["Yilmaz, A.", "Yilmaz, E."]


def test_one_bad_row_writes_nothing_and_every_bad_row_is_reported(engine):
    corporation = make_corporation(engine)
    rows = [unit(n) for n in range(1, 30)]
    rows[9] = unit(10, postcode="10 AB")
    rows[19] = unit(20, soort="koop")
    result = import_text(engine, csv_text(rows), "acme", "test")
    assert [(e.line, e.reason) for e in result.errors] == [
        (11, "postcode '10 AB' is not a Dutch postcode (1234 AB)"),
        (21, "a koop unit cannot have a tenancy"),
    ]
    assert result.created == 0
    assert snapshot(engine, corporation) == {
        "complexes": [],
        "units": [],
        "tenancies": [],
        "tenants": [],
    }
    with new_session(engine) as session:
        assert (
            session.exec(select(AuditEvent).where(AuditEvent.action == "register.imported")).first()
            is None
        )


def test_the_same_file_twice_changes_nothing(engine):
    corporation = make_corporation(engine)
    text = csv_text([unit(1, huurders="A|B"), unit(2), vacant(3), vacant(4, soort="koop")])
    first = import_text(engine, text, "acme", "test")
    assert (first.created, first.updated, first.unchanged, first.tenancies_started) == (4, 0, 0, 2)
    before = snapshot(engine, corporation)
    second = import_text(engine, text, "acme", "test")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 4)
    assert (second.tenancies_started, second.tenancies_ended) == (0, 0)
    assert snapshot(engine, corporation) == before


def test_a_changed_file_updates_in_place(engine):
    corporation = make_corporation(engine)
    import_text(engine, csv_text([unit(1), unit(2), unit(3)]), "acme", "test")
    before = snapshot(engine, corporation)
    changed = [
        unit(1, kaleHuur="650.25", huisletter="A", clusterNaam="De Linde (blok A)"),
        unit(2, huurders="Huurder 2|Partner 2", taal="tr", email="", telefoon="010-1234567"),
        unit(3, clusterNaam="De Linde (blok A)"),
    ]
    for row in changed[1:]:
        row["clusterNaam"] = "De Linde (blok A)"
    result = import_text(engine, csv_text(changed), "acme", "test")
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    after = snapshot(engine, corporation)
    assert after["complexes"] == [("C-1", "De Linde (blok A)")]
    assert [u[-1] for u in after["units"]] == [u[-1] for u in before["units"]]  # same rows
    assert [t[-1] for t in after["tenancies"]] == [t[-1] for t in before["tenancies"]]
    first = next(u for u in after["units"] if u[0] == "E-1")
    assert (first[4], first[9]) == ("A", 65025)
    second = tenancy(engine, "HO-2")
    assert (second.language, second.email, second.phone) == ("tr", "", "010-1234567")
    assert names(engine, "HO-2") == ["Huurder 2", "Partner 2"]


def test_a_new_tenancy_code_ends_the_old_tenancy_and_starts_the_new_one(engine):
    make_corporation(engine)
    import_text(engine, csv_text([unit(1), unit(2)]), "acme", "test")
    moved_in = unit(
        1, huurovereenkomstCode="HO-1-NIEUW", ingangsdatum="2024-05-01", huurders="Nieuw"
    )
    result = import_text(engine, csv_text([moved_in, unit(2)]), "acme", "test")
    assert (result.updated, result.unchanged) == (1, 1)
    assert (result.tenancies_started, result.tenancies_ended) == (1, 1)
    old, new = tenancy(engine, "HO-1"), tenancy(engine, "HO-1-NIEUW")
    assert old.end_date == date(2024, 5, 1)
    assert (new.start_date, new.end_date, new.unit_id) == (date(2024, 5, 1), None, old.unit_id)
    assert names(engine, "HO-1") == ["Huurder 1"] and names(engine, "HO-1-NIEUW") == ["Nieuw"]
    with new_session(engine) as session:
        current = session.exec(
            select(Tenancy).where(Tenancy.unit_id == old.unit_id, col(Tenancy.end_date).is_(None))
        ).all()
    assert [t.code for t in current] == ["HO-1-NIEUW"]
    again = import_text(engine, csv_text([moved_in, unit(2)]), "acme", "test")
    assert (again.updated, again.tenancies_started, again.tenancies_ended) == (0, 0, 0)


def test_a_unit_that_becomes_vacant_ends_its_tenancy_today(engine):
    make_corporation(engine)
    import_text(engine, csv_text([unit(1)]), "acme", "test")
    result = import_text(engine, csv_text([vacant(1)]), "acme", "test")
    assert (result.updated, result.tenancies_ended) == (1, 1)
    assert tenancy(engine, "HO-1").end_date == to_local(utcnow()).date()
    assert import_text(engine, csv_text([vacant(1)]), "acme", "test").unchanged == 1


def test_an_end_date_is_never_before_the_start(engine):
    make_corporation(engine)
    import_text(engine, csv_text([unit(1, ingangsdatum="2020-06-01")]), "acme", "test")
    earlier = unit(1, huurovereenkomstCode="HO-X", ingangsdatum="2019-01-01")
    import_text(engine, csv_text([earlier]), "acme", "test")
    assert tenancy(engine, "HO-1").end_date == date(2020, 6, 1)


def test_a_tenancy_code_of_another_unit_is_refused_whole(engine):
    corporation = make_corporation(engine)
    import_text(engine, csv_text([unit(1), unit(2)]), "acme", "test")
    before = snapshot(engine, corporation)
    swapped = [unit(1, huurovereenkomstCode="HO-2"), unit(2, huurovereenkomstCode="HO-5"), unit(3)]
    result = import_text(engine, csv_text(swapped[::-1]), "acme", "test")
    assert [(e.line, e.reason) for e in result.errors] == [
        (4, "huurovereenkomstCode HO-2 belongs to unit E-2")
    ]
    assert snapshot(engine, corporation) == before


def test_a_unit_can_move_to_another_complex(engine):
    make_corporation(engine)
    import_text(engine, csv_text([unit(1), unit(2)]), "acme", "test")
    moved = unit(2, clusterCode="C-2", clusterNaam="De Eik")
    result = import_text(engine, csv_text([unit(1), moved]), "acme", "test")
    assert (result.updated, result.unchanged) == (1, 1)
    with new_session(engine) as session:
        units = {u.code: u.complex_id for u in session.exec(select(Unit))}
    assert units["E-1"] != units["E-2"]


def test_corporations_may_use_the_same_codes(engine):
    acme, other = make_corporation(engine, "acme"), make_corporation(engine, "other")
    text = csv_text([unit(1), unit(2)])
    assert import_text(engine, text, "acme", "test").created == 2
    assert import_text(engine, text, "other", "test").created == 2
    first, second = snapshot(engine, acme), snapshot(engine, other)
    assert [u[0] for u in first["units"]] == [u[0] for u in second["units"]] == ["E-1", "E-2"]
    assert not {u[-1] for u in first["units"]} & {u[-1] for u in second["units"]}


def test_an_unknown_corporation_is_an_error(engine):
    with pytest.raises(AccountError, match="no corporation 'nobody'"):
        import_text(engine, csv_text([unit(1)]), "nobody", "test")


def test_an_import_is_audited_with_its_counts(engine):
    corporation = make_corporation(engine)
    import_text(engine, csv_text([unit(1), vacant(2)]), "acme", "cli")
    with new_session(engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "register.imported")
        ).one()
    assert (event.actor, event.corporation_id) == ("cli", corporation)
    assert json.loads(event.details)["created"] == 2
    assert "Huurder" not in event.details


def test_a_big_import_uses_chunks_and_stays_idempotent(engine):
    corporation = make_corporation(engine)
    rows = [unit(n) if n % 10 else vacant(n) for n in range(1, 2501)]
    assert import_text(engine, csv_text(rows), "acme", "test").created == 2500
    before = snapshot(engine, corporation)
    assert len(before["tenants"]) == 2250
    rows[0] = unit(1, huurders="Iemand anders")
    result = import_text(engine, csv_text(rows), "acme", "test")
    assert (result.updated, result.unchanged) == (1, 2499)
    assert names(engine, "HO-1") == ["Iemand anders"]
