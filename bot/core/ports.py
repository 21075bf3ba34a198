"""Protocols the core needs from the outside world; storage and adapters implement them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.core.messages import Actor, Platform, Reply
from bot.core.streaks import ForgivenessRules


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

    @property
    def rules(self) -> ForgivenessRules:
        """Return the forgiveness rules these settings describe."""
        return ForgivenessRules(self.days_per_freeze, self.max_freezes)


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


@dataclass(frozen=True, slots=True)
class Feedback:
    """One member's opinion of one resource."""

    rating: int = 0  # +1 up, -1 down, 0 none
    seen: bool = False


class ProgressRepository(Protocol):
    """Stores where each member stands on each roadmap topic."""

    async def statuses(self, key: MemberKey) -> dict[str, str]:
        """Return topic id -> status ("done", "learning", "skip") for the member."""
        ...

    async def set_status(self, key: MemberKey, topic_id: str, status: str) -> None:
        """Record the member's status for a topic (replacing any earlier one)."""
        ...

    async def clear(self, key: MemberKey, topic_ids: Sequence[str]) -> int:
        """Forget the member's status for these topic ids; return how many were removed."""
        ...


class FeedbackRepository(Protocol):
    """Stores members' ratings of resources and which ones they have seen."""

    async def feedback(self, key: MemberKey) -> dict[str, Feedback]:
        """Return resource id -> the member's feedback."""
        ...

    async def rate(self, key: MemberKey, resource_id: str, rating: int) -> None:
        """Record the member's rating (+1 or -1) of a resource."""
        ...

    async def mark_seen(self, key: MemberKey, resource_id: str) -> None:
        """Record that the member has seen a resource."""
        ...

    async def scores(self) -> dict[str, int]:
        """Return resource id -> sum of all members' ratings (only rated resources)."""
        ...


@dataclass(frozen=True, slots=True)
class LearningEvent:
    """A moment of study: a check-in, a topic done, a prompt answered, a mentor session."""

    key: MemberKey
    space_id: str
    kind: str  # "checkin", "topic_done", "prompt_answer", "mentor_session"
    source: str  # unique per event on its platform, e.g. the platform's event id
    occurred_at: datetime  # timezone-aware
    local_date: date  # the member's calendar date when it happened, fixed at that moment
    minutes: int = 0
    note: str = ""


@dataclass(frozen=True, slots=True)
class StudyDay:
    """One local date with learning on it."""

    day: date
    minutes: int
    events: int


@dataclass(frozen=True, slots=True)
class Recorded:
    """The outcome of recording a learning event."""

    stored: bool  # False: an event with its platform and source was stored before
    days: tuple[StudyDay, ...] = ()  # when stored: the member's study days, oldest first
    minutes: int = 0  # minutes counted: the event's, less what went over 24 h on its local day


class LearningEventRepository(Protocol):
    """Stores learning events; a redelivered event (same platform and source) is kept once."""

    async def record(self, event: LearningEvent, display_name: str) -> Recorded:
        """Store event (minutes capped per local day) and refresh the member's totals."""
        ...

    async def days(self, key: MemberKey, since: date | None = None) -> list[StudyDay]:
        """Return the member's study days (optionally from since on), oldest first."""
        ...


@dataclass(frozen=True, slots=True)
class Board:
    """Which leaderboard: a space, a period and what is ranked."""

    platform: Platform
    space_id: str
    period: str  # "week", "month" or "all"
    metric: str  # "streak" or "minutes"
    period_start: date  # the asker's Monday or first of the month (unused for "all")
    now: datetime  # streaks that ended before this moment rank as zero


@dataclass(frozen=True, slots=True)
class Standing:
    """One member's place on a leaderboard."""

    user_id: str
    display_name: str
    value: int
    rank: int  # 1 + how many rank strictly higher, so ties share a place


class LeaderboardRepository(Protocol):
    """Ranks members of a space from their stored totals."""

    async def top(self, board: Board, limit: int = 10) -> list[Standing]:
        """Return the best members with a value above zero, best first."""
        ...

    async def standing(self, board: Board, user_id: str) -> Standing | None:
        """Return the member's place, or None when they are not on this board."""
        ...

    async def set_hidden(self, key: MemberKey, hidden: bool) -> None:
        """Hide the member from (or show them on) every leaderboard."""
        ...


class ReminderLog(Protocol):
    """Remembers which streak reminders were sent, so each goes out at most once a day."""

    async def claim(self, key: MemberKey, day: date, now: datetime) -> bool:
        """Record the member's reminder for their local day; False when it was sent."""
        ...

    async def prune(self, before: date) -> int:
        """Forget reminders for local dates before this one; return how many were dropped."""
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

    async def direct(self, key: MemberKey, reply: Reply) -> None:
        """Send a reply to a member privately."""
        ...
