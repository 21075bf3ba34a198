"""Migrations in real processes: first starts racing each other, and a start killed mid-way."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from bot.storage.db import create_engine
from bot.storage.migrate import alembic_config, current_revision, drift
from tests.conftest import PostgresServer

DRIVER = Path(__file__).with_name("migration_driver.py")
ROUNDS, PROCESSES = 4, 4
TIMEOUT = 60.0  # seconds; only reached when something hangs
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Return a maker of empty databases on this test's backend (one per round)."""
    if request.param == "sqlite":
        numbers = itertools.count()
        yield lambda: f"sqlite+aiosqlite:///{tmp_path / f'bot{next(numbers)}.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    names: list[str] = []

    def create() -> str:
        names.append(f"test_{uuid.uuid4().hex[:16]}")
        server.client("createdb", names[-1])
        return server.url(names[-1])

    try:
        yield create
    finally:
        for name in names:
            server.client("dropdb", "--force", name)


async def _start(url: str, cwd: Path, *args: str) -> asyncio.subprocess.Process:
    """Start a Python process on the database at url, with no other BOT_ settings."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("BOT_")}
    env.update(BOT_DATABASE_URL=url, BOT_LOG_LEVEL="WARNING")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _migrate(url: str, cwd: Path) -> tuple[int | None, str, str]:
    """Run `python -m bot migrate` and return its exit code, stdout and stderr."""
    process = await _start(url, cwd, "-m", "bot", "migrate")
    out, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
    return process.returncode, out.decode(), err.decode()


async def _table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def _assert_at_head(url: str) -> None:
    engine = create_engine(url)
    try:
        assert await current_revision(engine) == HEAD
        assert await drift(engine) == []
    finally:
        await engine.dispose()


async def _drive(url: str, cwd: Path) -> tuple[int | None, str, str]:
    """Upgrade in a driver process; return its exit code, revisions ("None 0004") and stderr."""
    process = await _start(url, cwd, str(DRIVER), url)
    out, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
    return process.returncode, out.decode().strip(), err.decode()


async def test_processes_starting_together_migrate_once(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    for _ in range(ROUNDS):
        url = new_database()

        results = await asyncio.gather(*(_drive(url, tmp_path) for _ in range(PROCESSES)))

        errors = "\n".join(err for *_, err in results)  # whole tracebacks, when one fails
        assert [code for code, _, _ in results] == [0] * PROCESSES, errors
        # One process migrated; the others waited for its lock, then found head.
        assert sorted(out for _, out, _ in results) == sorted(
            [f"None {HEAD}"] + [f"{HEAD} {HEAD}"] * (PROCESSES - 1)
        )
        await _assert_at_head(url)


# Mid-0002 (0001 already recorded), and in 0004 after the batch rebuilds of spaces and members.
@pytest.mark.parametrize("pause_after", ["CREATE TABLE progress", "CREATE TABLE milestone_roles"])
async def test_a_start_killed_mid_migration_leaves_nothing_behind(
    new_database: Callable[[], str], tmp_path: Path, pause_after: str
) -> None:
    url = new_database()
    driver = await _start(url, tmp_path, str(DRIVER), url, pause_after)
    try:
        assert driver.stdout is not None
        assert await asyncio.wait_for(driver.stdout.readline(), TIMEOUT) == b"paused\n"
    finally:
        driver.kill()  # SIGKILL: no cleanup of any kind runs
        await driver.communicate()

    assert await _table_names(url) == set()
    code, out, err = await _migrate(url, tmp_path)
    assert code == 0, err
    assert "migrated from empty" in out
    await _assert_at_head(url)
