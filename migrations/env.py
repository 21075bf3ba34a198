"""Alembic environment: one set of revisions for SQLite and PostgreSQL.

The database comes from, in order: a connection passed in by bot.storage.migrate
(config.attributes["connection"]), `alembic -x url=...`, $BOT_DATABASE_URL, or the default
SQLite file.
"""

from __future__ import annotations

import asyncio
import logging
import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection
from sqlalchemy.engine import make_url

from bot.storage.db import create_engine
from bot.storage.migration_lock import migration_transaction
from bot.storage.tables import UtcDateTime, metadata

DEFAULT_URL = "sqlite+aiosqlite:///./data/bot.db"

config = context.config
target_metadata = metadata

# Config lives in pyproject.toml; Alembic still names an alembic.ini that need not exist.
if config.config_file_name is not None and os.path.isfile(config.config_file_name):
    fileConfig(config.config_file_name)
elif "connection" not in config.attributes and not logging.getLogger().handlers:
    # Run from the command line without an ini file: still show which revisions ran.
    logging.basicConfig(format="%(levelname)-5.5s [%(name)s] %(message)s")
    logging.getLogger("alembic").setLevel(logging.INFO)


def database_url() -> str:
    """Return the URL given on the command line, in the environment, or the default."""
    return context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        "BOT_DATABASE_URL", DEFAULT_URL
    )


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render UtcDateTime as a plain column type, so revisions never import the bot."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def context_options(dialect_name: str) -> dict[str, Any]:
    """Return the options every run shares; batch mode because SQLite cannot ALTER much."""
    return {
        "target_metadata": target_metadata,
        "render_as_batch": dialect_name == "sqlite",
        "compare_type": True,
        "render_item": render_item,
    }


def run_migrations_offline() -> None:
    """Emit SQL for the URL's dialect instead of connecting (alembic ... --sql)."""
    url = database_url()
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **context_options(make_url(url).get_backend_name()),
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    """Run the migrations on a synchronous connection."""
    context.configure(connection=connection, **context_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    """Open an engine for the configured URL and run the migrations on it, under the lock."""
    engine = create_engine(database_url())
    try:
        async with migration_transaction(engine) as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    """Run on the connection passed in, or on a new engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
