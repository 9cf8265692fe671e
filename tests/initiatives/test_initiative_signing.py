"""Co-signing: once per tenancy (also under concurrent requests), only within the complex."""

from __future__ import annotations

import threading

from sqlmodel import func, select

from consent.db import new_session, session_scope
from consent.initiatives import service
from consent.initiatives.models import Signature, Status, StatusChange
from consent.initiatives.service import SignResult
from tests.factories import corporation_with_complex, tenancies
from tests.initiatives.initiative_helpers import (
    make_initiative,
    reload,
    second_complex,
    set_corporation,
)


def _open(engine, settings, initiative_id):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        service.open_for_signing(session, settings, initiative_id, actor="test")


def _signatures(engine, initiative_id: int) -> int:
    with new_session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(Signature)
            .where(Signature.initiative_id == initiative_id)
        ).one()


def _sign(engine, settings, initiative_id: int, tenancy_id: int) -> SignResult:
    with session_scope(engine) as session:
        return service.sign(session, settings, initiative_id, tenancy_id)


def test_one_signature_per_tenancy_under_concurrent_requests(engine, settings):
    world = corporation_with_complex(engine)
    homes = tenancies(engine, world.corporation.id)
    initiative = make_initiative(engine, settings, world, homes[0])
    _open(engine, settings, initiative.id)
    neighbour = homes[1]
    results: list[SignResult] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def attempt() -> None:
        try:
            barrier.wait()
            results.append(_sign(engine, settings, initiative.id, neighbour.id))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results).count(SignResult.SIGNED) == 1
    assert results.count(SignResult.ALREADY) == 7
    assert _signatures(engine, initiative.id) == 2  # the initiator and the neighbour


def test_many_neighbours_at_once_all_count_and_threshold_submits_once(engine, settings):
    world = corporation_with_complex(engine, homes=12)
    set_corporation(engine, world.corporation.id, initiative_support_percent=50)
    homes = tenancies(engine, world.corporation.id)
    initiative = make_initiative(engine, settings, world, homes[0])
    _open(engine, settings, initiative.id)
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def attempt(tenancy_id: int) -> None:
        try:
            barrier.wait()
            _sign(engine, settings, initiative.id, tenancy_id)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=(t.id,)) for t in homes[1:9]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _signatures(engine, initiative.id) in (6, 7, 8, 9)  # closes once 6 of 12 signed
    found = reload(engine, initiative.id)
    assert found.status == Status.SUBMITTED
    assert found.submitted_at is not None and found.due_at is not None
    with new_session(engine) as session:
        history = select(StatusChange).where(
            StatusChange.initiative_id == initiative.id,
            StatusChange.to_status == "submitted",
        )
        assert len(session.exec(history).all()) == 1


def test_no_signing_across_complexes_or_corporations(engine, settings):
    world = corporation_with_complex(engine, "acme")
    other = corporation_with_complex(engine, "other")
    homes = tenancies(engine, world.corporation.id)
    initiative = make_initiative(engine, settings, world, homes[0])
    _open(engine, settings, initiative.id)
    _complex, elsewhere = second_complex(engine, world.corporation.id)
    stranger = tenancies(engine, other.corporation.id)[1]
    assert _sign(engine, settings, initiative.id, elsewhere[0].id) is SignResult.NOT_ALLOWED
    assert _sign(engine, settings, initiative.id, stranger.id) is SignResult.NOT_ALLOWED
    assert _signatures(engine, initiative.id) == 1


def test_signing_only_while_collecting_and_not_for_a_home(engine, settings):
    world = corporation_with_complex(engine)
    homes = tenancies(engine, world.corporation.id)
    draft = make_initiative(engine, settings, world, homes[0])
    assert _sign(engine, settings, draft.id, homes[1].id) is SignResult.CLOSED
    own_home = make_initiative(engine, settings, world, homes[0], for_home=True)
    assert own_home.unit_id == homes[0].unit_id
    assert _sign(engine, settings, own_home.id, homes[1].id) is SignResult.CLOSED


def test_threshold_reached_when_opening_submits_at_once(engine, settings):
    world = corporation_with_complex(engine, homes=2)
    set_corporation(engine, world.corporation.id, initiative_support_percent=50)
    initiative = make_initiative(engine, settings, world)
    _open(engine, settings, initiative.id)
    assert reload(engine, initiative.id).status == Status.SUBMITTED
