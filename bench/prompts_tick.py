"""Daily prompts: the scheduler tick that finds due channels, with many channels configured.

    .venv/bin/python bench/prompts_tick.py --channels 10000
    .venv/bin/python bench/prompts_tick.py --channels 10000 --postgres postgresql+asyncpg://...

Configures the channels through PromptChannelService (the code moderators' commands call), at
times spread over the day in a dozen timezones, then times PromptPoster.tick:
- at a moment when no channel is due (the usual minute);
- at a moment when a minute's worth of channels is due, with a publisher that only counts
  (so the figure is the engine and the database, not a platform).
Prints p50/p99 against the target (≤ 50 ms for the tick that finds due channels).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answering import content_dir
from bot.config import Settings
from bot.core.messages import Platform
from bot.core.prompts.channels import PromptChannelService
from bot.core.prompts.library import PromptLibrary
from bot.core.prompts.ports import (
    ChannelSettings,
    ChannelTarget,
    PromptPost,
    Published,
)
from bot.core.prompts.posting import PromptPoster
from bot.core.prompts.schedule import Schedule
from bot.storage.content import load_knowledge
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.prompts.bank import load_prompts
from bot.storage.prompts.channels import SqlPromptChannels
from bot.storage.prompts.custom import SqlCustomPrompts
from bot.storage.prompts.posts import SqlPromptPosts

ZONES = (
    "UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
    "America/Sao_Paulo", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Africa/Lagos",
    "Pacific/Auckland", "Asia/Singapore",
)  # fmt: skip
START = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
QUIET_TICKS = 200


class CountingPublisher:
    """A platform that accepts every post at once and counts them."""

    def __init__(self) -> None:
        self.posted = 0

    async def publish(self, channel: ChannelTarget, post: PromptPost) -> Published:
        """Count the post; return a made-up message id."""
        self.posted += 1
        return Published(f"m{self.posted}")


class SilentAlerts:
    """Moderator notices dropped (none are expected here)."""

    async def channel_paused(self, channel: ChannelTarget, reason: str) -> None:
        """Drop it."""

    async def post_problem(self, channel: ChannelTarget, day: object, problem: str) -> None:
        """Drop it."""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def main(channels: int, url: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="prompts-bench-"))
    url = url or f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    store, posts = SqlPromptChannels(sessions), SqlPromptPosts(sessions)
    service = PromptChannelService(store, posts)
    rng = random.Random(20261201)
    started = time.perf_counter()
    for number in range(channels):
        minute = rng.randrange(24 * 60)
        schedule = Schedule(at=clock_time(minute // 60, minute % 60), timezone=rng.choice(ZONES))
        target = ChannelTarget(Platform.DISCORD, f"guild{number // 20}", f"channel{number}")
        await service.configure(ChannelSettings(target, schedule), START)
    seconds = time.perf_counter() - started
    print(f"configured {channels:,} channels in {seconds:.1f} s ({url.split(':')[0]})")

    settings = Settings()
    knowledge = load_knowledge(content_dir(settings))
    prompts = load_prompts(content_dir(settings), [t.id for t in knowledge.topics])
    publisher = CountingPublisher()
    poster = PromptPoster(
        store,
        posts,
        PromptLibrary(prompts, SqlCustomPrompts(sessions)),
        knowledge.stages,
        {Platform.DISCORD: publisher},
        SilentAlerts(),
    )
    # Catch up to START + 1 day first: every channel's first post settled, so each is next due
    # on its own minute of the following day.
    first = START + timedelta(days=1)
    await poster.tick(first)
    print(f"catch-up a day later: {publisher.posted:,} posted (those due within the 3 h grace)")

    # A minute when nobody is due: every channel looked at already has its next day pending.
    quiet = first + timedelta(seconds=30)
    await poster.tick(quiet)  # warm-up
    timings = []
    for _ in range(QUIET_TICKS):
        began = time.perf_counter()
        found = await poster.tick(quiet)
        timings.append((time.perf_counter() - began) * 1000)
        assert found == 0
    print(
        f"tick with nobody due, {channels:,} channels: p50 {statistics.median(timings):.2f} ms"
        f"  p99 {percentile(timings, 0.99):.2f} ms  (target <= 50 ms)"
    )

    # Minute by minute through the next hour: each tick posts the channels due that minute.
    before = publisher.posted
    busy = []
    for minute in range(1, 61):
        began = time.perf_counter()
        await poster.tick(first + timedelta(minutes=minute))
        busy.append((time.perf_counter() - began) * 1000)
    due = publisher.posted - before
    print(
        f"ticks minute by minute for an hour ({due:,} posts, ~{due / 60:.1f} a minute): "
        f"p50 {statistics.median(busy):.1f} ms  p99 {percentile(busy, 0.99):.1f} ms  "
        f"(engine and database only, no platform)"
    )
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=10_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL to run on instead of SQLite")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.channels, arguments.postgres))
