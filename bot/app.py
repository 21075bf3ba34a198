"""Composition root: the one place that knows the core, the storage and the adapters."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.answering import build_answerer
from bot.config import Settings
from bot.core.catalog import COMMANDS
from bot.core.clock import SystemClock
from bot.core.dispatcher import Dispatcher
from bot.core.messages import Platform
from bot.core.ports import Clock, PrivateMessenger, Reach
from bot.core.private import NOTICE_RETENTION, DirectMessenger
from bot.core.prompts.ports import PromptPublisher, PromptThreads
from bot.core.router import Router
from bot.core.topics import TopicResolver
from bot.jobs.general import general_job
from bot.jobs.kit import Job, Shared, TimerSpec, all_handlers
from bot.jobs.mentoring import mentoring_job
from bot.jobs.pairing import pairing_job
from bot.jobs.prompts import prompts_job
from bot.jobs.roadmap import roadmap_job
from bot.jobs.study import study_job
from bot.platform_setup import discord_adapter, publishers_of, reach_of, slack_adapter
from bot.platforms import StartupError
from bot.scheduling import Timer
from bot.serving import serve_until_stopped
from bot.solvers import LibrarySolver, QueueSolver
from bot.storage import migrate
from bot.storage.db import create_engine, create_sessionmaker, ping
from bot.storage.event_log import SqlEventLog
from bot.storage.notices import SqlHeldNotices
from bot.storage.prompts.threads import SqlPromptThreads
from bot.storage.repositories import SqlMemberRepository
from bot.storage.spaces import SqlSpaceRepository

if TYPE_CHECKING:
    from bot.platform_setup import Adapter

log = logging.getLogger(__name__)

PRUNE_EVENTS_MINUTES = 60.0


@dataclass(frozen=True, slots=True)
class BotContext:
    """Everything a running bot needs, built once from the settings."""

    settings: Settings
    engine: AsyncEngine
    clock: Clock
    dispatcher: Dispatcher
    topics: TopicResolver  # for platforms' topic autocomplete
    timers: Mapping[str, TimerSpec]  # by name; run_platforms starts them
    timer: Timer
    prompt_threads: PromptThreads  # adapters ask it whether a thread reply is an answer
    private: PrivateMessenger  # the jobs' DMs (Shared.private): held when a platform refuses

    def start_timers(self, only: Collection[str] | None = None) -> None:
        """Start the jobs' timers, or only those named (chat starts the daily prompts' alone)."""
        for spec in self.timers.values():
            if only is None or spec.name in only:
                self.timer.every(spec.minutes, spec.name, spec.run, at_start=spec.at_start)
        self.timer.start()


@asynccontextmanager
async def open_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """Connect to the database (migrating it when enabled) and close it on exit."""
    engine = create_engine(settings.database_url.get_secret_value())
    try:
        try:
            await ping(engine)
        except (SQLAlchemyError, OSError) as error:
            raise StartupError(
                f"cannot reach the database at {settings.database_url_for_display()}: "
                f"{type(error).__name__}"
            ) from error
        yield engine
    finally:
        await engine.dispose()


async def upgrade_database(engine: AsyncEngine, settings: Settings) -> migrate.Revisions:
    """Migrate the database to head; a schema migrations cannot fix is a one-line error."""
    try:
        return await migrate.upgrade(engine)
    except migrate.SchemaError as error:
        raise StartupError(f"database {settings.database_url_for_display()}: {error}") from error


@asynccontextmanager
async def open_bot(
    settings: Settings,
    clock: Clock | None = None,
    reach: Reach | None = None,
    prompt_publishers: Mapping[Platform, PromptPublisher] | None = None,
) -> AsyncIterator[BotContext]:
    """Build the whole bot: database, the jobs and the dispatcher; close it in order.

    reach holds the notifiers of the platforms this process runs (see `reach_of`), and
    prompt_publishers the platforms daily prompts are posted to (none by default; `run` gives
    the running adapters' through `publishers_of`). On exit,
    after the caller stopped intake: pending writes are drained, timers stopped, background
    work cancelled, and only then is the engine closed.
    """
    clock = clock or SystemClock()
    knowledge, index, answerer = build_answerer(settings)
    topics = TopicResolver(knowledge, index)
    async with open_engine(settings) as engine:
        if settings.auto_migrate:
            await upgrade_database(engine, settings)
        sessions = create_sessionmaker(engine)
        events = SqlEventLog(sessions, clock)
        spaces = SqlSpaceRepository(sessions, clock)
        held = SqlHeldNotices(sessions, clock, NOTICE_RETENTION)
        reach = reach or Reach()
        private = DirectMessenger(reach, held)
        shared = Shared(
            settings, sessions, clock, knowledge, topics, answerer,
            SqlMemberRepository(sessions, clock), spaces, reach, private,
        )  # fmt: skip
        study = study_job(shared)
        mentoring = mentoring_job(shared, QueueSolver(), on_session=study.mentoring_session)
        jobs: tuple[Job, ...] = (
            roadmap_job(shared, topic_done=study.topic_done),
            study.job,
            prompts_job(
                shared,
                {} if prompt_publishers is None else prompt_publishers,
                on_answer=study.prompt_answered,
            ).job,
            mentoring,
            pairing_job(shared, LibrarySolver()),
        )
        sections = [section for job in jobs for section in job.settings]
        notes = [note for job in jobs for note in job.privacy]
        jobs += (general_job(shared, COMMANDS, sections, notes),)
        retention = timedelta(days=settings.event_retention_days)

        async def prune_events() -> int:
            return await events.forget_before(clock.now() - retention)

        async def prune_notices() -> int:
            return await held.forget_before(clock.now() - NOTICE_RETENTION)

        for job in jobs:
            for step in job.start:
                await step()
        chat = next(job.chat for job in jobs if job.chat is not None)
        router = Router(COMMANDS, all_handlers(jobs), chat, topic=topics.resolve)
        specs = [
            TimerSpec("prune-processed-events", PRUNE_EVENTS_MINUTES, prune_events),
            TimerSpec("prune-held-notices", PRUNE_EVENTS_MINUTES, prune_notices),
        ]
        specs += [spec for job in jobs for spec in job.timers]
        timer = Timer()
        dispatcher = Dispatcher(router, events, spaces, held)
        try:
            yield BotContext(
                settings, engine, clock, dispatcher, topics, {s.name: s for s in specs}, timer,
                SqlPromptThreads(sessions), private,
            )  # fmt: skip
        finally:
            await dispatcher.close()  # intake stops; messages being handled finish
            await close_jobs(jobs, timer)


async def close_jobs(jobs: Sequence[Job], timer: Timer) -> None:
    """Drain writes, stop the timers (if still running), cancel background work.

    The engine closes after this.
    """
    for job in jobs:
        for step in job.drain:
            await step()
    await timer.stop()
    for job in jobs:
        for step in job.cancel:
            await step()


def freeze_startup_heap() -> None:
    """Exempt everything built at start-up from garbage collection: it lives until exit."""
    # A full collection walks every tracked object; the libraries, the knowledge index and
    # wordfreq's word list made that a 60-180 ms stall of the event loop each time the
    # collector chose to run one. Frozen objects are skipped; later ones are collected as usual.
    gc.collect()
    gc.freeze()


async def run_platforms(
    settings: Settings, platforms: list[str], sync_guild_id: int | None
) -> None:
    """Run the configured platform adapters until the process is stopped or none is left."""
    adapters: list[Adapter] = []
    if "discord" in platforms:
        adapters.append(discord_adapter(settings, sync_guild_id))
    if "slack" in platforms:
        adapters.append(slack_adapter(settings))
    publishers = publishers_of(adapters)
    async with open_bot(settings, reach=reach_of(adapters), prompt_publishers=publishers) as bot:
        freeze_startup_heap()
        await serve_until_stopped(bot, adapters)
