"""When a failed delivery is tried again: growing waits with jitter, within the grace window."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

# The wait after the 1st, 2nd, ... failed attempt; after the last one the post has failed.
BACKOFF: Final = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=60),
)
MAX_ATTEMPTS: Final = len(BACKOFF) + 1
JITTER: Final = (0.8, 1.2)  # each wait is scaled by a factor drawn from this range


def next_retry(
    attempts: int,
    now: datetime,
    deadline: datetime,
    *,
    retry_after: float = 0.0,
    jitter: float = 1.0,
) -> datetime | None:
    """Return when to try again after `attempts` failed tries, or None to give up.

    The wait is the backoff step scaled by jitter (so processes that failed together do not
    retry together), at least what the platform asked for (retry_after seconds), and never
    past the deadline (the end of the grace window): a retry that cannot fit gives up.
    """
    if attempts >= MAX_ATTEMPTS:
        return None
    wait = BACKOFF[max(attempts, 1) - 1] * jitter
    earliest = now + timedelta(seconds=max(retry_after, 0.0))
    at = max(min(now + wait, deadline), earliest)
    if at > deadline or at <= now:
        return None
    return at
