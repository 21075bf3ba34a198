"""The requests side of mentoring, built on a real database with fakes around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.clock import FixedClock
from bot.core.mentoring.answers import FollowupDesk, OfferDesk
from bot.core.mentoring.desk import MentoringDesk
from bot.core.mentoring.learners import LearnerDesk
from bot.core.mentoring.matchmaker import Matchmaker
from bot.core.mentoring.ports import MentorKey, MentorProfile
from bot.core.mentoring.ticks import MentoringTimer
from bot.core.messages import Actor, Platform, Reply
from bot.core.ports import MemberKey
from bot.core.requests import Request
from bot.core.topics import UnknownTopicError
from bot.solvers import QueueSolver
from bot.storage.db import create_sessionmaker
from bot.storage.mentoring.blocks import SqlMentorBlocks
from bot.storage.mentoring.profiles import SqlMentorProfiles
from bot.storage.mentoring.requests import SqlMentorRequests
from bot.storage.migrate import upgrade
from tests.core.small_kb import small_kb
from tests.fakes import FakeMemberRepository, FakeSpaceRepository, request

SPACE = "space-1"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, before any DST change
KB = small_kb()


def resolve_topic(text: str) -> object:
    """Resolve a topic by id, as the router's TopicResolver would."""
    topic = KB.topic(" ".join(text.split()).casefold())
    if topic is None:
        raise UnknownTopicError(f"I don't know a roadmap topic called `{text}`.")
    return topic


@dataclass
class Sent:
    """A private message: to whom, what, about which community."""

    user_id: str
    reply: Reply
    space_id: str


@dataclass
class CollectingMessenger:
    """PrivateMessenger that keeps what it was asked to send."""

    sent: list[Sent] = field(default_factory=list)

    async def send(self, key: MemberKey, reply: Reply, *, space_id: str) -> bool:
        self.sent.append(Sent(key.user_id, reply, space_id))
        return True

    def to(self, user_id: str) -> list[Reply]:
        return [s.reply for s in self.sent if s.user_id == user_id]

    def commands(self, user_id: str) -> list[str]:
        return [b.command or "" for r in self.to(user_id) for b in r.buttons]


@dataclass
class CollectingModerators:
    """ModeratorNotifier that keeps the notices."""

    told: list[tuple[str, str, Reply]] = field(default_factory=list)

    async def tell_moderators(self, space_id: str, channel_id: str, reply: Reply) -> bool:
        self.told.append((space_id, channel_id, reply))
        return True


@dataclass
class SessionLog:
    """The study hook: the mentoring sessions reported, as (mentee id, pairing id)."""

    calls: list[tuple[str, int]] = field(default_factory=list)

    async def __call__(self, actor: Actor, pairing_id: int) -> object:
        self.calls.append((actor.user_id, pairing_id))
        return None


def actor(user: str, *, moderator: bool = False) -> Actor:
    """Return a console member of the test community."""
    return Actor(Platform.CONSOLE, SPACE, "chan-1", user, user.title(), moderator, "Test space")


def profile(
    user: str,
    topics: tuple[str, ...] = ("databases",),
    *,
    level: int = 1,
    hours: str = "daily 18:00-22:00",
    timezone: str = "Europe/Berlin",
    capacity: int = 2,
) -> MentorProfile:
    """Return a mentor's profile in the test community."""
    key = MentorKey(Platform.CONSOLE, SPACE, user)
    return MentorProfile(key, user.title(), frozenset(topics), level, timezone, hours, capacity)


class Kit:
    """Every piece of the requests side over one database, with a controlled clock."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.sessions = create_sessionmaker(engine)
        self.store = SqlMentorRequests(self.sessions)
        self.clock = FixedClock(START)
        # The real tables: an offer counts a mentor's places under a lock on their profile row.
        self.profiles = SqlMentorProfiles(self.sessions)
        self.blocks = SqlMentorBlocks(self.sessions)
        self.private = CollectingMessenger()
        self.moderators = CollectingModerators()
        self.sessions_held = SessionLog()
        self.members = FakeMemberRepository()
        spaces = FakeSpaceRepository()
        self.matchmaker = Matchmaker(self.store, self.profiles, self.blocks, self.private,
                                     QueueSolver(), KB, self.clock)  # fmt: skip
        self.learners = LearnerDesk(self.store, self.matchmaker, self.profiles, self.members,
                                    spaces, KB, self.clock, "UTC")  # fmt: skip
        self.offers = OfferDesk(self.store, self.matchmaker, self.profiles, self.clock)
        self.followups = FollowupDesk(self.store, self.sessions_held, self.clock)
        self.desk = MentoringDesk(self.store)
        self.timer = MentoringTimer(self.store, self.matchmaker, self.profiles,
                                    {Platform.CONSOLE: self.moderators}, self.clock)  # fmt: skip

    @classmethod
    async def on(cls, engine: AsyncEngine, *mentors: MentorProfile) -> Kit:
        """Return a kit over a migrated database."""
        await upgrade(engine)
        kit = cls(engine)
        for mentor in mentors:
            await kit.profiles.save(mentor)
        return kit

    def line(self, user: str, text: str, *, moderator: bool = False) -> Request:
        """Return the typed request of a command line."""
        return request(actor(user, moderator=moderator), text, topic=resolve_topic)

    async def ask(self, user: str, text: str) -> Reply:
        """Run `mentor request …` for user."""
        return await self.learners.request(self.line(user, f"mentor request {text}"))

    def offer_id(self, mentor: str) -> int:
        """Return the id of the last offer sent to mentor (from its Accept button)."""
        accepts = [c for c in self.private.commands(mentor) if c.startswith("mentor accept")]
        return int(accepts[-1].split()[-1])
