"""Browsing the roadmap: the canonical path by stage, one topic, and what to learn next."""

from __future__ import annotations

from bot.core.knowledge import KnowledgeBase, Topic
from bot.core.members import member_key
from bot.core.messages import Actor, Button, Field, Reply
from bot.core.requests import Request
from bot.core.roadmap.progress import DONE, MARKS, SKIP, ProgressService
from bot.core.roadmap.resources import ResourceService, Wanted
from bot.core.topics import TopicResolver

NEXT_COUNT = 3


class RoadmapService:
    """Answer `roadmap [topic]` and `next`."""

    def __init__(
        self,
        kb: KnowledgeBase,
        topics: TopicResolver,
        progress: ProgressService,
        resources: ResourceService,
    ) -> None:
        self._kb = kb
        self._topics = topics
        self._progress = progress
        self._resources = resources

    async def handle(self, request: Request) -> Reply:
        """Answer `roadmap [topic]`."""
        topic = request.get("topic", Topic)
        if topic is None:
            return await self.overview(request.actor)
        return await self.topic(request.actor, topic)

    async def overview(self, actor: Actor) -> Reply:
        """Show the canonical path stage by stage, with the member's marks."""
        statuses = await self._progress.statuses(member_key(actor))
        fields = []
        for number, stage in enumerate(self._kb.stages, start=1):
            names = []
            for topic_id in stage.topics:
                topic = self._kb.topic(topic_id)
                if topic is not None:
                    mark = MARKS.get(statuses.get(topic_id, ""), "")
                    names.append(f"{mark}{topic.name}" if mark else topic.name)
            fields.append(Field(f"{number}. {stage.title}", " → ".join(names)))
        return Reply(
            title="The backend roadmap",
            text="The five articles' paths merged into one. `roadmap <topic>` shows a topic; "
            "`progress <topic> done` marks it; `next` suggests what to learn now.",
            fields=tuple(fields),
            buttons=(
                Button("What next?", command="next"),
                Button("My progress", command="progress"),
            ),
        )

    async def topic(self, actor: Actor, topic: Topic) -> Reply:
        """Show one topic: summary, why, before/after, resources, sources, disagreements."""
        key = member_key(actor)
        status = (await self._progress.statuses(key)).get(topic.id, "not started")
        fields = [Field("Your status", status, inline=True)]
        if topic.prerequisites:
            fields.append(Field("Learn first", self._names(topic.prerequisites), inline=True))
        if topic.unlocks:
            fields.append(Field("Opens up", self._names(topic.unlocks), inline=True))
        if topic.subtopics:
            fields.append(Field("Covers", ", ".join(topic.subtopics)))
        picks = await self._resources.best(key, Wanted(topic), 3)
        if picks:
            lines = [f"{r.title} <{r.url}>" if r.url else r.title for r in picks]
            fields.append(Field("Start with", "\n".join(lines)))
        for disagreement in self._kb.disagreements:
            if topic.id in disagreement.topics:
                views = [f"{self._site(v.source)}: {v.view}" for v in disagreement.views]
                fields.append(Field(disagreement.question, "\n".join(views)[:1000]))
                break
        sites = [self._site(s) for s in topic.sources]
        fields.append(Field("Sources", ", ".join(sites)))
        return Reply(
            title=topic.name,
            text=f"{topic.summary}\n{topic.why}".strip(),
            fields=tuple(fields),
            buttons=(
                Button("Mark done", command=f"progress {topic.id} done"),
                Button("Learning it", command=f"progress {topic.id} learning"),
                Button("More resources", command=f"resources {topic.id}"),
            ),
        )

    async def next(self, request: Request) -> Reply:
        """Suggest the first canonical topics whose prerequisites the member has done."""
        actor = request.actor
        key = member_key(actor)
        statuses = await self._progress.statuses(key)
        finished = {t for t, s in statuses.items() if s in (DONE, SKIP)}
        ready = [
            topic
            for topic in (self._kb.topic(t) for t in self._kb.canonical_order())
            if topic is not None
            and topic.id not in finished
            and all(p in finished for p in topic.prerequisites)
        ]
        if not ready:
            return Reply(
                title="What next",
                text="You have been through the whole roadmap. Build projects, contribute to "
                "open source and start applying!",
                ephemeral=True,
            )
        fields = []
        for topic in ready[:NEXT_COUNT]:
            picks = await self._resources.best(key, Wanted(topic), 2)
            lines = [topic.summary]
            lines += [f"• {r.title}" + (f" <{r.url}>" if r.url else "") for r in picks]
            fields.append(Field(topic.name, "\n".join(lines)[:1000]))
        return Reply(
            title="What to learn next",
            text="The first topics on the path whose prerequisites you have done.",
            fields=tuple(fields),
            buttons=tuple(
                Button(f"Done: {t.name}"[:80], command=f"progress {t.id} done")
                for t in ready[:NEXT_COUNT]
            ),
            ephemeral=True,
        )

    def _names(self, topic_ids: tuple[str, ...]) -> str:
        topics = [self._kb.topic(t) for t in topic_ids]
        return ", ".join(t.name for t in topics if t is not None)

    def _site(self, source_id: str) -> str:
        source = self._kb.source(source_id)
        return source.site if source else source_id
