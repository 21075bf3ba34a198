"""The bot's own pacing under Discord's global rate limit, with the real discord.py."""

import asyncio
import time
from collections.abc import AsyncIterator

import discord
import pytest_asyncio

from bot.adapters.discord.pacing import WINDOW, GlobalPace, pace_requests
from tests.discord_fake import FakeDiscord, make_client_overrides, running_client
from tests.discord_fake.harness import TIMEOUT, Harness
from tests.discord_fake.ratelimits import RouteLimits

PER_SECOND = 5


async def test_a_sliding_window_lets_per_second_starts_through_each_second() -> None:
    pace = GlobalPace(4)
    began = time.monotonic()
    starts = []
    for _ in range(9):
        await pace.wait_turn()
        starts.append(time.monotonic() - began)
    assert max(starts[:4]) < 0.5  # the first window's worth at once
    assert WINDOW <= starts[4] < WINDOW + 0.5 and 2 * WINDOW <= starts[8] < 2 * WINDOW + 0.5


@pytest_asyncio.fixture(loop_scope="function")
async def limited() -> AsyncIterator[tuple[FakeDiscord, Harness]]:
    limits = RouteLimits(per_bucket=100, global_per_second=PER_SECOND)
    async with FakeDiscord(limits=limits) as fake:
        with make_client_overrides(fake):
            harness = Harness()
            async with running_client(harness.client, fake.token, timeout=TIMEOUT):
                yield fake, harness
        assert fake.errors == []


async def _burst(fake: FakeDiscord, bot: Harness, count: int) -> float:
    """Send count messages at once over two channels; return how long they took."""
    channels = [
        bot.client.get_channel(fake.channel_id),
        bot.client.get_channel(fake.second_channel_id),
    ]
    assert all(isinstance(c, discord.TextChannel) for c in channels)
    began = time.monotonic()
    sends = (channels[n % 2].send(f"post {n}") for n in range(count))  # type: ignore[union-attr]
    # Unpaced, discord.py gives a request up after five 429s: that is not this test's point.
    await asyncio.wait_for(asyncio.gather(*sends, return_exceptions=True), TIMEOUT * 4)
    return time.monotonic() - began


async def test_paced_requests_are_never_refused_and_take_the_floor(
    limited: tuple[FakeDiscord, Harness],
) -> None:
    fake, bot = limited
    assert fake.limits is not None
    pace_requests(bot.client.http, PER_SECOND)
    await asyncio.sleep(1.1)  # the log-in's requests (not paced yet) leave the fake's window
    took = await _burst(fake, bot, 12)
    assert len(fake.requests_matching("POST", r"/channels/\d+/messages")) == 12
    # Refused at most once: a request can still arrive early after a slow one (a busy machine).
    assert fake.limits.over_limit <= 1
    floor = fake.limits.floor_seconds(12)
    assert floor <= took < floor * WINDOW + 1.0


async def test_without_pacing_discord_py_runs_into_the_global_limit(
    limited: tuple[FakeDiscord, Harness],
) -> None:
    fake, bot = limited
    assert fake.limits is not None
    await _burst(fake, bot, 12)
    assert fake.limits.over_global > 0  # why the adapter paces itself
