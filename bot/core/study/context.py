"""Whose days, under which rules: the study context of a member in a space, and their streak."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.ports import (
    Clock,
    Member,
    MemberKey,
    MemberRepository,
    Space,
    SpaceRepository,
    StreakSettings,
)
from bot.core.study.ports import LearningEventRepository, StudyDay
from bot.core.study.streaks import ForgivenessRules, StreakStatus, compute_streak, local_date


@dataclass(frozen=True, slots=True)
class StudyContext:
    """Who is studying and under which space settings their days are counted."""

    member: Member | None
    space: Space | None
    timezone: str

    @property
    def settings(self) -> StreakSettings:
        """Return the space's streak settings, or the defaults."""
        return self.space.streaks if self.space else StreakSettings()


@dataclass(frozen=True, slots=True)
class StreakSnapshot:
    """A streak with the study minutes per day it was computed from."""

    status: StreakStatus
    minutes: dict[date, int]
    today: date
    rules: ForgivenessRules
    events: dict[date, int]  # learning events per day

    def events_on(self, day: date) -> int:
        """Return how many learning events day has."""
        return self.events.get(day, 0)


class StudyContexts:
    """Look up a member's study context: their timezone, else the space's, else the bot's."""

    def __init__(
        self, members: MemberRepository, spaces: SpaceRepository, default_timezone: str
    ) -> None:
        self._members = members
        self._spaces = spaces
        self._default_timezone = default_timezone

    async def of(self, key: MemberKey, space_id: str, *, fresh: bool = False) -> StudyContext:
        """Return the member, their space and the timezone their days are counted in.

        fresh reads both from the database now instead of from a short cache.
        """
        if fresh:
            member = await self._members.get_fresh(key)
            space = await self._spaces.get_fresh(key.platform, space_id)
        else:
            member = await self._members.get(key)
            space = await self._spaces.get(key.platform, space_id)
        timezone = (
            (member.timezone if member else None)
            or (space.default_timezone if space else None)
            or self._default_timezone
        )
        return StudyContext(member, space, timezone)


class StreakReader:
    """Compute a member's streak as of their today from their study days."""

    def __init__(self, events: LearningEventRepository, clock: Clock) -> None:
        self._events = events
        self._clock = clock

    async def snapshot(self, key: MemberKey, context: StudyContext) -> StreakSnapshot:
        """Return the member's streak as of their today, under context's settings."""
        return self.snapshot_of(await self._events.days(key), context)

    def snapshot_of(self, days: Sequence[StudyDay], context: StudyContext) -> StreakSnapshot:
        """Return the streak of days already read (a check-in's write returns them)."""
        today = local_date(self._clock.now(), context.timezone)
        minutes = {d.day: d.minutes for d in days}
        events = {d.day: d.events for d in days}
        settings = context.settings
        rules = ForgivenessRules(settings.days_per_freeze, settings.max_freezes)
        return StreakSnapshot(compute_streak(minutes, today, rules), minutes, today, rules, events)
