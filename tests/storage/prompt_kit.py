"""What the daily-prompt storage tests share: a small bank, a scripted publisher, alerts."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.knowledge import Stage
from bot.core.messages import Platform
from bot.core.prompts.bank import Prompt
from bot.core.prompts.channels import PromptChannelService
from bot.core.prompts.library import PromptLibrary
from bot.core.prompts.ports import (
    ChannelSettings,
    ChannelTarget,
    PromptChannel,
    PromptPost,
    Published,
)
from bot.core.prompts.posting import PromptPoster
from bot.core.prompts.schedule import DEFAULT_GRACE, EVERY_DAY, Schedule
from bot.storage.prompts.channels import SqlPromptChannels
from bot.storage.prompts.custom import SqlCustomPrompts
from bot.storage.prompts.posts import SqlPromptPosts

Sessions = async_sessionmaker[AsyncSession]
STAGES = (
    Stage("basics", "Basics", ("html", "css")),
    Stage("backend", "Backend", ("http", "sql")),
)
BANK = tuple(
    Prompt(f"{topic}-{n}", f"{topic} {n}", f"Do {topic} thing {n}.", "easy", (topic,), hint="h")
    for topic in ("html", "css", "http", "sql")
    for n in (1, 2)
)


@dataclass
class Delivered:
    """One call of the publisher."""

    channel_id: str
    day: date
    prompt_id: str


@dataclass
class ScriptedPublisher:
    """Records every publish; raises the scripted errors first, in order, then succeeds."""

    failures: list[Exception] = field(default_factory=list)
    always: Exception | None = None  # raised on every call when set
    pause: float = 0.0  # seconds inside publish, so concurrent ticks overlap
    calls: list[Delivered] = field(default_factory=list)

    async def publish(self, channel: ChannelTarget, post: PromptPost) -> Published:
        self.calls.append(Delivered(channel.channel_id, post.day, post.prompt.id))
        if self.pause:
            await asyncio.sleep(self.pause)
        if self.always is not None:
            raise self.always
        if self.failures:
            raise self.failures.pop(0)
        return Published(f"m-{channel.channel_id}-{post.day}-{len(self.calls)}", "t-1")

    def days(self, channel_id: str) -> list[date]:
        return [c.day for c in self.calls if c.channel_id == channel_id]


@dataclass
class RecordingAlerts:
    """Collects what moderators would be told."""

    paused: list[tuple[str, str]] = field(default_factory=list)
    problems: list[tuple[str, date, str]] = field(default_factory=list)
    low_pools: list[tuple[str, int]] = field(default_factory=list)

    async def channel_paused(self, channel: ChannelTarget, reason: str) -> None:
        self.paused.append((channel.channel_id, reason))

    async def post_problem(self, channel: ChannelTarget, day: date, problem: str) -> None:
        self.problems.append((channel.channel_id, day, problem))

    async def pool_low(self, channel: ChannelTarget, left: int) -> None:
        self.low_pools.append((channel.channel_id, left))


def poster(
    sessions: Sessions,
    publisher: ScriptedPublisher,
    alerts: RecordingAlerts | None = None,
    *,
    bank: Iterable[Prompt] = BANK,
    owner: str | None = None,
) -> PromptPoster:
    """Return a poster on these sessions posting to Discord through publisher."""
    return PromptPoster(
        SqlPromptChannels(sessions),
        SqlPromptPosts(sessions),
        PromptLibrary(tuple(bank), SqlCustomPrompts(sessions)),
        STAGES,
        {Platform.DISCORD: publisher},
        alerts or RecordingAlerts(),
        owner=owner,
        rng=random.Random(7),  # noqa: S311 - a fixed jitter for repeatable tests
    )


def channel_service(sessions: Sessions) -> PromptChannelService:
    return PromptChannelService(SqlPromptChannels(sessions), SqlPromptPosts(sessions))


async def configure(
    sessions: Sessions,
    channel_id: str,
    now: datetime,
    *,
    at: time = time(9, 0),
    timezone: str = "Europe/Berlin",
    weekdays: frozenset[int] = EVERY_DAY,
    grace: timedelta = DEFAULT_GRACE,
) -> PromptChannel:
    """Set up daily prompts in a Discord channel of guild g1."""
    schedule = Schedule(at=at, timezone=timezone, weekdays=weekdays, grace=grace)
    target = ChannelTarget(Platform.DISCORD, "g1", channel_id)
    return await channel_service(sessions).configure(ChannelSettings(target, schedule), now)
