"""The migration transaction: all or nothing, and the connection goes back to the pool as it was."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.db import create_engine
from bot.storage.migrate import current_revision, upgrade
from bot.storage.migration_lock import ForeignKeyViolationError, migration_transaction


class StepFailedError(Exception):
    pass


async def _table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names()))


async def _columns(engine: AsyncEngine, table: str) -> set[str]:
    async with engine.connect() as conn:
        columns = await conn.run_sync(lambda sync: sa.inspect(sync).get_columns(table))
    return {column["name"] for column in columns}


async def test_a_failed_run_leaves_the_database_as_it_was(engine: AsyncEngine) -> None:
    await upgrade(engine, "0001")
    before = await _table_names(engine)

    def fail(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # In 0004, after spaces and members were rebuilt (SQLite) or altered (PostgreSQL).
        if statement.lstrip().startswith("CREATE TABLE milestone_roles"):
            raise StepFailedError

    sa.event.listen(engine.sync_engine, "after_cursor_execute", fail)
    with pytest.raises(StepFailedError):
        await upgrade(engine)
    sa.event.remove(engine.sync_engine, "after_cursor_execute", fail)

    assert await current_revision(engine) == "0001"
    assert await _table_names(engine) == before
    assert "days_per_freeze" not in await _columns(engine, "spaces")
    await upgrade(engine)
    assert "days_per_freeze" in await _columns(engine, "spaces")


async def test_sqlite_connection_goes_back_to_the_pool_as_it_was(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        await upgrade(engine)
        assert engine.pool.checkedin() == 1

        async with engine.connect() as conn:  # the connection the migration used
            pragmas = [
                (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar_one()
                for name in ("foreign_keys", "busy_timeout")
            ]
            raw = await conn.get_raw_connection()
            # "" is pysqlite's default: it opens transactions again, as the repositories expect.
            assert raw.driver_connection is not None
            isolation_level = raw.driver_connection.isolation_level
    finally:
        await engine.dispose()
    assert pragmas == [1, 5000]
    assert isolation_level == ""


async def test_sqlite_run_that_breaks_a_foreign_key_is_rolled_back(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        with pytest.raises(ForeignKeyViolationError, match="child"):
            async with migration_transaction(engine) as conn:
                await conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
                await conn.exec_driver_sql(
                    "CREATE TABLE child (id INTEGER PRIMARY KEY, "
                    "parent_id INTEGER REFERENCES parent (id))"
                )
                await conn.exec_driver_sql("INSERT INTO child (id, parent_id) VALUES (1, 42)")

        assert await _table_names(engine) == set()
    finally:
        await engine.dispose()
