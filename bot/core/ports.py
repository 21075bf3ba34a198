"""Protocols the core needs from the outside world; storage and adapters implement them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.core.messages import Actor, Notice, Platform, Reply


@dataclass(frozen=True, slots=True)
class MemberKey:
    """A person's identity on one platform."""

    platform: Platform
    user_id: str


@dataclass(frozen=True, slots=True)
class Member:
    """What the bot remembers about a person."""

    key: MemberKey
    display_name: str
    timezone: str | None
    leaderboard_hidden: bool = False
    reminders: bool = False
    reminder_space_id: str | None = None  # whose reminder hour applies


@dataclass(frozen=True, slots=True)
class StreakSettings:
    """How a space runs streaks; moderators change these with `config streaks`."""

    days_per_freeze: int = 7
    max_freezes: int = 2
    reminder_hour: int = 20  # local hour at which at-risk reminders go out
    milestone_roles: tuple[tuple[int, str], ...] = ()  # (days, role id), Discord only


@dataclass(frozen=True, slots=True)
class Space:
    """A community: a Discord guild, a Slack workspace, or the local console."""

    platform: Platform
    external_id: str
    name: str
    default_timezone: str | None
    streaks: StreakSettings = StreakSettings()


@dataclass(frozen=True, slots=True)
class Source:
    """An article the knowledge base draws its facts from."""

    id: str
    title: str
    site: str
    url: str
    author: str = ""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A knowledge-base document that matches a question, and how well."""

    kind: str  # "fact", "topic" or "resource"
    id: str
    score: float
    coverage: float  # share of the question's meaning (IDF-weighted terms) the document has
    matched: float = 0.0  # IDF weight of the question's terms found in the document
    unknown: float = 0.0  # share of the question's weight in words the knowledge base never uses
    shared: int = 0  # how many distinct words of the question the document contains
    asked: int = 0  # how many distinct meaningful words the question has
    # Share of the question's weight in real English words the knowledge base never uses
    # ("taxes", "iphone"): the question is about something else. Typos and junk are not counted.
    unfamiliar: float = 0.0


class KnowledgeIndex(Protocol):
    """Finds the knowledge-base documents and topics that match free text."""

    def search(self, text: str, *, context: str = "", limit: int = 5) -> list[SearchHit]:
        """Return the best documents for text; context (the whole message) breaks ties."""
        ...

    def find_topics(self, text: str, limit: int = 5) -> list[tuple[str, float]]:
        """Return (topic id, score 0-100) for topics whose name or alias text matches."""
        ...

    def topics_mentioned(self, text: str) -> list[str]:
        """Return ids of topics whose name or alias appears in text, in order of appearance."""
        ...

    def topic_named(self, text: str) -> str | None:
        """Return the topic whose name or alias is all that text says (after filler words)."""
        ...

    def terms(self, text: str) -> list[str]:
        """Return the meaningful search terms of text."""
        ...

    def known_share(self, text: str) -> float:
        """Return the share of text's meaningful words the knowledge base uses."""
        ...


class Clock(Protocol):
    """Tells the time; a fixed clock makes schedules and streaks testable."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware."""
        ...


class MemberRepository(Protocol):
    """Stores members and their settings."""

    async def get(self, key: MemberKey) -> Member | None:
        """Return the member, or None if the bot has never stored them."""
        ...

    async def get_fresh(self, key: MemberKey) -> Member | None:
        """Return the member as stored now (uncached): for choices that must hold at once."""
        ...

    async def set_timezone(self, key: MemberKey, display_name: str, timezone: str) -> Member:
        """Create or update the member with this timezone and return it."""
        ...

    async def set_preferences(
        self,
        key: MemberKey,
        display_name: str,
        *,
        leaderboard_hidden: bool | None = None,
        reminders: bool | None = None,
        reminder_space_id: str | None = None,
    ) -> Member:
        """Create or update the member with the given preferences (None leaves one as is)."""
        ...

    async def with_reminders(self) -> list[Member]:
        """Return the members who asked for streak reminders."""
        ...

    async def due_for_reminders(
        self, now: datetime, platforms: Collection[Platform]
    ) -> list[Member]:
        """Return opted-in members on these platforms whose next reminder time has come."""
        ...

    async def schedule_reminder(self, key: MemberKey, at: datetime) -> None:
        """Set when the reminder timer should next look at the member."""
        ...


class SpaceRepository(Protocol):
    """Stores the communities the bot has seen."""

    async def ensure(self, actor: Actor) -> None:
        """Record the actor's space if it is new (cheap when it is already known)."""
        ...

    async def get(self, platform: Platform, external_id: str) -> Space | None:
        """Return the space, or None if it was never seen."""
        ...

    async def get_fresh(self, platform: Platform, external_id: str) -> Space | None:
        """Return the space as stored now (uncached)."""
        ...

    async def configure_streaks(
        self,
        platform: Platform,
        external_id: str,
        *,
        default_timezone: str | None = None,
        days_per_freeze: int | None = None,
        max_freezes: int | None = None,
        reminder_hour: int | None = None,
    ) -> Space:
        """Change the space's streak settings (None leaves one as is) and return the space."""
        ...

    async def set_milestone_role(
        self, platform: Platform, external_id: str, days: int, role_id: str | None
    ) -> Space:
        """Set (or with None remove) the role given at a streak milestone; return the space."""
        ...


class EventLog(Protocol):
    """Remembers processed platform events so a redelivery is not acted on twice."""

    async def claim(self, platform: Platform, event_id: str) -> bool:
        """Record the event; return True the first time, False for a redelivery."""
        ...

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop records received before cutoff; return how many were dropped."""
        ...


class RoleGranter(Protocol):
    """Gives a member a role in a space (Discord milestone roles)."""

    async def grant_role(self, space_id: str, user_id: str, role_id: str, reason: str) -> bool:
        """Add the role; return False (and log why) when the platform refused."""
        ...


class Notifier(Protocol):
    """Posts to a channel or a member outside a request/response exchange."""

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        """Post a reply to a channel."""
        ...

    async def direct(self, key: MemberKey, reply: Reply, *, space_id: str | None = None) -> None:
        """Send a reply to a member privately; with space_id its buttons act in that space.

        Raises whatever the platform refuses with (closed DMs, an unknown member).
        """
        ...


class ModeratorNotifier(Protocol):
    """Tells a space's moderators privately about a problem they must fix."""

    async def tell_moderators(self, space_id: str, channel_id: str, reply: Reply) -> bool:
        """Send reply, about channel_id, to who moderates the space; False if nobody was told."""
        ...


class HeldNotices(Protocol):
    """Private messages a platform refused to deliver, kept for the member's next message."""

    async def hold(self, key: MemberKey, reply: Reply, *, space_id: str) -> None:
        """Keep reply (about space_id) for the member, stamped with the time it was held."""
        ...

    async def take(self, key: MemberKey, limit: int) -> tuple[Notice, ...]:
        """Remove and return the member's notices, oldest first, at most limit of them.

        Atomic: of two callers at once, each notice goes to one; expired ones are not returned.
        """
        ...

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop notices held before cutoff; return how many were dropped."""
        ...


class PrivateMessenger(Protocol):
    """Tells one member something privately: a DM, or held for their next message.

    A DM the platform refuses (closed DMs, no shared server) is not lost: it is kept and shown
    to the member, privately, the next time they use the bot; the flow that sent it goes on.
    """

    async def send(self, key: MemberKey, reply: Reply, *, space_id: str) -> bool:
        """Send reply about space_id (its buttons act there); False when it was held instead."""
        ...


class MembershipCheck(Protocol):
    """Tells whether a person still belongs to a community (left the server, deactivated)."""

    async def is_member(self, space_id: str, user_id: str) -> bool | None:
        """Return True or False, or None when the platform cannot tell now (keep them)."""
        ...


@dataclass(frozen=True, slots=True)
class Reach:
    """How jobs reach members outside a reply, per platform; complete before jobs are built."""

    notifiers: Mapping[Platform, Notifier] = field(default_factory=dict)
    granters: Mapping[Platform, RoleGranter] = field(default_factory=dict)  # Discord roles
    moderators: Mapping[Platform, ModeratorNotifier] = field(default_factory=dict)
    members: Mapping[Platform, MembershipCheck] = field(default_factory=dict)  # who still belongs
