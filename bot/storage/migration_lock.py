"""One transaction per migration run, which only one process at a time can enter."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

# Any fixed number will do, as long as every process of the bot uses the same one.
# Advisory locks are per database, so two databases on one server do not wait for each other.
POSTGRES_LOCK_KEY = 0x726F61646D6170  # "roadmap"

# How long a SQLite migrator waits for another one to finish; a first start on a big
# database can rebuild tables for a while, and waiting is always better than failing.
SQLITE_WAIT_MS = 300_000


class ForeignKeyViolationError(RuntimeError):
    """A migration left rows whose foreign keys point nowhere; it was rolled back."""


@asynccontextmanager
async def migration_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """Yield a connection inside one transaction that holds the database's migration lock."""
    if engine.dialect.name == "sqlite":
        async with _sqlite_transaction(engine) as conn:
            yield conn
        return
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Taken before anything reads alembic_version, and held until commit, so a
            # waiting process reads the revision the winner committed and has nothing to do.
            await conn.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_LOCK_KEY}
            )
        yield conn


@asynccontextmanager
async def _sqlite_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """Yield a connection inside BEGIN IMMEDIATE, with foreign keys off for table rebuilds."""
    async with engine.connect() as conn:
        # pysqlite opens a transaction only before INSERT/UPDATE/DELETE, so CREATE TABLE and
        # batch-mode rebuilds would each commit on their own. In autocommit mode the driver
        # leaves BEGIN and COMMIT to us. The pool resets the mode when the connection returns.
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        foreign_keys = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar_one()
        busy_timeout = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar_one()
        # The pragma is ignored inside a transaction, so it is set before BEGIN. With it on,
        # a batch rebuild's DROP TABLE would delete or refuse rows that other tables reference.
        await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        await conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_WAIT_MS}")
        try:
            # IMMEDIATE takes the write lock before anything is read: a second migrator waits
            # here, then reads the revision the first one committed. (In WAL mode EXCLUSIVE
            # would be the same lock; readers keep reading either way.)
            await conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
                await _check_foreign_keys(conn)
            except BaseException:
                # pysqlite's rollback() sends ROLLBACK only while a transaction is open, which
                # some SQLite errors have already ended.
                await conn.rollback()
                raise
            await conn.exec_driver_sql("COMMIT")
        finally:
            await conn.exec_driver_sql(f"PRAGMA foreign_keys={int(foreign_keys)}")
            await conn.exec_driver_sql(f"PRAGMA busy_timeout={int(busy_timeout)}")
            await conn.commit()


async def _check_foreign_keys(conn: AsyncConnection) -> None:
    """Raise if the migration broke a foreign key, since they were off while it ran."""
    violations = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
    if violations:
        tables = sorted({str(row[0]) for row in violations})
        raise ForeignKeyViolationError(f"migration broke foreign keys in {', '.join(tables)}")
