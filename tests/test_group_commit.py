"""db.GroupCommit: the writes of many requests in one transaction, taking turns."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from consent.db import GroupCommit


class Refused(Exception):
    pass


def _from_threads(group, engine, items, stagger=0.0):  # type: ignore[no-untyped-def]
    """Each item from its own thread and event loop (as from several requests); the
    outcome, or the exception raised, per item."""
    outcomes: dict[int, object] = {}

    def one(item: int) -> None:
        try:
            outcomes[item] = asyncio.run(group(engine, item))
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            outcomes[item] = exc

    threads = [threading.Thread(target=one, args=(item,), daemon=True) for item in items]
    for thread in threads:
        thread.start()
        time.sleep(stagger)
    for thread in threads:
        thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in threads), "a caller never got its outcome"
    return outcomes


def test_items_queued_during_a_write_are_written_together_next(engine):
    batches: list[list[int]] = []

    def write_many(_engine, items):  # type: ignore[no-untyped-def]
        batches.append(list(items))
        if items == [0]:
            time.sleep(0.3)  # the others arrive meanwhile
        return [f"done {item}" for item in items]

    group = GroupCommit(write_many)
    outcomes = _from_threads(group, engine, range(6), stagger=0.03)
    assert outcomes == {item: f"done {item}" for item in range(6)}
    assert batches == [[0], [1, 2, 3, 4, 5]]  # in order of arrival
    assert asyncio.run(group(engine, 9)) == "done 9" and batches[-1] == [9]


def test_a_batch_is_at_most_the_limit(engine):
    batches: list[list[int]] = []

    def write_many(_engine, items):  # type: ignore[no-untyped-def]
        batches.append(list(items))
        time.sleep(0.2 if items == [0] else 0)
        return list(items)

    outcomes = _from_threads(GroupCommit(write_many, limit=2), engine, range(6), stagger=0.02)
    assert outcomes == {item: item for item in range(6)}
    assert batches == [[0], [1, 2], [3, 4], [5]]


def test_one_writer_at_a_time(engine):
    running: list[int] = []
    most = [0]
    lock = threading.Lock()

    def write_many(_engine, items):  # type: ignore[no-untyped-def]
        with lock:
            running.append(1)
            most[0] = max(most[0], len(running))
        time.sleep(0.05)
        with lock:
            running.pop()
        return list(items)

    _from_threads(GroupCommit(write_many), engine, range(8), stagger=0.01)
    assert most[0] == 1


def test_a_refusal_reaches_its_own_caller_and_a_failure_every_caller(engine):
    def write_many(_engine, items):  # type: ignore[no-untyped-def]
        if 99 in items:
            raise RuntimeError("database gone")
        if items == [0]:
            time.sleep(0.2)
        return [Refused(item) if item % 2 else item for item in items]

    group = GroupCommit(write_many)
    outcomes = _from_threads(group, engine, range(4), stagger=0.02)
    assert [type(outcomes[i]).__name__ for i in range(4)] == ["int", "Refused", "int", "Refused"]
    with pytest.raises(RuntimeError, match="database gone"):
        asyncio.run(group(engine, 99))


def test_an_item_whose_caller_gave_up_is_never_written(engine):
    written: list[int] = []
    holding = threading.Event()

    def write_many(_engine, items):  # type: ignore[no-untyped-def]
        if items == [0]:
            holding.set()
            time.sleep(0.3)
        written.extend(items)
        return list(items)

    group = GroupCommit(write_many)
    holder = threading.Thread(target=lambda: asyncio.run(group(engine, 0)))
    holder.start()
    holding.wait()

    async def scenario() -> int:
        impatient = asyncio.create_task(group(engine, 1))
        await asyncio.sleep(0.05)  # queued behind the holder
        impatient.cancel()
        return await asyncio.wait_for(group(engine, 2), timeout=5)

    assert asyncio.run(scenario()) == 2
    holder.join()
    assert written == [0, 2]


def test_on_postgresql_the_event_loop_keeps_serving_during_a_write(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite writes run on the event loop, in turns")

    def write_many(_engine, items):  # type: ignore[no-untyped-def]
        time.sleep(0.2)
        return list(items)

    async def scenario() -> int:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        await GroupCommit(write_many)(engine, 1)
        ticker.cancel()
        return ticks

    assert asyncio.run(scenario()) >= 10


def test_items_of_a_turn_that_failed_before_writing_are_written_by_the_next(engine, monkeypatch):
    if engine.dialect.name != "sqlite":
        pytest.skip("the writers' lock file of SQLite")
    import consent.db

    written: list[int] = []
    turns = [0]
    real_lock = consent.db._file_lock

    def failing_second_lock(handle):  # type: ignore[no-untyped-def]
        turns[0] += 1
        if turns[0] == 2:
            raise RuntimeError("lock file gone")
        return real_lock(handle)

    def write_many(_engine, items):  # type: ignore[no-untyped-def]
        if items == [0]:
            time.sleep(0.3)  # 1 and 2 queue meanwhile; 1's turn then fails
        written.extend(items)
        return [f"done {item}" for item in items]

    monkeypatch.setattr(consent.db, "_file_lock", failing_second_lock)
    outcomes = _from_threads(GroupCommit(write_many), engine, range(3), stagger=0.05)
    assert outcomes[0] == "done 0" and outcomes[2] == "done 2"
    assert isinstance(outcomes[1], RuntimeError)  # its caller hears it; its item is dropped
    assert written == [0, 2]
