"""The engine (SQLite with WAL and foreign keys, or PostgreSQL by URL) and sessions."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from typing import IO, Any, TypeVar

from anyio import to_thread
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

T = TypeVar("T")


def make_engine(url: str) -> Engine:
    """hide_parameters: error messages (logged with their tracebacks) name no personal data."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url, pool_size=10, max_overflow=10, pool_pre_ping=True, hide_parameters=True
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on error."""
    with new_session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def new_session(engine: Engine) -> Session:
    """A session whose objects stay readable after commit (handlers render them later)."""
    return Session(engine, expire_on_commit=False)


class _Queue:
    """An asyncio semaphore for all the event loops of a process (a test runs several),
    handed to its waiters in the order they came."""

    def __init__(self, places: int = 1) -> None:
        self._mutex = threading.Lock()
        self._free = places
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()

    async def take(self) -> None:
        with self._mutex:
            if self._free:
                self._free -= 1
                return
            loop = asyncio.get_running_loop()
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append((loop, waiter))
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.give_back()  # handed over just before the cancellation: pass it on
            else:
                with self._mutex, contextlib.suppress(ValueError):
                    self._waiters.remove((loop, waiter))
            raise

    def give_back(self) -> None:
        with self._mutex:
            if not self._waiters:
                self._free += 1
                return
            loop, waiter = self._waiters.popleft()
        loop.call_soon_threadsafe(self._hand_over, waiter)

    def _hand_over(self, waiter: asyncio.Future[None]) -> None:
        if waiter.cancelled():  # gave up meanwhile: the next one
            self.give_back()
        else:
            waiter.set_result(None)


_turns: dict[str, tuple[_Queue, IO[bytes]]] = {}
_turns_lock = threading.Lock()


def _turn_of(engine: Engine) -> tuple[_Queue, IO[bytes]] | None:
    """The queue and lock file of a SQLite database file; None on PostgreSQL (its lock
    waits queue themselves) or when the lock file cannot be made (a read-only folder:
    SQLite's busy wait alone keeps the writes apart then)."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        return None
    with _turns_lock:
        if path not in _turns:
            with contextlib.suppress(OSError):
                _turns[path] = (_Queue(), open(f"{path}.writer", "ab"))  # noqa: SIM115
        return _turns.get(path)


@asynccontextmanager
async def _writer_turn(turn: tuple[_Queue, IO[bytes]]) -> AsyncIterator[None]:
    queue, handle = turn
    await queue.take()
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # Another process writes: wait in a thread, so this process keeps serving.
            try:
                await to_thread.run_sync(fcntl.flock, handle, fcntl.LOCK_EX)
            except BaseException:  # cancelled: the wait is not abandoned, the lock was got
                fcntl.flock(handle, fcntl.LOCK_UN)
                raise
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        queue.give_back()


# Writes in threads at once per process on PostgreSQL: well below the pool's 10 (+10)
# connections, so a request on the event loop always finds one without waiting.
THREADED_WRITES = 4
_threaded_writes: dict[Engine, _Queue] = {}


async def run_write(engine: Engine, work: Callable[..., T], *args: Any) -> T:
    """Run a short write transaction (``work(*args)``, which commits) from an async handler.

    On a SQLite file the writers take turns, and a writer whose turn has come runs on the
    event loop: its transaction then waits for nothing and is short. (SQLite's own busy
    wait polls with growing sleeps, up to 100 ms, so under load a waiting writer misses
    its turn again and again; in threads, a writer holding the lock also competes for the
    interpreter with the other threads.) The waiters queue instead: the requests of a
    process in order of arrival, and the processes on an exclusive ``flock`` of
    ``<database>.writer``, which the kernel grants as soon as it is free.

    On PostgreSQL the work runs in the thread pool, as it may wait for row locks (which
    queue there), at most THREADED_WRITES at a time; the others wait their turn here.
    """
    turn = _turn_of(engine)
    if turn is not None:
        async with _writer_turn(turn):
            return work(*args)
    with _turns_lock:
        places = _threaded_writes.setdefault(engine, _Queue(THREADED_WRITES))
    await places.take()
    try:
        return await to_thread.run_sync(partial(work, *args))
    finally:
        places.give_back()
