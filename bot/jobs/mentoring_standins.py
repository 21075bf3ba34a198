"""TEMPORARY stand-ins so the requests side runs before its neighbours are merged.

The integrator replaces all of this: StandInMessenger by the real PrivateMessenger (which
holds a refused DM for the member's next message), and the in-memory profiles and blocks by
the profile side's SqlMentorProfiles and SqlMentorBlocks.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import replace
from datetime import date

from bot.core.mentoring.fit import Pair, pair_of
from bot.core.mentoring.ports import MentorKey, MentorProfile
from bot.core.messages import Platform, Reply
from bot.core.ports import MemberKey, Reach

log = logging.getLogger(__name__)


class StandInMessenger:
    """TEMPORARY PrivateMessenger: a DM through the platform's notifier, False on failure."""

    def __init__(self, reach: Reach) -> None:
        self._reach = reach

    async def send(self, key: MemberKey, reply: Reply, *, space_id: str) -> bool:
        """DM the member; False (and a log line, nothing held) when that is not possible."""
        notifier = self._reach.notifiers.get(key.platform)
        if notifier is None:
            log.info(
                "no notifier on %s: a private message to %s is dropped", key.platform, key.user_id
            )
            return False
        try:
            await notifier.direct(key, reply)
        except Exception:
            log.warning("a private message to %s could not be sent", key.user_id)
            return False
        return True


class MemoryMentorProfiles:
    """TEMPORARY MentorProfiles in memory (empty at start: nobody can sign up here yet)."""

    def __init__(self) -> None:
        self._profiles: dict[MentorKey, MentorProfile] = {}

    async def get(self, key: MentorKey) -> MentorProfile | None:
        """Return the profile."""
        return self._profiles.get(key)

    async def save(self, profile: MentorProfile) -> MentorProfile:
        """Store the profile."""
        self._profiles[profile.key] = profile
        return profile

    async def set_pause(self, key: MentorKey, until: date | None, reason: str | None) -> bool:
        """Pause or resume."""
        old = self._profiles.get(key)
        if old is None:
            return False
        expired = old.expired_in_row if until is not None else 0
        self._profiles[key] = replace(
            old, paused_until=until, paused_reason=reason, expired_in_row=expired
        )
        return True

    async def remove(self, key: MentorKey) -> bool:
        """Forget the profile."""
        return self._profiles.pop(key, None) is not None

    async def in_space(self, platform: Platform, space_id: str) -> list[MentorProfile]:
        """Return a community's mentors."""
        return [
            p for k, p in self._profiles.items() if (k.platform, k.space_id) == (platform, space_id)
        ]

    async def count_expiry(self, key: MentorKey) -> int:
        """Count one more expiry in a row."""
        old = self._profiles.get(key)
        if old is None:
            return 0
        self._profiles[key] = replace(old, expired_in_row=old.expired_in_row + 1)
        return old.expired_in_row + 1

    async def clear_expiries(self, key: MentorKey) -> None:
        """Reset the count."""
        if key in self._profiles:
            self._profiles[key] = replace(self._profiles[key], expired_in_row=0)


class MemoryMentorBlocks:
    """TEMPORARY MentorBlocks in memory."""

    def __init__(self) -> None:
        self._blocks: set[tuple[Platform, str, str]] = set()

    async def block(self, platform: Platform, blocker_id: str, blocked_id: str) -> bool:
        """Record a block."""
        new = (platform, blocker_id, blocked_id) not in self._blocks
        self._blocks.add((platform, blocker_id, blocked_id))
        return new

    async def unblock(self, platform: Platform, blocker_id: str, blocked_id: str) -> bool:
        """Remove a block."""
        found = (platform, blocker_id, blocked_id) in self._blocks
        self._blocks.discard((platform, blocker_id, blocked_id))
        return found

    async def pairs_among(self, platform: Platform, member_ids: Collection[str]) -> set[Pair]:
        """Return the blocked pairs among these members."""
        wanted = set(member_ids)
        return {
            pair_of(a, b)
            for p, a, b in self._blocks
            if p == platform and a in wanted and b in wanted
        }
