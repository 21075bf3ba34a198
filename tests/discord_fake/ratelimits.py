"""Discord's rate limits as Discord sets them: per-route buckets and a global limit per bot.

Opt in with `FakeDiscord(..., limits=RouteLimits())`. Every answered call then carries the
`X-RateLimit-*` headers of its bucket (discord.py paces itself from them), and a call over a
bucket's or the global limit gets a 429 with `retry_after` (and `global: true` for the global
one), counted in `over_limit`. A fan-out benchmark measures pacing against the floor these
limits set: `floor_seconds`.
"""

from __future__ import annotations

import math
import re
import time
import zlib
from collections import deque
from dataclasses import dataclass, field

# The top-level resource that gives a route its own bucket (Discord's "major parameter").
_MAJOR = re.compile(r"^/(channels|guilds|webhooks)/(\d+)")
_IDS = re.compile(r"/\d+")


@dataclass
class RouteLimits:
    """A sliding-window limit per bucket (route + major parameter) and one for the whole bot."""

    per_bucket: int = 5  # Discord's message create: 5 per 5 s per channel
    bucket_window: float = 5.0
    global_per_second: int = 50
    over_limit: int = 0  # calls answered with a 429
    over_global: int = 0
    _calls: dict[str, deque[float]] = field(default_factory=dict)
    _global: deque[float] = field(default_factory=deque)

    def check(self, method: str, path: str) -> tuple[dict[str, str], float | None, bool]:
        """Count a call; return its headers, and how long to wait (None: allowed), and if global.

        Interaction callbacks and webhooks with a token are not under the global limit, as on
        Discord.
        """
        now = time.monotonic()
        bucket = _bucket(method, path)
        calls = self._calls.setdefault(bucket, deque())
        _expire(calls, now - self.bucket_window)
        counts_globally = not path.startswith(("/interactions/", "/webhooks/"))
        if counts_globally:
            _expire(self._global, now - 1.0)
            if len(self._global) >= self.global_per_second:
                self.over_limit += 1
                self.over_global += 1
                wait = self._global[0] + 1.0 - now
                return _headers(bucket, self.per_bucket, 0, wait), max(wait, 0.001), True
        if len(calls) >= self.per_bucket:
            self.over_limit += 1
            wait = calls[0] + self.bucket_window - now
            return _headers(bucket, self.per_bucket, 0, wait), max(wait, 0.001), False
        calls.append(now)
        if counts_globally:
            self._global.append(now)
        reset_after = calls[0] + self.bucket_window - now
        left = self.per_bucket - len(calls)
        return _headers(bucket, self.per_bucket, left, reset_after), None, False

    def floor_seconds(self, calls: int) -> float:
        """Return the least time `calls` globally limited calls can take under the limit."""
        if calls <= self.global_per_second:
            return 0.0
        # Each second lets a window's worth through; the last window opens at this time.
        return float(math.ceil(calls / self.global_per_second) - 1)


def _bucket(method: str, path: str) -> str:
    major = _MAJOR.match(path)
    route = _IDS.sub("/:id", path)
    return f"{method} {route} {major.group(0) if major else ''}"


def _expire(calls: deque[float], before: float) -> None:
    while calls and calls[0] <= before:
        calls.popleft()


def _headers(bucket: str, limit: int, remaining: int, reset_after: float) -> dict[str, str]:
    reset_after = max(reset_after, 0.0)
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": f"fake-{zlib.crc32(bucket.encode()):08x}",
        "Via": "1.1 google",  # discord.py takes a 429 without it for a Cloudflare ban
    }
