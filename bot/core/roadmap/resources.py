"""Resource recommendations: ranked for a topic and a learner, rated and marked seen."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.errors import BotError, UsageError
from bot.core.knowledge import KnowledgeBase, Resource, Topic
from bot.core.members import member_key
from bot.core.messages import Actor, Button, Field, Reply
from bot.core.ports import MemberKey
from bot.core.requests import Request
from bot.core.roadmap.ports import Feedback, FeedbackRepository
from bot.core.roadmap.progress import DONE, ProgressService
from bot.core.sanitize import quote_user_text
from bot.core.topics import TopicResolver

KINDS = (
    "course", "docs", "book", "video", "interactive", "practice", "community", "job-board",
    "article", "blog", "tool", "podcast", "project",
)  # fmt: skip
SHOWN = 5
USAGE = "resources <topic> [free] [kind] | resources rate <id> up|down | resources seen <id>"


def learner_level(done_topics: int) -> str:
    """Return a learner's level from how many roadmap topics they have finished."""
    if done_topics < 8:
        return "beginner"
    return "intermediate" if done_topics < 20 else "advanced"


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a `resources` request asks for."""

    topic: Topic
    free_only: bool = False
    kind: str | None = None


def rank(
    resources: Sequence[Resource],
    topic_id: str,
    level: str,
    own: dict[str, int],
    community: dict[str, int],
) -> list[Resource]:
    """Return resources for topic_id, best first, for a learner at level."""

    def score(resource: Resource) -> float:
        value = 3.0 if resource.topics[0] == topic_id else 1.0
        if resource.level == level:
            value += 2
        elif resource.level == "any":
            value += 1
        elif level == "beginner" and resource.level == "advanced":
            value -= 2
        value += 5 * own.get(resource.id, 0)  # your own vote outweighs everything else
        value += max(-2.0, min(2.0, 0.5 * community.get(resource.id, 0)))
        value += 0.5 if resource.url else 0  # a link you can follow beats a bare name
        return value

    matching = [r for r in resources if topic_id in r.topics]
    return sorted(matching, key=lambda r: (-score(r), r.title.casefold()))


class ResourceService:
    """Answer `resources`, `resources rate` and `resources seen`."""

    def __init__(
        self,
        kb: KnowledgeBase,
        feedback: FeedbackRepository,
        progress: ProgressService,
        topics: TopicResolver,
    ) -> None:
        self._kb = kb
        self._feedback = feedback
        self._progress = progress
        self._topics = topics

    async def handle(self, request: Request) -> Reply:
        """Dispatch to recommend, rate or seen."""
        actor = request.actor
        words = (request.text("query") or "").split()
        action = words[0].casefold()
        if action == "rate":
            return await self._rate(actor, words[1:])
        if action == "seen":
            return await self._seen(actor, words[1:])
        return await self.recommend(actor, self._wanted(words))

    async def recommend(self, actor: Actor, wanted: Wanted) -> Reply:
        """List the best resources for the topic, leaving out ones the member has seen."""
        key = member_key(actor)
        picks = await self.best(key, wanted, SHOWN)
        filters = " ".join(f for f in ("free" if wanted.free_only else "", wanted.kind or "") if f)
        title = f"Resources for {wanted.topic.name}" + (f" ({filters})" if filters else "")
        if not picks:
            return Reply(
                title=title,
                text="I have no more resources matching that. Try without filters, or another "
                "topic.",
                ephemeral=True,
            )
        return Reply(
            title=title,
            text="Ranked for your level and ratings; rate one with `resources rate <id> up` "
            "or hide it with `resources seen <id>`.",
            fields=tuple(Field(r.title, self._describe(r)) for r in picks),
            buttons=tuple(Button(r.title[:80], url=r.url) for r in picks if r.url)[:5],
            ephemeral=True,
        )

    async def best(self, key: MemberKey, wanted: Wanted, count: int) -> list[Resource]:
        """Return the member's top resources for wanted (used by `next` too)."""
        statuses = await self._progress.statuses(key)
        level = learner_level(sum(1 for s in statuses.values() if s == DONE))
        mine = await self._feedback.feedback(key)
        candidates = [
            r
            for r in self._kb.resources
            if not mine.get(r.id, Feedback()).seen
            and (not wanted.free_only or r.free is True)
            and (wanted.kind is None or r.kind == wanted.kind)
        ]
        own = {rid: f.rating for rid, f in mine.items()}
        ranked = rank(candidates, wanted.topic.id, level, own, await self._feedback.scores())
        return ranked[:count]

    def _wanted(self, words: list[str]) -> Wanted:
        free_only = any(w.casefold() == "free" for w in words)
        kinds = [w.casefold().rstrip("s") for w in words if w.casefold().rstrip("s") in KINDS]
        rest = [
            w for w in words if w.casefold() != "free" and w.casefold().rstrip("s") not in KINDS
        ]
        if not rest:
            raise UsageError("Tell me which topic, e.g. `resources databases`.", usage=USAGE)
        return Wanted(self._topics.resolve(" ".join(rest)), free_only, kinds[0] if kinds else None)

    def _resource(self, resource_id: str) -> Resource:
        resource = self._kb.resource(resource_id.casefold())
        if resource is None:
            ids = [r.id for r in self._kb.resources]
            close = difflib.get_close_matches(resource_id.casefold(), ids, n=2)
            message = f"There is no resource `{quote_user_text(resource_id, 40)}`."
            if close:
                message += " Did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
            raise BotError(message, hint="Ids are shown in `resources <topic>`.")
        return resource

    async def _rate(self, actor: Actor, words: list[str]) -> Reply:
        if len(words) != 2 or words[1].casefold() not in ("up", "down"):
            raise UsageError("Rate with `resources rate <id> up` or `down`.", usage=USAGE)
        resource = self._resource(words[0])
        vote = 1 if words[1].casefold() == "up" else -1
        await self._feedback.rate(member_key(actor), resource.id, vote)
        verb = "up" if vote > 0 else "down"
        return Reply(text=f"Rated {resource.title} {verb}. Thanks!", ephemeral=True)

    async def _seen(self, actor: Actor, words: list[str]) -> Reply:
        if len(words) != 1:
            raise UsageError("Mark one resource: `resources seen <id>`.", usage=USAGE)
        resource = self._resource(words[0])
        await self._feedback.mark_seen(member_key(actor), resource.id)
        return Reply(
            text=f"Marked {resource.title} as seen; I won't suggest it again.", ephemeral=True
        )

    def _describe(self, resource: Resource) -> str:
        details = [resource.kind, resource.level if resource.level != "any" else ""]
        if resource.free:
            details.append("free")
        sites = [s.site for s in (self._kb.source(i) for i in resource.sources) if s]
        lines = [f"`{resource.id}` · " + ", ".join(d for d in details if d)]
        if resource.note:
            lines.append(resource.note)
        if resource.url:
            lines.append(resource.url)
        lines.append("From: " + ", ".join(sites))
        return "\n".join(lines)
