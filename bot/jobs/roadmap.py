"""The roadmap job: questions (with their feedback), the path, progress and resources."""

from __future__ import annotations

from bot.core.roadmap.ask import AskService
from bot.core.roadmap.feedback import AskFeedback
from bot.core.roadmap.path import RoadmapService
from bot.core.roadmap.progress import ProgressService, TopicDone
from bot.core.roadmap.resources import ResourceService
from bot.jobs.kit import Job, Shared, TimerSpec
from bot.storage.roadmap.asks import SqlAskLog
from bot.storage.roadmap.learning import SqlFeedbackRepository, SqlProgressRepository

PRUNE_MINUTES = 60.0  # kept declined texts go within an hour of their 30 days


def roadmap_job(shared: Shared, topic_done: TopicDone | None = None) -> Job:
    """Wire the roadmap commands; topic_done hears of every topic a member finishes."""
    knowledge, topics, clock = shared.knowledge, shared.topics, shared.clock
    records = SqlAskLog(shared.sessions)
    ask = AskService(shared.answerer, records, clock)
    answers = AskFeedback(records, knowledge, clock)
    progress = ProgressService(
        knowledge, SqlProgressRepository(shared.sessions, clock), topics, on_done=topic_done
    )
    feedback = SqlFeedbackRepository(shared.sessions, clock)
    resources = ResourceService(knowledge, feedback, progress, topics)
    roadmap = RoadmapService(knowledge, topics, progress, resources)
    return Job(
        "roadmap",
        {
            "ask question": ask.handle,
            "ask feedback": answers.rate,
            "ask stats": answers.stats,
            "config ask": answers.configure,
            "roadmap": roadmap.handle,
            "next": roadmap.next,
            "progress": progress.handle,
            "resources": resources.handle,
        },
        settings=(answers.section(),),
        privacy=(answers.privacy,),
        chat=ask.chat,
        timers=(TimerSpec("prune-ask-records", PRUNE_MINUTES, answers.prune),),
    )
