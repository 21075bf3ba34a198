"""Ports of the study job: learning events, leaderboards and the reminder log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, Protocol

from bot.core.messages import Platform
from bot.core.ports import MemberKey


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


class StudyDay(NamedTuple):
    """One local date with learning on it."""

    # A named tuple, not a frozen dataclass: a batch of check-ins builds thousands (every
    # day of every member in it), and a tuple costs half as much to make.

    day: date
    minutes: int
    events: int


class StreakCounts(NamedTuple):
    """A member's streak in one space as of one day."""

    current: int
    longest: int
    freezes_banked: int


@dataclass(frozen=True, slots=True)
class Recorded:
    """The outcome of recording a learning event, with what an answer about it needs.

    When stored, day and streak come from the transaction that wrote the event (after the
    whole batch it was written with), so answering needs no second read, and never the
    member's whole history.
    """

    stored: bool  # False: an event with its platform and source was stored before
    minutes: int = 0  # minutes counted: the event's, less what went over 24 h on its local day
    day: StudyDay | None = None  # when stored: the event's local day, all its minutes and events
    streak: StreakCounts | None = None  # when stored: the streak in the event's space, that day


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
