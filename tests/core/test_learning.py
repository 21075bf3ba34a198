"""Progress, next and resources on a small knowledge base with in-memory storage."""

from __future__ import annotations

import pytest

from bot.core.errors import BotError, UsageError
from bot.core.knowledge import KnowledgeBase
from bot.core.members import member_key
from bot.core.messages import Reply
from bot.core.roadmap.path import RoadmapService
from bot.core.roadmap.progress import ProgressService
from bot.core.roadmap.resources import ResourceService, learner_level
from bot.core.topics import TopicResolver, UnknownTopicError
from tests.core.small_kb import small_kb
from tests.fakes import (
    FakeFeedbackRepository,
    FakeKnowledgeIndex,
    FakeProgressRepository,
    make_actor,
    request,
)

ADA = make_actor("ada")


class Learning:
    def __init__(self, kb: KnowledgeBase, progress: FakeProgressRepository | None = None) -> None:
        self.kb = kb
        self.rows = progress or FakeProgressRepository()
        self.feedback = FakeFeedbackRepository()
        topics = TopicResolver(kb, FakeKnowledgeIndex(kb))
        self.topics = topics
        self.progress = ProgressService(kb, self.rows, topics)
        self.resources = ResourceService(kb, self.feedback, self.progress, topics)
        self.roadmap = RoadmapService(kb, topics, self.progress, self.resources)

    async def mark(self, topic: str, status: str) -> Reply:
        return await self.progress.handle(
            request(ADA, f"progress {topic} {status}", topic=self.topics.resolve)
        )


@pytest.fixture
def learning() -> Learning:
    return Learning(small_kb())


def field(reply: Reply, name: str) -> str:
    return next(f.value for f in reply.fields if f.name == name)


async def test_progress_percentages_leave_skipped_topics_out(learning: Learning) -> None:
    await learning.mark("git", "done")
    await learning.mark("basics", "skip")
    await learning.mark("http", "done")
    await learning.mark("databases", "learning")
    stages = learning.progress.stages(await learning.progress.statuses(member_key(ADA)))
    assert [(s.stage_id, s.done, s.counted, s.percent) for s in stages] == [
        ("foundations", 1, 1, 100),
        ("web", 1, 3, 33),
    ]
    overview = await learning.progress.handle(request(ADA, "progress"))
    assert "100%" in field(overview, "Foundations") and "33%" in field(overview, "The web")
    assert field(overview, "Learning now") == "Databases"
    assert overview.ephemeral


async def test_reset_and_aliases(learning: Learning) -> None:
    await learning.mark("version control", "done")
    assert await learning.progress.statuses(member_key(ADA)) == {"git": "done"}
    await learning.mark("GIT", "reset")
    assert await learning.progress.statuses(member_key(ADA)) == {}


async def test_unknown_topic_suggests_and_stores_nothing(learning: Learning) -> None:
    with pytest.raises(UnknownTopicError) as caught:
        await learning.mark("databasez", "done")
    assert "databases" in caught.value.suggestions
    assert learning.rows.rows == {}


async def test_progress_follows_a_renamed_topic() -> None:
    rows = FakeProgressRepository()
    before = Learning(small_kb(), rows)
    await before.mark("databases", "done")
    after = Learning(small_kb(databases="data-stores"), rows)
    statuses = await after.progress.statuses(member_key(ADA))
    assert statuses == {"data-stores": "done"}
    await after.mark("data-stores", "learning")  # rewrites under the new id
    assert {t for (_, t) in rows.rows} == {"data-stores"}


async def test_next_needs_prerequisites_done(learning: Learning) -> None:
    first = await learning.roadmap.next(request(ADA, "next"))
    assert [f.name for f in first.fields] == ["Basics"]
    await learning.mark("basics", "done")
    after_basics = await learning.roadmap.next(request(ADA, "next"))
    assert [f.name for f in after_basics.fields] == ["Git", "Http", "Databases"]
    for topic in ("git", "http", "databases"):
        await learning.mark(topic, "done")
    last = await learning.roadmap.next(request(ADA, "next"))
    assert [f.name for f in last.fields] == ["Apis"]


async def test_next_includes_resources(learning: Learning) -> None:
    await learning.mark("basics", "done")
    reply = await learning.roadmap.next(request(ADA, "next"))
    assert "Db Intro" in field(reply, "Databases")


async def test_resources_rank_for_level_and_votes(learning: Learning) -> None:
    reply = await learning.resources.handle(request(ADA, "resources databases"))
    titles = [f.name for f in reply.fields]
    assert titles[0] == "Db Intro" and titles[-1] == "Db Deep Dive"  # a beginner's view
    await learning.resources.handle(request(ADA, "resources rate db-deep-dive up"))
    voted = await learning.resources.handle(request(ADA, "resources databases"))
    assert voted.fields[0].name == "Db Deep Dive"


async def test_resources_filters_and_seen(learning: Learning) -> None:
    free_videos = await learning.resources.handle(request(ADA, "resources databases free videos"))
    assert [f.name for f in free_videos.fields] == ["Sql Videos"]
    await learning.resources.handle(request(ADA, "resources seen db-intro"))
    after = await learning.resources.handle(request(ADA, "resources db"))
    assert "Db Intro" not in [f.name for f in after.fields]


async def test_resource_commands_validate_input(learning: Learning) -> None:
    with pytest.raises(BotError) as unknown:
        await learning.resources.handle(request(ADA, "resources rate db-intr up"))
    assert "db-intro" in unknown.value.user_message
    with pytest.raises(UsageError):
        await learning.resources.handle(request(ADA, "resources rate db-intro sideways"))
    with pytest.raises(UsageError):
        await learning.resources.handle(request(ADA, "resources free"))
    assert learning.feedback.rows == {}


async def test_roadmap_overview_and_topic(learning: Learning) -> None:
    await learning.mark("git", "done")
    overview = await learning.roadmap.handle(request(ADA, "roadmap"))
    assert [f.name for f in overview.fields] == ["1. Foundations", "2. The web"]
    assert "✅Git" in field(overview, "1. Foundations")
    detail = await learning.roadmap.handle(
        request(ADA, "roadmap apis", topic=learning.topics.resolve)
    )
    assert detail.title == "Apis"
    assert field(detail, "Learn first") == "Http, Databases"
    assert field(detail, "Sources") == "Site A"


def test_learner_level_grows_with_done_topics() -> None:
    assert [learner_level(n) for n in (0, 8, 20)] == ["beginner", "intermediate", "advanced"]


async def test_finishing_a_topic_is_reported_for_the_streak() -> None:
    finished: list[tuple[str, str, str | None]] = []

    async def on_done(actor: object, topic_id: str, event_id: str | None) -> None:
        finished.append((getattr(actor, "user_id", ""), topic_id, event_id))

    kb = small_kb()
    progress = ProgressService(
        kb, FakeProgressRepository(), TopicResolver(kb, FakeKnowledgeIndex(kb)), on_done
    )
    resolve = TopicResolver(kb, FakeKnowledgeIndex(kb)).resolve
    await progress.handle(request(ADA, "progress git done", topic=resolve, event_id="evt-9"))
    await progress.handle(request(ADA, "progress http learning", topic=resolve))
    assert finished == [("ada", "git", "evt-9")]
