"""A process that ticks the daily-prompt engine, for the two-process test.

Run: python tests/processes/prompt_ticker.py DATABASE_URL OUT_FILE NOW_ISO TICKS
Prints "ready", waits for a line on stdin (so two processes start ticking together), ticks
TICKS times at NOW_ISO, appends "channel day process-id" to OUT_FILE per delivery, prints
the number of posts it made.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.core.messages import Platform
from bot.core.prompts.library import PromptLibrary
from bot.core.prompts.ports import ChannelTarget, PromptPost, Published
from bot.core.prompts.posting import PromptPoster
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.prompts.channels import SqlPromptChannels
from bot.storage.prompts.custom import SqlCustomPrompts
from bot.storage.prompts.posts import SqlPromptPosts
from tests.storage.prompt_kit import BANK, STAGES, RecordingAlerts


class FilePublisher:
    """Appends one line per delivery to a file both processes share."""

    def __init__(self, path: Path) -> None:
        self._path = path

    async def publish(self, channel: ChannelTarget, post: PromptPost) -> Published:
        with self._path.open("a", encoding="utf-8") as out:  # O_APPEND: whole lines
            out.write(f"{channel.channel_id} {post.day} {os.getpid()}\n")
        await asyncio.sleep(0.005)  # a platform's round trip, so the processes overlap
        return Published(f"m-{channel.channel_id}-{post.day}")


async def main(url: str, out: Path, now: datetime, ticks: int) -> None:
    engine = create_engine(url)
    try:
        sessions = create_sessionmaker(engine)
        poster = PromptPoster(
            SqlPromptChannels(sessions), SqlPromptPosts(sessions),
            PromptLibrary(BANK, SqlCustomPrompts(sessions)), STAGES,
            {Platform.DISCORD: FilePublisher(out)}, RecordingAlerts(),
            rng=random.Random(),  # noqa: S311 - jitter
        )  # fmt: skip
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        posted = 0
        for _ in range(ticks):
            posted += await poster.tick(now)
        print(posted, flush=True)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(
        main(sys.argv[1], Path(sys.argv[2]), datetime.fromisoformat(sys.argv[3]), int(sys.argv[4]))
    )
