"""Two real processes tick the daily-prompt engine on one PostgreSQL database at once."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.tables import PromptPostRow
from tests.conftest import PostgresServer
from tests.storage.prompt_kit import configure

DRIVER = Path(__file__).with_name("prompt_ticker.py")
CHANNELS = 40
DUE = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)  # 09:00 in Berlin
TIMEOUT = 120.0


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    name = f"test_{uuid.uuid4().hex[:16]}"
    postgres_server.client("createdb", name)
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.client("dropdb", "--force", name)


async def _start(url: str, out: Path, now: datetime) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(DRIVER), url, str(out), now.isoformat(), "3",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    ready = await asyncio.wait_for(process.stdout.readline(), TIMEOUT)
    assert ready.strip() == b"ready"
    return process


async def _finish(process: asyncio.subprocess.Process) -> int:
    out, _ = await asyncio.wait_for(process.communicate(), TIMEOUT)
    assert process.returncode == 0
    return int(out.split()[-1])


@pytest.mark.postgres
async def test_two_processes_post_each_channel_day_exactly_once(
    postgres_url: str, tmp_path: Path
) -> None:
    engine = create_engine(postgres_url)
    try:
        await upgrade(engine)
        sessions = create_sessionmaker(engine)
        for n in range(CHANNELS):
            await configure(sessions, f"c{n}", DUE - timedelta(hours=1))
        out = tmp_path / "deliveries.txt"
        for day in range(2):
            now = DUE + timedelta(days=day, seconds=1)
            processes = [await _start(postgres_url, out, now) for _ in range(2)]
            for process in processes:  # both wait on stdin: release them together
                assert process.stdin is not None
                process.stdin.write(b"go\n")
                await process.stdin.drain()
            posted = [await _finish(process) for process in processes]
            assert sum(posted) == CHANNELS

        lines = out.read_text().splitlines()
        per_channel_day = Counter(tuple(line.split()[:2]) for line in lines)
        assert len(per_channel_day) == 2 * CHANNELS
        assert set(per_channel_day.values()) == {1}  # never twice, across processes
        async with sessions() as session:
            states = (await session.execute(select(PromptPostRow.state))).scalars().all()
        assert Counter(states) == {"posted": 2 * CHANNELS}
    finally:
        await engine.dispose()
