"""Composition root: the one place that knows the core, the storage and the adapters."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import version
from bot.answering import build_answerer
from bot.config import Settings
from bot.core.about import AboutService
from bot.core.chat import AskService
from bot.core.clock import SystemClock
from bot.core.commands import COMMANDS
from bot.core.dispatcher import Dispatcher
from bot.core.help import HelpService
from bot.core.members import TimezoneService
from bot.core.ports import Clock
from bot.core.progress import ProgressService
from bot.core.resources import ResourceService
from bot.core.roadmap import RoadmapService
from bot.core.router import Handler, Router
from bot.core.topics import TopicResolver
from bot.platforms import StartupError
from bot.storage import migrate
from bot.storage.db import create_engine, create_sessionmaker, ping
from bot.storage.learning import SqlFeedbackRepository, SqlProgressRepository
from bot.storage.repositories import SqlEventLog, SqlMemberRepository, SqlSpaceRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BotContext:
    """Everything a running bot needs, built once from the settings."""

    settings: Settings
    engine: AsyncEngine
    clock: Clock
    dispatcher: Dispatcher
    topics: TopicResolver  # for platforms' topic autocomplete


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


@asynccontextmanager
async def open_bot(settings: Settings, clock: Clock | None = None) -> AsyncIterator[BotContext]:
    """Build the whole bot: database, repositories, services and the dispatcher."""
    clock = clock or SystemClock()
    knowledge, index, answerer = build_answerer(settings)
    topics = TopicResolver(knowledge, index)
    ask = AskService(answerer)
    async with open_engine(settings) as engine:
        if settings.auto_migrate:
            await migrate.upgrade(engine)
        sessions = create_sessionmaker(engine)
        events = SqlEventLog(sessions, clock)
        dropped = await events.forget_before(
            clock.now() - timedelta(days=settings.event_retention_days)
        )
        log.debug("forgot %d old processed events", dropped)
        progress = ProgressService(knowledge, SqlProgressRepository(sessions, clock), topics)
        resources = ResourceService(
            knowledge, SqlFeedbackRepository(sessions, clock), progress, topics
        )
        roadmap = RoadmapService(knowledge, topics, progress, resources)
        handlers: dict[str, Handler] = {
            "ask": ask.handle,
            "roadmap": roadmap.handle,
            "next": roadmap.next,
            "progress": progress.handle,
            "resources": resources.handle,
            "help": HelpService(COMMANDS).handle,
            "timezone": TimezoneService(
                SqlMemberRepository(sessions, clock), clock, settings.default_timezone
            ).handle,
            "about": AboutService(
                version(), knowledge.sources, settings.event_retention_days
            ).handle,
        }
        router = Router(COMMANDS, handlers, ask.chat)
        dispatcher = Dispatcher(router, events, SqlSpaceRepository(sessions, clock))
        yield BotContext(settings, engine, clock, dispatcher, topics)
