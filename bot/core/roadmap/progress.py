"""Learner progress: per-topic status, per-stage percentages, and what to learn next."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.knowledge import KnowledgeBase, Topic
from bot.core.members import member_key
from bot.core.messages import Actor, Button, Field, Reply
from bot.core.ports import MemberKey
from bot.core.requests import Request
from bot.core.roadmap.ports import ProgressRepository
from bot.core.topics import TopicResolver

DONE, LEARNING, SKIP = "done", "learning", "skip"
# Told when a member finishes a topic (it counts as a study day), with the platform event id.
TopicDone = Callable[[Actor, str, str | None], Awaitable[object]]
MARKS = {DONE: "✅", LEARNING: "📖", SKIP: "⏭️"}


@dataclass(frozen=True, slots=True)
class StageProgress:
    """How far a member is through one stage."""

    stage_id: str
    title: str
    done: int
    counted: int  # topics of the stage that are not skipped

    @property
    def percent(self) -> int:
        """Return the share of counted topics that are done, rounded down."""
        return 100 * self.done // self.counted if self.counted else 100


class ProgressService:
    """Record and report where a member stands on the roadmap."""

    def __init__(
        self,
        kb: KnowledgeBase,
        progress: ProgressRepository,
        topics: TopicResolver,
        on_done: TopicDone | None = None,
    ) -> None:
        self._kb = kb
        self._progress = progress
        self._topics = topics
        self._on_done = on_done

    async def statuses(self, key: MemberKey) -> dict[str, str]:
        """Return current topic id -> status, following renamed topics to their new ids."""
        current: dict[str, str] = {}
        for stored_id, status in (await self._progress.statuses(key)).items():
            topic = self._kb.topic(stored_id)  # also finds a topic by a former id
            if topic is not None:
                current.setdefault(topic.id, status)
        return current

    async def handle(self, request: Request) -> Reply:
        """Answer `progress [topic] [done|learning|skip|reset]`."""
        actor = request.actor
        topic, status = request.get("topic", Topic), request.text("status")
        if topic is None:
            return await self.overview(actor)
        key = member_key(actor)
        if status is None:
            current = (await self.statuses(key)).get(topic.id, "not started")
            return Reply(
                text=f"{topic.name}: {current}.",
                buttons=_mark_buttons(topic),
                ephemeral=True,
            )
        if status == "reset":
            await self._progress.clear(key, (topic.id, *topic.former_ids))
            return Reply(text=f"Cleared your progress on {topic.name}.", ephemeral=True)
        # Writes go to the current id; older rows under a former id are folded into it.
        await self._progress.clear(key, topic.former_ids)
        await self._progress.set_status(key, topic.id, status)
        if status == DONE and self._on_done is not None:
            await self._on_done(actor, topic.id, request.event_id)
        stages = self.stages(await self.statuses(key))
        stage = next(s for s in stages if topic.id in self._stage_topics(s.stage_id))
        return Reply(
            title="Progress saved",
            text=f"{MARKS[status]} {topic.name}: {status}.",
            fields=(Field(stage.title, f"{stage.percent}% ({stage.done}/{stage.counted})"),),
            buttons=(Button("What next?", command="next"),),
            ephemeral=True,
        )

    async def overview(self, actor: Actor) -> Reply:
        """Show the member's percentage per stage and the topics they are learning."""
        statuses = await self.statuses(member_key(actor))
        stages = self.stages(statuses)
        fields = [
            Field(s.title, f"{_bar(s.percent)} {s.percent}% ({s.done}/{s.counted})") for s in stages
        ]
        learning = [self._kb.topic(t) for t, st in statuses.items() if st == LEARNING]
        if learning:
            fields.append(Field("Learning now", ", ".join(t.name for t in learning if t)))
        total_done = sum(s.done for s in stages)
        total = sum(s.counted for s in stages)
        text = (
            f"You have finished {total_done} of {total} topics."
            if statuses
            else "No progress yet. Mark a topic with `progress <topic> done`, e.g. "
            "`progress git done`."
        )
        return Reply(
            title="Your roadmap progress",
            text=text,
            fields=tuple(fields),
            buttons=(Button("What next?", command="next"),),
            ephemeral=True,
        )

    def stages(self, statuses: dict[str, str]) -> list[StageProgress]:
        """Return per-stage progress; skipped topics count in neither numerator nor total."""
        result = []
        for stage in self._kb.stages:
            counted = [t for t in stage.topics if statuses.get(t) != SKIP]
            done = sum(1 for t in counted if statuses.get(t) == DONE)
            result.append(StageProgress(stage.id, stage.title, done, len(counted)))
        return result

    def _stage_topics(self, stage_id: str) -> tuple[str, ...]:
        return next(s.topics for s in self._kb.stages if s.id == stage_id)


def _bar(percent: int, width: int = 10) -> str:
    filled = percent * width // 100
    return "█" * filled + "░" * (width - filled)


def _mark_buttons(topic: Topic) -> tuple[Button, ...]:
    return tuple(
        Button(label, command=f"progress {topic.id} {status}")
        for label, status in (("Done", DONE), ("Learning", LEARNING), ("Skip", SKIP))
    )
