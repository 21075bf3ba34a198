"""The fake's Discord rate limits: buckets per route and channel, a global limit, the floor."""

import asyncio
import time
from collections.abc import AsyncIterator

import discord
import pytest_asyncio

from tests.discord_fake import FakeDiscord, make_client_overrides, running_client
from tests.discord_fake.harness import TIMEOUT, Harness
from tests.discord_fake.ratelimits import RouteLimits


def test_a_bucket_is_per_route_and_channel_and_says_what_is_left() -> None:
    limits = RouteLimits(per_bucket=2, bucket_window=60, global_per_second=100)
    first, wait, _ = limits.check("POST", "/channels/1/messages")
    assert wait is None and first["X-RateLimit-Remaining"] == "1"
    assert limits.check("POST", "/channels/1/messages")[1] is None
    headers, wait, is_global = limits.check("POST", "/channels/1/messages")
    assert wait is not None and wait > 59 and not is_global
    assert headers["X-RateLimit-Remaining"] == "0"
    assert limits.check("POST", "/channels/2/messages")[1] is None  # another channel's bucket
    assert limits.over_limit == 1 and limits.over_global == 0


def test_the_global_limit_spans_routes_but_not_interaction_callbacks() -> None:
    limits = RouteLimits(per_bucket=100, global_per_second=3)
    for channel in range(3):
        assert limits.check("POST", f"/channels/{channel}/messages")[1] is None
    _, wait, is_global = limits.check("POST", "/channels/9/messages")
    assert wait is not None and is_global and limits.over_global == 1
    assert limits.check("POST", "/interactions/5/token/callback")[1] is None


def test_the_floor_is_the_opening_of_the_last_window() -> None:
    limits = RouteLimits(global_per_second=50)
    assert limits.floor_seconds(50) == 0.0
    assert limits.floor_seconds(51) == 1.0
    assert limits.floor_seconds(2000) == 39.0


@pytest_asyncio.fixture(loop_scope="function")
async def limited() -> AsyncIterator[tuple[FakeDiscord, Harness]]:
    limits = RouteLimits(per_bucket=2, bucket_window=0.5, global_per_second=1000)
    async with FakeDiscord(limits=limits) as fake:
        with make_client_overrides(fake):
            harness = Harness()
            async with running_client(harness.client, fake.token, timeout=TIMEOUT):
                yield fake, harness
        assert fake.errors == []


async def test_discord_py_paces_itself_from_the_bucket_headers(
    limited: tuple[FakeDiscord, Harness],
) -> None:
    fake, bot = limited
    channel = bot.client.get_channel(fake.channel_id)
    assert isinstance(channel, discord.TextChannel)
    began = time.monotonic()
    for number in range(5):
        await asyncio.wait_for(channel.send(f"message {number}"), TIMEOUT)
    path = rf"/channels/{fake.channel_id}/messages"
    assert len(fake.requests_matching("POST", path)) == 5
    assert time.monotonic() - began >= 0.9  # two windows waited out: 2 + 2 + 1
    assert fake.limits is not None and fake.limits.over_limit == 0  # paced, never refused
