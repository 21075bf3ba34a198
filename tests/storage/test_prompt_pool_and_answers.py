"""A low pool is reported once per cycle; answers are kept once per member and message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.messages import Platform
from bot.core.prompts.selection import LOW_POOL_DAYS
from bot.storage.db import create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.prompts.answers import SqlPromptAnswers
from bot.storage.prompts.channels import SqlPromptChannels
from bot.storage.tables import PromptChannelRow, PromptPostRow, PromptUseRow
from tests.storage.prompt_kit import (
    BANK,
    RecordingAlerts,
    ScriptedPublisher,
    Sessions,
    configure,
    poster,
)

DUE = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)  # 09:00 in Berlin


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


async def test_a_low_pool_is_reported_once_per_cycle(sessions: Sessions) -> None:
    assert len(BANK) - 1 <= LOW_POOL_DAYS  # the small bank is low from its first post
    await configure(sessions, "c1", DUE - timedelta(hours=1))
    alerts = RecordingAlerts()
    engine = poster(sessions, ScriptedPublisher(), alerts)
    for day in range(len(BANK) + 2):  # a whole cycle, and two posts into the next one
        assert await engine.tick(DUE + timedelta(days=day)) == 1
    assert alerts.low_pools == [("c1", len(BANK) - 1), ("c1", len(BANK) - 1)]
    async with sessions() as session:
        seen = await session.scalar(select(PromptChannelRow.low_pool_cycle))
    assert seen == 1  # the second cycle's warning is recorded: a restart does not repeat it


async def test_a_skipped_prompt_is_used_once_per_cycle(sessions: Sessions) -> None:
    channel = await configure(sessions, "c1", DUE - timedelta(hours=1))
    channels = SqlPromptChannels(sessions)
    assert await channels.skip_prompt(channel.id, 0, "html-1", DUE)
    assert not await channels.skip_prompt(channel.id, 0, "html-1", DUE)
    assert await channels.used(channel.id, 0) == {"html-1"}
    async with sessions() as session:
        (use,) = (await session.execute(select(PromptUseRow))).scalars()
    assert use.how == "skipped"


async def test_an_answer_is_kept_once_per_member_and_once_per_message(sessions: Sessions) -> None:
    await configure(sessions, "c1", DUE - timedelta(hours=1))
    engine = poster(sessions, ScriptedPublisher())
    assert await engine.tick(DUE) == 1
    post = await _post_id(sessions)
    answers = SqlPromptAnswers(sessions)
    assert await answers.add(post, Platform.DISCORD, "ada", "msg-1", "first", DUE)
    assert not await answers.add(post, Platform.DISCORD, "ada", "msg-2", "second", DUE)
    assert not await answers.add(post, Platform.DISCORD, "bea", "msg-1", "redelivered", DUE)
    assert await answers.add(post, Platform.DISCORD, "bea", "msg-3", "hers", DUE)
    assert [a.user_id for a in await answers.of_post(post)] == ["ada", "bea"]


async def _post_id(sessions: Sessions) -> int:
    async with sessions() as session:
        found = await session.scalar(
            select(PromptPostRow.id).where(PromptPostRow.local_date == date(2025, 6, 2))
        )
    assert found is not None
    return int(found)
