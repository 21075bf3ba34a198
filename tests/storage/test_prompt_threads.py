"""Which threads take answers: posts found by their thread id, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.messages import Platform
from bot.storage.db import create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.prompts.threads import SqlPromptThreads
from tests.storage.prompt_kit import ScriptedPublisher, Sessions, configure, poster

DUE = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)  # 09:00 in Berlin


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


async def test_a_posted_prompt_s_thread_is_known_on_its_platform_only(sessions: Sessions) -> None:
    await configure(sessions, "c1", DUE - timedelta(hours=1))
    threads = SqlPromptThreads(sessions)
    assert not await threads.is_prompt_thread(Platform.DISCORD, "t-1")  # nothing posted yet

    assert await poster(sessions, ScriptedPublisher()).tick(DUE) == 1  # its thread is "t-1"

    assert await threads.is_prompt_thread(Platform.DISCORD, "t-1")
    assert not await threads.is_prompt_thread(Platform.SLACK, "t-1")
    assert not await threads.is_prompt_thread(Platform.DISCORD, "t-2")
