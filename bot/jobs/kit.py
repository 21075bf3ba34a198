"""What every job is built from (Shared) and what it gives back (Job)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.knowledge import KnowledgeBase
from bot.core.ports import Clock, MemberRepository, PrivateMessenger, Reach, SpaceRepository
from bot.core.roadmap.qa import QuestionAnswerer
from bot.core.router import ChatHandler, Handler
from bot.core.sections import PrivacyNote, SettingsSection
from bot.core.topics import TopicResolver

Step = Callable[[], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Shared:
    """The pieces every job may use; built once by the app."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    knowledge: KnowledgeBase
    topics: TopicResolver
    answerer: QuestionAnswerer
    members: MemberRepository
    spaces: SpaceRepository
    reach: Reach  # notifiers and role granters of the platforms this process runs
    private: PrivateMessenger  # a DM to one member, held for their next message if refused


@dataclass(frozen=True, slots=True)
class TimerSpec:
    """A job's timer: run every few minutes; the tables decide what is due."""

    name: str
    minutes: float
    run: Callable[[], Awaitable[int]]
    at_start: bool = True  # False: first run after one interval (needs connected platforms)


@dataclass(frozen=True, slots=True)
class Job:
    """What a job gives the app: handlers by command path, timers, and its lifecycle steps.

    A handler's key is a command's full name: "checkin", or "config streaks" for one
    subcommand of a group that other jobs add to (a group's key answers all its subcommands).
    """

    name: str
    handlers: Mapping[str, Handler]
    settings: tuple[SettingsSection, ...] = ()  # this job's part of `config show`
    privacy: tuple[PrivacyNote, ...] = ()  # this job's part of `about`'s privacy text
    chat: ChatHandler | None = None  # plain messages (one job answers them)
    timers: tuple[TimerSpec, ...] = ()
    start: tuple[Step, ...] = ()  # before any message is taken (e.g. a backfill)
    drain: tuple[Step, ...] = ()  # on shutdown, after intake stopped: finish pending writes
    cancel: tuple[Step, ...] = ()  # on shutdown, after timers stopped: end background work


def all_handlers(jobs: Sequence[Job]) -> dict[str, Handler]:
    """Return every job's handlers by path; two jobs answering one path is a wiring mistake."""
    handlers: dict[str, Handler] = {}
    for job in jobs:
        taken = set(handlers) & set(job.handlers)
        if taken:
            raise ValueError(f"job {job.name} answers commands another job answers: {taken}")
        handlers.update(job.handlers)
    return handlers
