"""Engine and session factories for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy import create_engine as _create_sync_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

log = logging.getLogger(__name__)

# WAL lets readers work while one writer commits; busy_timeout makes a second writer wait
# for the lock instead of failing at once; NORMAL is durable enough under WAL.
_SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)
WAL_TRIES = 20  # switching a new file to WAL, while another process does the same


def create_engine(url: str) -> AsyncEngine:
    """Create an async engine for a database URL, tuned for its backend."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _make_sqlite_folder(parsed)
        engine = _create_async_engine(parsed)
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
        return engine
    # A server may drop idle connections (restarts, failovers); test each one on checkout.
    return _create_async_engine(parsed, pool_pre_ping=True)


T = TypeVar("T")
# Each SQLite file engine's synchronous twin (see in_transaction), keyed by the async engine.
_TWINS: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


async def in_transaction(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """Run work (synchronous SQLAlchemy calls) in one transaction and return its result.

    On a SQLite file it runs in a worker thread on a connection of its own: aiosqlite crosses
    threads two or three times per statement, this once per transaction, and the Python work
    of building parameters and reading rows stays off the event loop. Elsewhere (PostgreSQL)
    it runs on the async connection through run_sync.
    """
    twin = _sqlite_twin(engine)
    if twin is not None:
        return await asyncio.to_thread(_run_in, twin, work)
    async with engine.begin() as connection:
        return await connection.run_sync(work)


def engine_of(sessions: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    """Return the engine a session factory is bound to."""
    bind = sessions.kw.get("bind")
    if not isinstance(bind, AsyncEngine):
        raise TypeError("the session factory is not bound to an AsyncEngine")
    return bind


def off_loop(engine: AsyncEngine) -> bool:
    """Return whether in_transaction runs work in a worker thread (a SQLite file)."""
    return _sqlite_twin(engine) is not None


def _run_in(engine: Engine, work: Callable[[Connection], T]) -> T:
    with engine.begin() as connection:
        return work(connection)


def _sqlite_twin(engine: AsyncEngine) -> Engine | None:
    """Return a synchronous engine on the same SQLite file (made once), or None."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or _in_memory(url):
        return None  # another database, or a memory database only its own connection sees
    twin = _TWINS.get(engine.sync_engine)
    if twin is not None:
        return twin
    made = _create_sync_engine(url.set(drivername="sqlite"))
    event.listen(made, "connect", _set_sqlite_pragmas)
    # Closed with the async engine, so no connection outlives the bot.
    event.listen(engine.sync_engine, "engine_disposed", lambda _engine: made.dispose())
    _TWINS[engine.sync_engine] = made
    return made


def _in_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or "mode=memory" in database + str(url.query)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Create a session factory whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine) -> None:
    """Run SELECT 1, raising if the database cannot be reached."""
    before = _sqlite_workers()
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:
        # aiosqlite stops the thread of a connection that failed to open without waiting for
        # it; if the loop closes first (a CLI exiting on the error), that thread prints an
        # "Event loop is closed" traceback. Wait for it here, off the loop.
        await asyncio.to_thread(_join, _sqlite_workers() - before, 2.0)
        raise


def _sqlite_workers() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.endswith("(_connection_worker_thread)")}


def _join(threads: set[threading.Thread], timeout: float) -> None:
    for thread in threads:
        thread.join(timeout)


def _make_sqlite_folder(url: URL) -> None:
    """Create the folder of a SQLite file, since SQLite creates only the file."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).expanduser().parent
    if not folder.is_dir():
        log.info("creating database folder %s", folder)
        folder.mkdir(parents=True, exist_ok=True)


def _set_sqlite_pragmas(dbapi_connection: Any, _connection_record: Any) -> None:
    """Apply the SQLite pragmas to a new connection (they are per connection)."""
    cursor = dbapi_connection.cursor()
    try:
        # First: without a busy timeout a process starting beside another fails at once.
        cursor.execute("PRAGMA busy_timeout=5000")
        _use_wal(cursor)
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL (it stays so), retrying while another process switches it.

    SQLite answers a journal-mode change it cannot make at once with "database is locked"
    without waiting for the busy timeout; it happens only on a new file, when two processes
    start together, so a few short sleeps at connection time are all it costs.
    """
    cursor.execute("PRAGMA journal_mode")
    if str(cursor.fetchone()[0]).lower() == "wal":
        return  # the usual case: set once, kept in the file
    for attempt in range(1, WAL_TRIES + 1):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as error:  # the driver's OperationalError, wrapped or not
            if "locked" not in str(error) or attempt == WAL_TRIES:
                raise
            time.sleep(0.02 * attempt)
