"""In-memory implementations of the core's ports, for fast core tests."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.core.catalog import COMMANDS
from bot.core.converters import ConvertContext
from bot.core.knowledge import KnowledgeBase
from bot.core.messages import NO_REFERENCES, Actor, Notice, Platform, References, Reply
from bot.core.ports import Member, MemberKey, SearchHit, Space
from bot.core.requests import Request, parse_text
from bot.core.roadmap.ports import Feedback


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


class FakeHeldNotices:
    """Held notices in a list, oldest first (the SQL one is tested on real databases)."""

    def __init__(self) -> None:
        self.held: list[tuple[MemberKey, Notice]] = []

    async def hold(self, key: MemberKey, reply: Reply, *, space_id: str) -> None:
        self.held.append((key, Notice(reply, space_id)))

    async def take(self, key: MemberKey, limit: int) -> tuple[Notice, ...]:
        mine = [index for index, (owner, _) in enumerate(self.held) if owner == key][:limit]
        taken = tuple(self.held[index][1] for index in mine)
        self.held = [item for index, item in enumerate(self.held) if index not in mine]
        return taken

    async def forget_before(self, cutoff: datetime) -> int:
        return 0


def make_actor(
    user: str = "ada", *, moderator: bool = False, platform: Platform = Platform.CONSOLE
) -> Actor:
    """Return a test actor."""
    return Actor(platform, "space-1", "chan-1", user, user.title(), moderator, "Test space")


class FakeProgressRepository:
    """Progress in a dict."""

    def __init__(self) -> None:
        self.rows: dict[tuple[MemberKey, str], str] = {}

    async def statuses(self, key: MemberKey) -> dict[str, str]:
        return {topic: status for (k, topic), status in self.rows.items() if k == key}

    async def set_status(self, key: MemberKey, topic_id: str, status: str) -> None:
        self.rows[(key, topic_id)] = status

    async def clear(self, key: MemberKey, topic_ids: Sequence[str]) -> int:
        removed = [t for t in topic_ids if self.rows.pop((key, t), None) is not None]
        return len(removed)


class FakeFeedbackRepository:
    """Resource feedback in a dict."""

    def __init__(self) -> None:
        self.rows: dict[tuple[MemberKey, str], Feedback] = {}

    async def feedback(self, key: MemberKey) -> dict[str, Feedback]:
        return {rid: f for (k, rid), f in self.rows.items() if k == key}

    async def rate(self, key: MemberKey, resource_id: str, rating: int) -> None:
        old = self.rows.get((key, resource_id), Feedback())
        self.rows[(key, resource_id)] = Feedback(rating, old.seen)

    async def mark_seen(self, key: MemberKey, resource_id: str) -> None:
        old = self.rows.get((key, resource_id), Feedback())
        self.rows[(key, resource_id)] = Feedback(old.rating, True)

    async def scores(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for (_, rid), f in self.rows.items():
            totals[rid] = totals.get(rid, 0) + f.rating
        return {rid: total for rid, total in totals.items() if total}


class FakeKnowledgeIndex:
    """Topic lookups by exact name or alias; no ranking."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._names = {n.casefold(): t.id for t in kb.topics for n in (t.id, t.name, *t.aliases)}

    def search(self, text: str, *, context: str = "", limit: int = 5) -> list[SearchHit]:
        return []

    def find_topics(self, text: str, limit: int = 5) -> list[tuple[str, float]]:
        matches = difflib.get_close_matches(text.casefold(), self._names, n=limit, cutoff=0.5)
        return [
            (self._names[m], 100 * difflib.SequenceMatcher(None, text, m).ratio()) for m in matches
        ]

    def topics_mentioned(self, text: str) -> list[str]:
        return [t for n, t in self._names.items() if n in text.casefold()]

    def topic_named(self, text: str) -> str | None:
        return self._names.get(text.casefold().strip())

    def terms(self, text: str) -> list[str]:
        return text.casefold().split()

    def known_share(self, text: str) -> float:
        return 1.0


def request(
    actor: Actor,
    line: str,
    *,
    topic: Callable[[str], object] | None = None,
    references: References = NO_REFERENCES,
    event_id: str | None = None,
) -> Request:
    """Return the typed request the router would build for line (a shipped command)."""
    name, _, rest = line.partition(" ")
    command = COMMANDS.get(name)
    assert command is not None, name
    parsed = parse_text(command, rest, ConvertContext(references, topic))
    return Request(actor, parsed.path.leaf, parsed.values, event_id, parsed.path.names)
