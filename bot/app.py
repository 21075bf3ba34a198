"""Composition root: the one place that knows the core, the storage and the adapters."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import version
from bot.adapters.discord.client import DiscordAdapter, DiscordOptions
from bot.adapters.discord.commands import Completer
from bot.adapters.slack.adapter import SlackAdapter, SlackOptions
from bot.answering import build_answerer
from bot.config import Settings
from bot.core.about import AboutService
from bot.core.chat import AskService
from bot.core.clock import SystemClock
from bot.core.commands import COMMANDS
from bot.core.dispatcher import Dispatcher
from bot.core.help import HelpService
from bot.core.leaderboard import LeaderboardService
from bot.core.members import TimezoneService
from bot.core.messages import Platform
from bot.core.ports import Clock, Notifier, RoleGranter
from bot.core.progress import ProgressService
from bot.core.reminders import ReminderService
from bot.core.resources import ResourceService
from bot.core.roadmap import RoadmapService
from bot.core.router import Handler, Router
from bot.core.space_config import ConfigService
from bot.core.study import StudyService
from bot.core.timezones import matching_timezones
from bot.core.topics import TopicResolver
from bot.platforms import StartupError
from bot.scheduling import Timer
from bot.storage import migrate
from bot.storage.db import create_engine, create_sessionmaker, ping
from bot.storage.leaderboard import SqlLeaderboard, SqlReminderLog
from bot.storage.learning import SqlFeedbackRepository, SqlProgressRepository
from bot.storage.repositories import SqlEventLog, SqlMemberRepository, SqlSpaceRepository
from bot.storage.streaks import SqlLearningEventRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BotContext:
    """Everything a running bot needs, built once from the settings."""

    settings: Settings
    engine: AsyncEngine
    clock: Clock
    dispatcher: Dispatcher
    topics: TopicResolver  # for platforms' topic autocomplete
    reminders: ReminderService
    # Filled in as platform adapters start: the services read them at each use.
    notifiers: dict[Platform, Notifier] = field(default_factory=dict)
    role_granters: dict[Platform, RoleGranter] = field(default_factory=dict)

    def connect(self, platform: Platform, adapter: DiscordAdapter | SlackAdapter) -> None:
        """Let the core reach members on a started platform (reminders, milestone roles)."""
        self.notifiers[platform] = adapter.notifier
        if isinstance(adapter, DiscordAdapter):
            self.role_granters[platform] = adapter.notifier


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
async def open_bot(settings: Settings, clock: Clock | None = None) -> AsyncIterator[BotContext]:
    """Build the whole bot: database, repositories, services and the dispatcher."""
    clock = clock or SystemClock()
    knowledge, index, answerer = build_answerer(settings)
    topics = TopicResolver(knowledge, index)
    ask = AskService(answerer)
    async with open_engine(settings) as engine:
        if settings.auto_migrate:
            await upgrade_database(engine, settings)
        sessions = create_sessionmaker(engine)
        events = SqlEventLog(sessions, clock)
        dropped = await events.forget_before(
            clock.now() - timedelta(days=settings.event_retention_days)
        )
        log.debug("forgot %d old processed events", dropped)
        members = SqlMemberRepository(sessions, clock)
        spaces = SqlSpaceRepository(sessions, clock)
        boards = SqlLeaderboard(sessions)
        await boards.backfill(clock.now(), settings.default_timezone)
        notifiers: dict[Platform, Notifier] = {}
        role_granters: dict[Platform, RoleGranter] = {}
        study = StudyService(
            SqlLearningEventRepository(sessions, settings.default_timezone),
            members,
            spaces,
            clock,
            settings.default_timezone,
            role_granters,
        )
        ranking = LeaderboardService(boards, members, study, clock)
        reminders = ReminderService(members, study, SqlReminderLog(sessions), clock, notifiers)
        config = ConfigService(
            spaces,
            lambda actor: boards.refresh_space(
                actor.platform, actor.space_id, clock.now(), settings.default_timezone
            ),
        )
        progress = ProgressService(
            knowledge,
            SqlProgressRepository(sessions, clock),
            topics,
            on_done=lambda actor, topic_id, event_id: study.record(
                actor, "topic_done", f"topic:{topic_id}:{event_id}" if event_id else None
            ),
        )
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
            "checkin": study.checkin,
            "streak": study.streak,
            "leaderboard": ranking.leaderboard,
            "privacy": ranking.privacy,
            "reminders": reminders.handle,
            "config": config.handle,
            "help": HelpService(COMMANDS).handle,
            "timezone": TimezoneService(members, clock, settings.default_timezone).handle,
            "about": AboutService(
                version(), knowledge.sources, settings.event_retention_days
            ).handle,
        }
        router = Router(COMMANDS, handlers, ask.chat, topic=topics.resolve)
        dispatcher = Dispatcher(router, events, spaces)
        yield BotContext(
            settings, engine, clock, dispatcher, topics, reminders, notifiers, role_granters
        )


def discord_adapter(
    bot: BotContext, sync_guild_id: int | None = None, guild_ready_timeout: float = 2.0
) -> DiscordAdapter:
    """Build the Discord adapter from the settings and the running bot."""
    settings = bot.settings
    if settings.discord_token is None:
        raise StartupError("BOT_DISCORD_TOKEN is not set")
    options = DiscordOptions(
        token=settings.discord_token.get_secret_value(),
        api_base=settings.discord_api_base,
        gateway_url=settings.discord_gateway_url,
        moderator_role=settings.discord_moderator_role,
        sync_guild_id=sync_guild_id,
        sync_state_file=settings.data_dir / "discord_commands.sha256",
        message_content=settings.discord_message_content,
        guild_ready_timeout=guild_ready_timeout,
    )
    return DiscordAdapter(options, bot.dispatcher.handle, COMMANDS, completers(bot))


def completers(bot: BotContext) -> dict[str, Completer]:
    """Return the autocomplete sources platforms offer for command arguments."""
    return {
        "topic": lambda text: [(t.name, t.id) for t in bot.topics.complete(text)],
        "timezone": lambda text: [(name, name) for name in matching_timezones(text)],
        "command": lambda text: [
            (c.name, c.name) for c in COMMANDS if c.name.startswith(text.casefold().strip())
        ],
    }


def slack_adapter(bot: BotContext) -> SlackAdapter:
    """Build the Slack adapter from the settings and the running bot."""
    settings = bot.settings
    if settings.slack_bot_token is None:
        raise StartupError("BOT_SLACK_BOT_TOKEN is not set")
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    mode = settings.slack_mode
    if mode == "auto":
        mode = "socket" if app_token else "http"
    secret = settings.slack_signing_secret
    if mode == "http" and secret is None:
        raise StartupError("Slack HTTP mode needs BOT_SLACK_SIGNING_SECRET")
    if mode == "socket" and app_token is None:
        raise StartupError("Slack Socket Mode needs BOT_SLACK_APP_TOKEN")
    options = SlackOptions(
        bot_token=settings.slack_bot_token.get_secret_value(),
        signing_secret=secret.get_secret_value() if secret else None,
        app_token=app_token,
        api_base=settings.slack_api_base,
        mode=mode,
        host=settings.slack_host,
        port=settings.slack_port,
        path=settings.slack_path,
        command=settings.slack_command,
        moderator_group=settings.slack_moderator_group,
    )
    return SlackAdapter(options, bot.dispatcher.handle, COMMANDS)


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
    """Run the configured platform adapters until one stops or the process is interrupted."""
    async with open_bot(settings) as bot:
        adapters: list[DiscordAdapter | SlackAdapter] = []
        if "discord" in platforms:
            adapters.append(discord_adapter(bot, sync_guild_id))
            bot.connect(Platform.DISCORD, adapters[-1])
        if "slack" in platforms:
            adapters.append(slack_adapter(bot))
            bot.connect(Platform.SLACK, adapters[-1])
        freeze_startup_heap()
        tasks = [asyncio.create_task(adapter.run()) for adapter in adapters]
        timer = Timer()
        timer.every(settings.reminder_check_minutes, "streak-reminders", bot.reminders.send_due)
        timer.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            # A container stop (SIGTERM) closes connections cleanly instead of dying mid-reply.
            loop.add_signal_handler(signal_number, stop.set)
        stopping = asyncio.create_task(stop.wait())
        try:
            done, _ = await asyncio.wait([*tasks, stopping], return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not stopping:
                    task.result()  # surface the error of an adapter that stopped
            log.info("shutting down")
        finally:
            await timer.stop()
            for adapter in adapters:
                await adapter.close()
            for task in (*tasks, stopping):
                task.cancel()
            await asyncio.gather(*tasks, stopping, return_exceptions=True)
            for signal_number in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(signal_number)
