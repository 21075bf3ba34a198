"""In-memory mentoring ports (profiles, blocks, handback) for fast core tests."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date

from bot.core.mentoring.fit import Pair, pair_of
from bot.core.mentoring.ports import MentorKey, MentorProfile
from bot.core.messages import Platform


class FakeMentorProfiles:
    """Mentor profiles in a dict."""

    def __init__(self, *profiles: MentorProfile) -> None:
        self.profiles: dict[MentorKey, MentorProfile] = {p.key: p for p in profiles}

    async def get(self, key: MentorKey) -> MentorProfile | None:
        return self.profiles.get(key)

    async def save(self, profile: MentorProfile) -> MentorProfile:
        old = self.profiles.get(profile.key)
        if old is not None:
            profile = replace(
                profile,
                paused_until=old.paused_until,
                paused_reason=old.paused_reason,
                expired_in_row=old.expired_in_row,
                joined_at=old.joined_at,
            )
        self.profiles[profile.key] = profile
        return profile

    async def set_pause(self, key: MentorKey, until: date | None, reason: str | None) -> bool:
        old = self.profiles.get(key)
        if old is None:
            return False
        expired = old.expired_in_row if until is not None else 0
        self.profiles[key] = replace(
            old, paused_until=until, paused_reason=reason, expired_in_row=expired
        )
        return True

    async def remove(self, key: MentorKey) -> bool:
        return self.profiles.pop(key, None) is not None

    async def in_space(self, platform: Platform, space_id: str) -> list[MentorProfile]:
        return [
            p for k, p in self.profiles.items() if (k.platform, k.space_id) == (platform, space_id)
        ]

    async def for_topics(
        self,
        platform: Platform,
        space_id: str,
        topic_ids: Collection[str],
        *,
        fresh: bool = False,
    ) -> list[MentorProfile]:
        return [p for p in await self.in_space(platform, space_id) if p.topics & set(topic_ids)]

    async def count_expiry(self, key: MentorKey) -> int:
        old = self.profiles[key]
        self.profiles[key] = replace(old, expired_in_row=old.expired_in_row + 1)
        return old.expired_in_row + 1

    async def clear_expiries(self, key: MentorKey) -> None:
        if key in self.profiles:
            self.profiles[key] = replace(self.profiles[key], expired_in_row=0)


class FakeMentorBlocks:
    """Blocks in a set of (platform, blocker, blocked)."""

    def __init__(self) -> None:
        self.blocks: set[tuple[Platform, str, str]] = set()

    async def block(self, platform: Platform, blocker_id: str, blocked_id: str) -> bool:
        found = (platform, blocker_id, blocked_id) in self.blocks
        self.blocks.add((platform, blocker_id, blocked_id))
        return not found

    async def unblock(self, platform: Platform, blocker_id: str, blocked_id: str) -> bool:
        found = (platform, blocker_id, blocked_id) in self.blocks
        self.blocks.discard((platform, blocker_id, blocked_id))
        return found

    async def pairs_among(self, platform: Platform, member_ids: Collection[str]) -> set[Pair]:
        wanted = set(member_ids)
        return {
            pair_of(a, b)
            for p, a, b in self.blocks
            if p == platform and a in wanted and b in wanted
        }

    async def blocked_with(self, platform: Platform, member_id: str) -> set[str]:
        return {b if a == member_id else a for p, a, b in self.blocks
                if p == platform and member_id in (a, b) and a != b}  # fmt: skip


class FakeHandback:
    """Records what was handed back."""

    def __init__(self) -> None:
        self.released: list[tuple[MentorKey, bool]] = []

    async def release(self, key: MentorKey, *, active_too: bool) -> int:
        self.released.append((key, active_too))
        return 0
