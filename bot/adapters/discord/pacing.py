"""Keep under Discord's global rate limit instead of running into it.

discord.py paces each route from the bucket headers Discord sends, but learns of the global
limit (50 requests a second per bot) only from a 429, after which every request waits. A daily
prompt going out to a thousand channels in one minute would hit it over and over; this paces
the bot's own requests to the limit, so none is refused.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import discord

# Interaction callbacks and token webhooks (command replies and follow-ups) are not counted
# by Discord's global limit: they are never held back here.
UNCOUNTED = ("/interactions/", "/webhooks/")
# Discord counts a request when it arrives, the pace when it starts: a window a little longer
# than a second keeps a request that travelled faster than the one a second before it inside.
WINDOW = 1.05


class GlobalPace:
    """At most `per_second` starts in any window of WINDOW seconds (a sliding window)."""

    def __init__(self, per_second: int) -> None:
        self.per_second = per_second
        self._starts: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def wait_turn(self) -> None:
        """Return when one more request fits in the window, and count it."""
        async with self._lock:  # in order: a waiting request is not overtaken
            while True:
                now = time.monotonic()
                while self._starts and self._starts[0] <= now - WINDOW:
                    self._starts.popleft()
                if len(self._starts) < self.per_second:
                    self._starts.append(now)
                    return
                await asyncio.sleep(self._starts[0] + WINDOW - now)


def pace_requests(http: discord.http.HTTPClient, per_second: int) -> GlobalPace:
    """Make every request of http that Discord counts globally wait for its turn."""
    pace = GlobalPace(per_second)
    request: Callable[..., Awaitable[Any]] = http.request

    async def paced(route: discord.http.Route, **kwargs: Any) -> Any:
        if not route.path.startswith(UNCOUNTED):
            await pace.wait_turn()
        return await request(route, **kwargs)

    http.request = paced  # type: ignore[method-assign]
    return pace
