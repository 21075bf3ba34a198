"""In-memory implementations of the core's ports, for fast core tests."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from bot.core.catalog import COMMANDS
from bot.core.converters import ConvertContext
from bot.core.knowledge import KnowledgeBase
from bot.core.messages import NO_REFERENCES, Actor, Notice, Platform, References, Reply
from bot.core.ports import Member, MemberKey, SearchHit, Space
from bot.core.requests import Request, parse_text
from bot.core.roadmap.ports import (
    AskedQuestion,
    AskStats,
    DocumentRatings,
    Feedback,
    KeptQuestion,
    Rated,
)


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


class FakeAskLog:
    """Questions' outcomes and ratings in lists and dicts, with the SQL store's rules."""

    def __init__(self) -> None:
        self.questions: dict[int, AskedQuestion] = {}
        self.ratings: dict[tuple[int, MemberKey], bool] = {}
        self.keeping: set[tuple[Platform, str]] = set()

    async def record(self, question: AskedQuestion) -> int:
        kept = not question.answered and (question.platform, question.space_id) in self.keeping
        stored = replace(question, declined_text=question.declined_text if kept else None)
        answer_id = len(self.questions) + 1
        self.questions[answer_id] = stored
        return answer_id

    async def rate(
        self, answer_id: int, member: MemberKey, space_id: str, helpful: bool, at: datetime
    ) -> Rated:
        question = self.questions.get(answer_id)
        if question is None or not question.answered or (question.platform, question.space_id) != (
            member.platform, space_id
        ):  # fmt: skip
            return Rated.UNKNOWN
        before = self.ratings.get((answer_id, member))
        self.ratings[(answer_id, member)] = helpful
        if before is None:
            return Rated.NEW
        return Rated.SAME if before == helpful else Rated.CHANGED

    async def stats(
        self, platform: Platform, space_id: str, since: datetime, top: int, kept: int
    ) -> AskStats:
        ids = {
            i
            for i, q in self.questions.items()
            if (q.platform, q.space_id) == (platform, space_id) and q.asked_at >= since
        }
        mine = [self.questions[i] for i in sorted(ids)]
        rated = {k: v for k, v in self.ratings.items() if k[0] in ids}
        topics = Counter(t for q in mine for t in q.topics)
        votes: dict[str, list[int]] = {}
        for (answer_id, _), helpful in rated.items():
            for document in self.questions[answer_id].documents:
                votes.setdefault(document, [0, 0])[0 if helpful else 1] += 1
        documents = sorted(
            (DocumentRatings(d, h, u) for d, (h, u) in votes.items() if u),
            key=lambda d: (-d.unhelpful, d.document),
        )
        texts = [
            KeptQuestion(q.asked_at, q.declined_text) for q in reversed(mine) if q.declined_text
        ]
        return AskStats(
            answered=sum(q.answered for q in mine),
            declined=sum(not q.answered for q in mine),
            helpful=sum(rated.values()),
            rated=len(rated),
            topics=tuple(sorted(topics.items(), key=lambda t: (-t[1], t[0]))[:top]),
            documents=tuple(documents[:top]),
            kept=tuple(texts[:kept]),
        )

    async def keeps_declined(self, platform: Platform, space_id: str) -> bool:
        return (platform, space_id) in self.keeping

    async def set_keeps_declined(self, platform: Platform, space_id: str, keep: bool) -> int:
        if keep:
            self.keeping.add((platform, space_id))
            return 0
        self.keeping.discard((platform, space_id))
        cleared = 0
        for answer_id, q in self.questions.items():
            if (q.platform, q.space_id) == (platform, space_id) and q.declined_text:
                self.questions[answer_id] = replace(q, declined_text=None)
                cleared += 1
        return cleared

    async def prune(self, records_before: datetime, texts_before: datetime) -> int:
        old = [i for i, q in self.questions.items() if q.asked_at < records_before]
        for answer_id in old:
            del self.questions[answer_id]
        self.ratings = {k: v for k, v in self.ratings.items() if k[0] in self.questions}
        return len(old)
