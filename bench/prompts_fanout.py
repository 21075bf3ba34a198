"""Daily prompts fan-out: many channels due in the same minute, through Discord's rate limits.

    .venv/bin/python bench/prompts_fanout.py --channels 1000

The real Discord adapter (discord.py, its pacing, the prompt publisher) posts to the fake
Discord with Discord's limits on: a bucket per route and channel (5 per 5 s) and the global
limit (50 requests a second), answered by a 429 with `retry_after` when exceeded. Every channel
is configured for the same minute; one tick of the engine (SQLite) posts them all. Each post is
two requests (the message and its answers thread), so the floor the limits set is the moment
the last one may start: `RouteLimits.floor_seconds(2 x channels)`.

Prints the time to finish, the floor and the ratio (target <= 1.1x), and checks that every
channel got exactly one message and one thread, and how many 429s the bot ran into.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answering import content_dir
from bot.core.messages import Incoming, Platform, Reply
from bot.core.prompts.alerts import ModeratorAlerts
from bot.core.prompts.channels import PromptChannelService
from bot.core.prompts.library import PromptLibrary
from bot.core.prompts.ports import ChannelSettings, ChannelTarget
from bot.core.prompts.posting import PromptPoster
from bot.core.prompts.schedule import Schedule
from bot.platform_setup import discord_adapter, reach_of
from bot.storage.content import load_knowledge
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.prompts.bank import load_prompts
from bot.storage.prompts.channels import SqlPromptChannels
from bot.storage.prompts.custom import SqlCustomPrompts
from bot.storage.prompts.posts import SqlPromptPosts
from tests.adapters.test_discord import settings_on
from tests.discord_fake import FakeDiscord, make_client_overrides
from tests.discord_fake.ratelimits import RouteLimits

DAY = datetime(2026, 12, 1, tzinfo=UTC)
AT = clock_time(9, 0)
TARGET = 1.1


async def ignore(incoming: Incoming) -> Reply | None:
    """Nobody talks to the bot during the benchmark."""
    return None


async def main(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fanout-bench-"))
    limits = RouteLimits()
    async with FakeDiscord(limits=limits) as fake:
        with make_client_overrides(fake):
            settings = settings_on(
                fake,
                folder,
                db_name="bench",
            )
            engine = create_engine(settings.database_url.get_secret_value())
            await upgrade(engine)
            sessions = create_sessionmaker(engine)
            channels, posts = SqlPromptChannels(sessions), SqlPromptPosts(sessions)
            service = PromptChannelService(channels, posts)
            guild = str(fake.guild_id)
            ids = fake.world.add_text_channels(count)
            for channel_id in ids:
                target = ChannelTarget(Platform.DISCORD, guild, str(channel_id))
                await service.configure(
                    ChannelSettings(target, Schedule(at=AT, timezone="UTC")), DAY
                )

            adapter = discord_adapter(settings, guild_ready_timeout=0.1)
            serving = asyncio.create_task(adapter.run(ignore, {}))
            await fake.wait_until_identified()
            await asyncio.sleep(1.1)  # the log-in's requests leave the global window
            knowledge = load_knowledge(content_dir(settings))
            prompts = load_prompts(content_dir(settings), [t.id for t in knowledge.topics])
            poster = PromptPoster(
                channels,
                posts,
                PromptLibrary(prompts, SqlCustomPrompts(sessions)),
                knowledge.stages,
                {Platform.DISCORD: adapter.prompt_publisher},
                ModeratorAlerts(reach_of([adapter])),
            )
            refused_before = limits.over_limit
            began = time.perf_counter()
            posted = await poster.tick(DAY + timedelta(hours=9, seconds=30))
            took = time.perf_counter() - began
            refused = limits.over_limit - refused_before

            messages = fake.requests_matching("POST", r"/channels/\d+/messages")
            threads = fake.requests_matching("POST", r"/channels/\d+/messages/\d+/threads")
            per_channel = {int(r.path.split("/")[2]) for r in messages}
            floor = limits.floor_seconds(len(messages) + len(threads))
            print(f"{count:,} channels due in one minute, through the fake Discord's limits")
            print(
                f"  posted {posted:,}; messages {len(messages):,} to {len(per_channel):,} "
                f"channels, threads {len(threads):,}; 429s the bot ran into: {refused}"
            )
            print(
                f"  took {took:.1f} s; floor {floor:.1f} s "
                f"({len(messages) + len(threads):,} requests at {limits.global_per_second}/s): "
                f"ratio {took / floor:.3f}x (target <= {TARGET}x)"
            )
            assert posted == count == len(messages) == len(per_channel) == len(threads)
            await adapter.close()
            await asyncio.wait_for(serving, 10)
            await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=1000)
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(parser.parse_args().channels))
