"""In-memory implementations of the core's ports, for fast core tests."""

from __future__ import annotations

from datetime import datetime

from bot.core.messages import Actor, Platform
from bot.core.ports import Member, MemberKey, Space


class FakeMemberRepository:
    """Members in a dict."""

    def __init__(self) -> None:
        self.members: dict[MemberKey, Member] = {}
        self.writes = 0

    async def get(self, key: MemberKey) -> Member | None:
        return self.members.get(key)

    async def set_timezone(self, key: MemberKey, display_name: str, timezone: str) -> Member:
        self.writes += 1
        self.members[key] = Member(key, display_name, timezone)
        return self.members[key]


class FakeSpaceRepository:
    """Spaces in a dict."""

    def __init__(self) -> None:
        self.spaces: dict[tuple[Platform, str], Space] = {}

    async def ensure(self, actor: Actor) -> None:
        key = (actor.platform, actor.space_id)
        self.spaces.setdefault(key, Space(actor.platform, actor.space_id, actor.space_name, None))

    async def get(self, platform: Platform, external_id: str) -> Space | None:
        return self.spaces.get((platform, external_id))


class FakeEventLog:
    """Processed event ids in a dict."""

    def __init__(self) -> None:
        self.seen: dict[tuple[Platform, str], datetime | None] = {}

    async def claim(self, platform: Platform, event_id: str) -> bool:
        if (platform, event_id) in self.seen:
            return False
        self.seen[(platform, event_id)] = None
        return True

    async def forget_before(self, cutoff: datetime) -> int:
        return 0


def make_actor(
    user: str = "ada", *, moderator: bool = False, platform: Platform = Platform.CONSOLE
) -> Actor:
    """Return a test actor."""
    return Actor(platform, "space-1", "chan-1", user, user.title(), moderator, "Test space")
