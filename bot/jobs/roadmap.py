"""The roadmap job: questions, the path, progress and resources."""

from __future__ import annotations

from bot.core.roadmap.ask import AskService
from bot.core.roadmap.path import RoadmapService
from bot.core.roadmap.progress import ProgressService, TopicDone
from bot.core.roadmap.resources import ResourceService
from bot.jobs.kit import Job, Shared
from bot.storage.roadmap.learning import SqlFeedbackRepository, SqlProgressRepository


def roadmap_job(shared: Shared, topic_done: TopicDone | None = None) -> Job:
    """Wire the roadmap commands; topic_done hears of every topic a member finishes."""
    knowledge, topics, clock = shared.knowledge, shared.topics, shared.clock
    ask = AskService(shared.answerer)
    progress = ProgressService(
        knowledge, SqlProgressRepository(shared.sessions, clock), topics, on_done=topic_done
    )
    feedback = SqlFeedbackRepository(shared.sessions, clock)
    resources = ResourceService(knowledge, feedback, progress, topics)
    roadmap = RoadmapService(knowledge, topics, progress, resources)
    return Job(
        "roadmap",
        {
            "ask": ask.handle,
            "roadmap": roadmap.handle,
            "next": roadmap.next,
            "progress": progress.handle,
            "resources": resources.handle,
        },
        chat=ask.chat,
    )
