"""The engine (SQLite with WAL and foreign keys, or PostgreSQL by URL) and sessions."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import threading
from collections import deque, namedtuple
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import IO, Any, Generic, TypeVar, cast

from anyio import to_thread
from sqlalchemy import Select, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


def make_engine(url: str) -> Engine:
    """hide_parameters: error messages (logged with their tracebacks) name no personal data.

    PostgreSQL connections are not pinged before use (a round trip per request, a tenth
    of a tenant page's time): after a database restart the first request to meet a dead
    connection gets the 503 page, its error throws away the whole pool, and the next
    request connects afresh."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=10, max_overflow=10, hide_parameters=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


_readers: dict[Engine, Engine] = {}
_readers_lock = threading.Lock()


def reader(engine: Engine) -> Engine:
    """The engine for pages that only read. On PostgreSQL a companion engine whose
    connections stay in autocommit: each SELECT runs on its own (no BEGIN and ROLLBACK
    round trips) and a connection is neither switched nor reset per use. It has its own
    small pool (a page reads on the event loop, so one at a time per worker) and is
    disposed with ``engine``. On SQLite, whose driver starts no transaction for a
    SELECT, ``engine`` itself."""
    if not is_postgres(engine):
        return engine
    with _readers_lock:
        if engine not in _readers:
            _readers[engine] = create_engine(
                engine.url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None,
                pool_size=2, max_overflow=8, hide_parameters=True,
            )  # fmt: skip
            event.listen(engine, "engine_disposed", _dispose_reader)
        return _readers[engine]


def _dispose_reader(engine: Engine) -> None:
    with _readers_lock:
        companion = _readers.pop(engine, None)
    if companion is not None:
        companion.dispose()


class DriverSelect:
    """A SELECT for a hot read, run on PostgreSQL straight on psycopg's cursor.

    psycopg already returns every column as its Python value, so SQLAlchemy's execution
    and result layers only add work: about 0.1 ms of CPU per run, a tenth of a tenant
    page. The statement is compiled once; rows come as named tuples (``row.name``,
    ``row[i:]``). A driver error is raised as SQLAlchemy's (so the 503 page still shows
    when the database is down), and a lost connection throws away the pool, as
    SQLAlchemy does. On SQLite, whose moments SQLAlchemy converts from text, it runs
    through SQLAlchemy.
    """

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._row: Any = namedtuple("Row", statement.selected_columns.keys(), rename=True)  # type: ignore[misc]
        self._compiled: dict[Any, tuple[str, dict[str, Any]]] = {}

    def first(self, connection: Connection, values: dict[str, Any]) -> Any:
        dialect = connection.dialect
        if dialect.name != "postgresql":
            return connection.execute(self.statement, values).first()
        if dialect not in self._compiled:
            compiled = self.statement.compile(dialect=dialect)
            fixed = {k: b.effective_value for k, b in compiled.binds.items() if not b.required}
            self._compiled[dialect] = (compiled.string, fixed)
        sql, fixed = self._compiled[dialect]
        driver = connection.connection.dbapi_connection
        assert driver is not None
        try:
            cursor = driver.cursor()
            try:
                cursor.execute(sql, {**fixed, **values})
                found = cursor.fetchone()
            finally:
                cursor.close()
        except dialect.loaded_dbapi.Error as exc:
            lost = dialect.is_disconnect(exc, driver, None)
            if lost:
                connection.invalidate(exc)
                connection.engine.dispose(close=False)
            raise DBAPIError.instance(sql, None, exc, dialect.loaded_dbapi.Error,
                                      hide_parameters=True, connection_invalidated=lost,
                                      dialect=dialect) from exc  # fmt: skip
        return None if found is None else self._row._make(found)


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
    """An asyncio lock for all the event loops of a process (a test runs several),
    handed to its waiters in the order they came."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._free = 1
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


_lock_files: dict[str, IO[bytes]] = {}
_turns_lock = threading.Lock()


def _lock_file_of(engine: Engine) -> IO[bytes] | None:
    """The writers' lock file of a SQLite database file; None on PostgreSQL (its lock
    waits queue themselves) or when it cannot be made (a read-only folder: SQLite's busy
    wait alone keeps the writes apart then)."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        return None
    with _turns_lock:
        if path not in _lock_files:
            with contextlib.suppress(OSError):
                _lock_files[path] = open(f"{path}.writer", "ab")  # noqa: SIM115
        return _lock_files.get(path)


_queues: dict[Engine, _Queue] = {}


def _queue_of(engine: Engine) -> _Queue:
    with _turns_lock:
        return _queues.setdefault(engine, _Queue())


@asynccontextmanager
async def _file_lock(handle: IO[bytes]) -> AsyncIterator[None]:
    """The exclusive ``flock`` of a SQLite file's ``.writer`` file, which the kernel grants
    as soon as it is free (SQLite's own busy wait polls with growing sleeps)."""
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


class _Pending:
    """An item waiting to be written, and then its outcome."""

    def __init__(self, item: Any) -> None:
        self.item = item
        self.done = False
        self.outcome: Any = None


class GroupCommit(Generic[Item, Outcome]):
    """Writes of one kind from all the requests of a process, many in one transaction.

    ``write_many(engine, items)`` writes the items in one transaction, in the order
    given, and returns an outcome per item: its result, or an exception for its caller.
    ``await group(engine, item)`` queues the item and waits for a turn to write; the
    writer whose turn it is writes every item queued by then (at most ``limit``), so
    a request that finds its item written by an earlier turn returns at once. Under load
    one transaction, one lock wait and one commit then serve many requests; alone, a
    request writes its own item straight away.

    The turns: one writer at a time per process, in order of arrival. On a SQLite file
    the writers of all processes also take turns on an exclusive ``flock`` of
    ``<database>.writer``, and the writer runs on the event loop: its transaction waits
    for nothing and is short (in a thread it would also compete for the interpreter).
    On PostgreSQL the writer runs in a thread, as it may wait for row locks, so the
    event loop keeps serving meanwhile.
    """

    def __init__(self, write_many: Callable[[Engine, list[Item]], Sequence[Outcome | BaseException]],
                 limit: int = 100) -> None:  # fmt: skip
        self._write_many = write_many
        self._limit = limit
        self._lock = threading.Lock()
        self._queued: dict[Engine, deque[_Pending]] = {}

    async def __call__(self, engine: Engine, item: Item) -> Outcome:
        pending = _Pending(item)
        with self._lock:
            self._queued.setdefault(engine, deque()).append(pending)
        queue = _queue_of(engine)
        try:
            while not pending.done:
                await queue.take()
                try:
                    if not pending.done:
                        await self._write_turn(engine)
                finally:
                    queue.give_back()
        except BaseException:
            with self._lock, contextlib.suppress(ValueError):
                self._queued[engine].remove(pending)  # never written after its caller left
            raise
        if isinstance(pending.outcome, BaseException):
            raise pending.outcome
        return cast(Outcome, pending.outcome)

    async def _write_turn(self, engine: Engine) -> None:
        with self._lock:
            queued = self._queued[engine]
            batch = [queued.popleft() for _ in range(min(self._limit, len(queued)))]
        try:
            lock_file = _lock_file_of(engine)
            if lock_file is None:
                await to_thread.run_sync(self._write, engine, batch)
            else:
                async with _file_lock(lock_file):
                    self._write(engine, batch)
        finally:
            # Not written (the turn failed before the transaction began, or was
            # cancelled waiting for the file lock): back to the front, for the next turn.
            unwritten = [pending for pending in batch if not pending.done]
            with self._lock:
                queued.extendleft(reversed(unwritten))

    def _write(self, engine: Engine, batch: list[_Pending]) -> None:
        outcomes: list[Any]
        try:
            outcomes = list(self._write_many(engine, [p.item for p in batch]))
        except Exception as exc:  # the whole transaction failed: every caller hears it
            outcomes = [exc] * len(batch)
        for pending, outcome in zip(batch, outcomes, strict=True):
            pending.outcome, pending.done = outcome, True
