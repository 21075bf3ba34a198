"""Check-ins and streaks: record study for the member's local day and report the streak."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.errors import UsageError
from bot.core.heatmap import WEEKS, heatmap_png
from bot.core.members import member_key
from bot.core.messages import Actor, Field, Image, Reply
from bot.core.ports import Clock, LearningEvent, LearningEventRepository, MemberRepository
from bot.core.router import EVENT_ID, Arguments
from bot.core.sanitize import quote_user_text
from bot.core.streaks import (
    ForgivenessRules,
    StreakStatus,
    compute_streak,
    explain,
    local_date,
)

MAX_MINUTES = 1440
NOTE_LENGTH = 200
USAGE = "checkin [minutes] [what you studied]"


@dataclass(frozen=True, slots=True)
class StreakSnapshot:
    """A streak with the study minutes per day it was computed from."""

    status: StreakStatus
    minutes: dict[date, int]
    today: date


class StudyService:
    """Answer `checkin` and `streak`; other features record learning through `record`."""

    def __init__(
        self,
        events: LearningEventRepository,
        members: MemberRepository,
        clock: Clock,
        default_timezone: str,
        rules: ForgivenessRules | None = None,
    ) -> None:
        self._events = events
        self._members = members
        self._clock = clock
        self._default_timezone = default_timezone
        self._rules = rules or ForgivenessRules()

    async def timezone_of(self, actor: Actor) -> str:
        """Return the member's timezone, else the default."""
        member = await self._members.get(member_key(actor))
        return member.timezone if member and member.timezone else self._default_timezone

    async def record(
        self, actor: Actor, kind: str, source: str | None, minutes: int = 0, note: str = ""
    ) -> tuple[bool, date]:
        """Record learning for the member's local day; return (new, that day)."""
        now = self._clock.now()
        day = local_date(now, await self.timezone_of(actor))
        event = LearningEvent(
            key=member_key(actor),
            space_id=actor.space_id,
            kind=kind,
            # Without a platform event id (the console) every call is a new event.
            source=source or f"{kind}:{uuid.uuid4().hex}",
            occurred_at=now,
            local_date=day,
            minutes=minutes,
            note=note,
        )
        return await self._events.record(event), day

    async def checkin(self, actor: Actor, arguments: Arguments) -> Reply:
        """Answer `checkin [minutes] [what I studied]`."""
        words = (arguments.get("minutes and note") or "").split()
        minutes = 0
        if words and words[0].isdigit():
            minutes = int(words.pop(0))
            if not 0 <= minutes <= MAX_MINUTES:
                raise UsageError("Minutes must be between 0 and 1440.", usage=USAGE)
        note = quote_user_text(" ".join(words), NOTE_LENGTH)
        new, day = await self.record(actor, "checkin", arguments.get(EVENT_ID), minutes, note)
        status = (await self.status(actor)).status
        text = f"Checked in for {day:%a %d %b}" + (f" ({minutes} min)" if minutes else "") + "."
        if not new:
            text = "That check-in was already counted."
        return Reply(
            title="Check-in saved" if new else "Already counted",
            text=f"{text} Your streak: {_days(status.current)}.",
            fields=(Field("Longest", str(status.longest), inline=True),
                    Field("Freezes banked", str(status.freezes_banked), inline=True)),
            ephemeral=True,
        )  # fmt: skip

    async def status(self, actor: Actor) -> StreakSnapshot:
        """Return the member's streak as of their today."""
        today = local_date(self._clock.now(), await self.timezone_of(actor))
        days = await self._events.days(member_key(actor))
        minutes = {d.day: d.minutes for d in days}
        return StreakSnapshot(compute_streak(minutes, today, self._rules), minutes, today)

    async def streak(self, actor: Actor, arguments: Arguments) -> Reply:
        """Answer `streak`: numbers, why, and a heatmap of the last 26 weeks."""
        snapshot = await self.status(actor)
        status, minutes, today = snapshot.status, snapshot.minutes, snapshot.today
        week_start = today - timedelta(days=today.weekday())
        this_week = sum(1 for d in minutes if week_start <= d <= today)
        this_month = sum(1 for d in minutes if d.year == today.year and d.month == today.month)
        fields = (
            Field("Current", _days(status.current), inline=True),
            Field("Longest", _days(status.longest), inline=True),
            Field("Today", "counted" if status.today_counted else "not yet", inline=True),
            Field("This week", _days(this_week), inline=True),
            Field("This month", _days(this_month), inline=True),
            Field("Total", f"{sum(minutes.values())} min", inline=True),
            Field("Freezes banked", str(status.freezes_banked), inline=True),
        )
        since = today - timedelta(weeks=WEEKS)
        recent = {d: m for d, m in minutes.items() if d > since}
        image = Image(
            "streak.png",
            heatmap_png(recent, today),
            f"Study heatmap, last {WEEKS} weeks: {_days(len(recent))} with study.",
        )
        return Reply(
            title="Your study streak",
            text=explain(status, today, self._rules),
            fields=fields,
            image=image,
            ephemeral=True,
        )


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
