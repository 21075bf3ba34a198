"""The prompts job in the composed bot: the real bank, the timer's tick, the console publisher."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.adapters.console_prompts import ConsolePromptPublisher
from bot.app import open_bot
from bot.config import Settings, load_settings
from bot.core.clock import FixedClock
from bot.core.messages import Platform
from bot.core.prompts.channels import PromptChannelService
from bot.core.prompts.ports import ChannelSettings, ChannelTarget
from bot.core.prompts.schedule import Schedule
from bot.storage.db import create_sessionmaker
from bot.storage.prompts.channels import SqlPromptChannels
from bot.storage.prompts.posts import SqlPromptPosts

DUE = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)  # 09:00 in Berlin


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    return load_settings(database_url=database_url, data_dir=tmp_path / "data")


async def test_the_timer_posts_a_console_channels_prompt_once(settings: Settings) -> None:
    clock = FixedClock(DUE - timedelta(hours=1))
    printed = io.StringIO()
    publishers = {Platform.CONSOLE: ConsolePromptPublisher(printed)}
    async with open_bot(settings, clock, prompt_publishers=publishers) as bot:
        sessions = create_sessionmaker(bot.engine)
        channels = SqlPromptChannels(sessions)
        service = PromptChannelService(channels, SqlPromptPosts(sessions))
        target = ChannelTarget(Platform.CONSOLE, "local", "study")
        schedule = Schedule(at=time(9, 0), timezone="Europe/Berlin")
        await service.configure(ChannelSettings(target, schedule), clock.now())
        tick = bot.timers["daily-prompts"].run

        assert await tick() == 0
        clock.advance(timedelta(hours=1))
        assert await tick() == 1
        assert await tick() == 0

    text = printed.getvalue()
    assert text.count("Daily prompt, 2025-06-02") == 1
    assert "#study" in text and "Difficulty" in text and "Topics" in text
    assert "Hint: hidden" in text  # the hint itself is not shown


async def test_without_publishers_the_tick_does_nothing(settings: Settings) -> None:
    async with open_bot(settings, FixedClock(DUE)) as bot:
        assert await bot.timers["daily-prompts"].run() == 0
