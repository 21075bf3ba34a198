"""config streaks: a slow recompute (a big community) answers at once and finishes later."""

from __future__ import annotations

import asyncio
import dataclasses

from bot.core.messages import Actor, Platform
from bot.core.ports import Space, StreakSettings
from bot.core.study.settings import ConfigService
from tests.fakes import request

MOD = Actor(Platform.DISCORD, "g1", "c1", "9", "Mo", True, "Guild")


class Spaces:
    def __init__(self) -> None:
        self.space = Space(Platform.DISCORD, "g1", "Guild", None)

    async def get(self, platform: Platform, external_id: str) -> Space | None:
        return self.space

    async def configure_streaks(
        self, platform: Platform, external_id: str, **changes: object
    ) -> Space:
        given = {k: v for k, v in changes.items() if v is not None}
        timezone = given.pop("default_timezone", self.space.default_timezone)
        streaks = dataclasses.replace(self.space.streaks, **given)  # type: ignore[arg-type]
        self.space = dataclasses.replace(self.space, default_timezone=timezone, streaks=streaks)
        return self.space


async def test_a_slow_recompute_finishes_in_the_background() -> None:
    release, finished = asyncio.Event(), asyncio.Event()

    async def recompute(actor: Actor) -> int:
        await release.wait()
        finished.set()
        return 100_000

    spaces = Spaces()
    service = ConfigService(spaces, recompute, wait_seconds=0.01)  # type: ignore[arg-type]
    reply = await service.handle(request(MOD, "config streaks max-freezes 3"))

    assert "being recomputed" in reply.text
    assert spaces.space.streaks == StreakSettings(max_freezes=3)
    release.set()
    await asyncio.wait_for(finished.wait(), 1)


async def test_a_quick_recompute_is_reported() -> None:
    async def recompute(actor: Actor) -> int:
        return 12

    service = ConfigService(Spaces(), recompute)  # type: ignore[arg-type]
    reply = await service.handle(request(MOD, "config streaks freeze-every 5"))
    assert "12 member(s)" in reply.text


async def test_closing_cancels_a_recompute_in_flight_and_waits_for_it() -> None:
    started, ended = asyncio.Event(), asyncio.Event()

    async def recompute(actor: Actor) -> int:
        started.set()
        try:
            await asyncio.sleep(60)
        finally:
            ended.set()
        return 0

    service = ConfigService(Spaces(), recompute, wait_seconds=0.01)  # type: ignore[arg-type]
    reply = await service.handle(request(MOD, "config streaks max-freezes 3"))
    assert "being recomputed" in reply.text and started.is_set()
    await service.aclose()
    assert ended.is_set()
