"""Engine factory: backend settings and connectivity."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.db import create_engine, ping


async def test_ping_reaches_the_database(engine: AsyncEngine) -> None:
    await ping(engine)


async def test_ping_raises_when_the_database_is_unreachable(tmp_path: Path) -> None:
    # A folder where the file should be: SQLite cannot open it.
    (tmp_path / "db").mkdir()
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db'}")
    try:
        with pytest.raises(sa.exc.OperationalError):
            await ping(engine)
    finally:
        await engine.dispose()


async def test_sqlite_creates_its_folder_and_sets_pragmas_on_every_connection(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nested" / "deeper" / "bot.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        # Two connections at once, so the pragmas cannot come from one reused connection.
        async with engine.connect() as first, engine.connect() as second:
            for conn in (first, second):
                settings = [
                    (await conn.execute(sa.text(f"PRAGMA {name}"))).scalar_one()
                    for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
                ]
                assert settings == ["wal", 1, 5000, 1]  # synchronous NORMAL is 1
    finally:
        await engine.dispose()
    assert path.is_file()
