"""Ports of the mentoring job shared by its parts: mentor profiles, blocks, handing work back.

The profiles side (signup, edit, pause, resume, leave, block) and the requests side (requests,
the queue, offers, introductions, follow-ups, stats) meet here: the requests side reads
profiles and blocks; the profiles side hands a leaving or pausing mentor's work back to it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Protocol

from bot.core.mentoring.fit import Pair
from bot.core.messages import Platform

DEFAULT_CAPACITY: Final = 2
EXPIRIES_BEFORE_PAUSE: Final = 3  # offers let expire in a row before a mentor is paused


@dataclass(frozen=True, slots=True)
class MentorKey:
    """A mentor in one community (a person may mentor in several)."""

    platform: Platform
    space_id: str
    user_id: str


@dataclass(frozen=True, slots=True)
class MentorProfile:
    """What a mentor volunteered: topics, experience, hours, capacity and an intro.

    The hours are kept as written (`Mon-Thu 18:00-20:00`) and read with
    availability.parse_availability(hours, timezone) when matching; they are shown only to
    the mentor's matches.
    """

    key: MentorKey
    display_name: str
    topics: frozenset[str]  # knowledge-base topic ids
    level: int  # the last stage index (canonical path) the mentor is experienced enough to guide
    timezone: str  # IANA name
    hours: str
    capacity: int = DEFAULT_CAPACITY  # active mentees at once
    intro: str = ""
    paused_until: date | None = None  # paused through this local date (date.max: until resume)
    paused_reason: str | None = None  # e.g. "3 offers expired in a row"
    expired_in_row: int = 0  # offers let expire since the last one answered
    joined_at: datetime | None = None

    def paused_on(self, day: date) -> bool:
        """Return whether the mentor takes no new offers on day."""
        return self.paused_until is not None and day <= self.paused_until


class MentorProfiles(Protocol):
    """Stores mentors' profiles, one per community and person."""

    async def get(self, key: MentorKey) -> MentorProfile | None:
        """Return the mentor's profile, or None when they have not signed up (or left)."""
        ...

    async def save(self, profile: MentorProfile) -> MentorProfile:
        """Create or replace a profile (signup, edit); pause state and counters are kept."""
        ...

    async def set_pause(self, key: MentorKey, until: date | None, reason: str | None) -> bool:
        """Pause through until (None resumes and clears the expiry count); False if unknown."""
        ...

    async def remove(self, key: MentorKey) -> bool:
        """Delete the profile and every personal field of it (leave); False if unknown."""
        ...

    async def in_space(self, platform: Platform, space_id: str) -> list[MentorProfile]:
        """Return every mentor of a community, paused ones included."""
        ...

    async def for_topics(
        self,
        platform: Platform,
        space_id: str,
        topic_ids: Collection[str],
        *,
        fresh: bool = False,
    ) -> list[MentorProfile]:
        """Return the community's mentors offering any of topic_ids (each with all its topics).

        Paused ones are included, in in_space's order; no topics gives no mentors. The answer
        may be a few seconds old (a cache; an offer re-checks the mentor) unless fresh.
        """
        ...

    async def count_expiry(self, key: MentorKey) -> int:
        """Add one offer let expire in a row and return the new count."""
        ...

    async def clear_expiries(self, key: MentorKey) -> None:
        """Reset the count after the mentor answered an offer."""
        ...


class MentorBlocks(Protocol):
    """Blocks learners set against mentors (and members against peers in rounds).

    A block is one person's private choice: nobody else is ever shown it. It holds on its
    platform in every community.
    """

    async def block(self, platform: Platform, blocker_id: str, blocked_id: str) -> bool:
        """Record the block; False when it was already there."""
        ...

    async def unblock(self, platform: Platform, blocker_id: str, blocked_id: str) -> bool:
        """Remove the block; False when there was none."""
        ...

    async def pairs_among(self, platform: Platform, member_ids: Collection[str]) -> set[Pair]:
        """Return the unordered pairs of these members that a block forbids (either way)."""
        ...

    async def blocked_with(self, platform: Platform, member_id: str) -> set[str]:
        """Return everyone a block keeps from member_id (blocked by them, or blocking them)."""
        ...


class Handback(Protocol):
    """Takes a mentor's work back for rematching when they leave or pause (requests side)."""

    async def release(self, key: MentorKey, *, active_too: bool) -> int:
        """Withdraw the mentor's pending offers (and active pairings when active_too).

        Each released request goes back to the queue at its original place and is matched
        again; its learner is told. Return how many requests were handed back.
        """
        ...
