"""The daily-prompts job: the posting engine on a one-minute timer, and its commands."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import NamedTuple

from bot.answering import content_dir
from bot.core.messages import Platform
from bot.core.prompts.alerts import ModeratorAlerts
from bot.core.prompts.authoring import PromptAuthoring
from bot.core.prompts.channels import PromptChannelService
from bot.core.prompts.desk import PromptDesk
from bot.core.prompts.learners import AnswerHook, PromptLearning
from bot.core.prompts.library import PromptLibrary
from bot.core.prompts.ports import PromptPublisher
from bot.core.prompts.posting import PromptPoster
from bot.core.prompts.setup import PromptSetup
from bot.core.prompts.suggestions import PromptSuggestions
from bot.jobs.kit import Job, Shared, TimerSpec
from bot.storage.prompts.answers import SqlPromptAnswers
from bot.storage.prompts.bank import load_prompts
from bot.storage.prompts.channels import SqlPromptChannels
from bot.storage.prompts.custom import SqlCustomPrompts
from bot.storage.prompts.posts import SqlPromptPosts
from bot.storage.prompts.threads import SqlPromptThreads

log = logging.getLogger(__name__)

TICK_MINUTES = 1.0  # posts are due on the minute; each tick is one indexed query


class PromptsWiring(NamedTuple):
    """The prompts job, and the services its commands call."""

    job: Job
    poster: PromptPoster
    channels: PromptChannelService


def prompts_job(
    shared: Shared,
    publishers: Mapping[Platform, PromptPublisher],
    on_answer: AnswerHook | None = None,
) -> PromptsWiring:
    """Wire the engine and the commands; on_answer counts an answer as study (the study job's).

    The bank is loaded now, once (communities' own prompts are read when used); the timer
    catches up at start.
    """
    knowledge, clock = shared.knowledge, shared.clock
    bank = load_prompts(content_dir(shared.settings), [t.id for t in knowledge.topics])
    # The bank, plus each community's own prompts and retirements read from the tables.
    prompts = PromptLibrary(bank, SqlCustomPrompts(shared.sessions))
    channels = SqlPromptChannels(shared.sessions)
    posts = SqlPromptPosts(shared.sessions)
    alerts = ModeratorAlerts(shared.reach)
    poster = PromptPoster(channels, posts, prompts, knowledge.stages, publishers, alerts)
    service = PromptChannelService(channels, posts)
    setup = PromptSetup(channels, service, shared.spaces, prompts, knowledge.stages, clock,
                        shared.settings.default_timezone)  # fmt: skip
    desk = PromptDesk(poster, channels, posts, prompts, clock)
    authoring = PromptAuthoring(prompts, knowledge.stages, clock)
    suggestions = PromptSuggestions(prompts, knowledge.stages, shared.reach, alerts, clock)
    learning = PromptLearning(channels, posts, SqlPromptAnswers(shared.sessions), prompts, clock,
                              on_answer, SqlPromptThreads(shared.sessions))  # fmt: skip

    async def tick() -> int:
        # The first run, at start, is the catch-up: whatever fell due while the bot was down.
        return await poster.tick(clock.now())

    handlers = {
        "config prompts set": setup.set,
        "config prompts off": setup.off,
        "config prompts skip": setup.skip,
        "config prompts pause": setup.pause,
        "config prompts resume": setup.resume,
        "prompt today": learning.today,
        "prompt hint": learning.hint,
        "prompt answer": learning.answer,
        "prompt answers": learning.answers,
        "prompt history": desk.history,
        "prompt preview": desk.preview,
        "prompt skip": desk.skip,
        "prompt post-now": desk.post_now,
        "prompt status": desk.status,
        "prompt add": authoring.add,
        "prompt retire": authoring.retire,
        "prompt restore": authoring.restore,
        "prompt suggest": suggestions.suggest,
        "prompt suggestions": suggestions.pending,
        "prompt approve": suggestions.approve,
        "prompt reject": suggestions.reject,
    }
    job = Job(
        "prompts",
        handlers,
        settings=(setup.section(),),
        timers=(TimerSpec("daily-prompts", TICK_MINUTES, tick),),
    )
    return PromptsWiring(job, poster, service)
