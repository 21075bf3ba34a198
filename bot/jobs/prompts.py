"""The daily-prompts job: the posting engine on a one-minute timer (commands come later)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import NamedTuple

from bot.answering import content_dir
from bot.core.messages import Platform
from bot.core.prompts.alerts import ModeratorAlerts
from bot.core.prompts.channels import PromptChannelService
from bot.core.prompts.ports import PromptPublisher
from bot.core.prompts.posting import PromptPoster
from bot.jobs.kit import Job, Shared, TimerSpec
from bot.storage.prompts.bank import load_prompts
from bot.storage.prompts.channels import SqlPromptChannels
from bot.storage.prompts.posts import SqlPromptPosts

log = logging.getLogger(__name__)

TICK_MINUTES = 1.0  # posts are due on the minute; each tick is one indexed query


class PromptsWiring(NamedTuple):
    """The prompts job, and the services its commands will call."""

    job: Job
    poster: PromptPoster
    channels: PromptChannelService


def prompts_job(shared: Shared, publishers: Mapping[Platform, PromptPublisher]) -> PromptsWiring:
    """Wire the engine: the bank is loaded now, once; the timer catches up at start."""
    knowledge, clock = shared.knowledge, shared.clock
    prompts = load_prompts(content_dir(shared.settings), [t.id for t in knowledge.topics])
    channels = SqlPromptChannels(shared.sessions)
    posts = SqlPromptPosts(shared.sessions)
    alerts = ModeratorAlerts(shared.reach)
    poster = PromptPoster(channels, posts, prompts, knowledge.stages, publishers, alerts)

    async def tick() -> int:
        # The first run, at start, is the catch-up: whatever fell due while the bot was down.
        return await poster.tick(clock.now())

    job = Job("prompts", {}, timers=(TimerSpec("daily-prompts", TICK_MINUTES, tick),))
    return PromptsWiring(job, poster, PromptChannelService(channels, posts))
