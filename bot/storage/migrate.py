"""Run Alembic migrations from async code, on a connection the caller's engine owns."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, MetaData, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.paths import resource_dir
from bot.storage import tables
from bot.storage.migration_lock import migration_transaction

log = logging.getLogger(__name__)


class SchemaError(RuntimeError):
    """The database's schema is not one that migrations can bring to head."""


@dataclass(frozen=True, slots=True)
class Revisions:
    """The database's revision before and after a migration run (None: never migrated)."""

    before: str | None
    after: str | None


def alembic_config() -> Config:
    """Return an Alembic config for the shipped migrations, wherever the bot runs from."""
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> Revisions:
    """Upgrade the database to revision (the newest by default)."""
    return await _run_command(engine, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> Revisions:
    """Downgrade the database to revision ("base" empties it)."""
    return await _run_command(engine, command.downgrade, revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    """Return the database's revision, or None if it was never migrated."""
    async with engine.connect() as conn:
        return await conn.run_sync(_revision)


async def schema_problem(engine: AsyncEngine) -> str | None:
    """Return why migrations cannot bring this database to head, or None if they can."""
    async with engine.connect() as conn:
        return await conn.run_sync(_schema_problem)


async def drift(engine: AsyncEngine, metadata: MetaData | None = None) -> list[Any]:
    """Return how the database differs from the models; empty means they match."""
    target = tables.metadata if metadata is None else metadata

    def compare(sync_conn: Connection) -> list[Any]:
        # The same options as migrations/env.py, so this agrees with `alembic check`.
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return list(compare_metadata(context, target))

    async with engine.connect() as conn:
        return await conn.run_sync(compare)


async def _run_command(engine: AsyncEngine, run: Callable[..., None], *args: str) -> Revisions:
    """Run an Alembic command in one transaction that holds the migration lock."""

    def with_connection(sync_conn: Connection) -> Revisions:
        config = alembic_config()
        # env.py uses this connection instead of starting its own event loop, which
        # asyncio.run() could not do inside the caller's running loop.
        config.attributes["connection"] = sync_conn
        # Read under the lock: a process that waited sees what the one before it did.
        problem = _schema_problem(sync_conn)
        if problem is not None:
            raise SchemaError(problem)
        before = _revision(sync_conn)
        target = _resolve(config, args[0])
        # Said only when there is something to do: a start at head stays quiet.
        if before != target:
            log.info("migrating database from %s to %s", before or "empty", target or "empty")
        run(config, *args)
        return Revisions(before, _revision(sync_conn))

    async with migration_transaction(engine) as conn:
        return await conn.run_sync(with_connection)


def _resolve(config: Config, revision: str) -> object:
    """Return the revision id that "head", "base" or an id stands for (None for base)."""
    try:
        return ScriptDirectory.from_config(config).as_revision_number(revision)
    except CommandError:  # a relative step such as "-1": report it as asked
        return revision


def _revision(sync_conn: Connection) -> str | None:
    return MigrationContext.configure(sync_conn).get_current_revision()


def _schema_problem(sync_conn: Connection) -> str | None:
    revision = _revision(sync_conn)
    if revision is None:
        # Left by a start killed before migrations were one transaction: creating the tables
        # again would fail, and guessing their revision could skip or repeat steps.
        found = sorted(set(inspect(sync_conn).get_table_names()) & set(tables.metadata.tables))
        if found:
            return (
                f"the bot's tables exist ({', '.join(found)}) but no migration revision is "
                "recorded; if it holds no data, empty the database, else run `alembic stamp` "
                "with the revision its tables match"
            )
        return None
    known = {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }
    if revision not in known:
        return (
            f"revision {revision} is unknown to this version of the bot (a newer one migrated it?)"
        )
    return None
