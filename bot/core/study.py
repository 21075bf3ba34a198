"""Check-ins and streaks: record study for the member's local day and report the streak."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.heatmap import WEEKS, heatmap_png
from bot.core.members import member_key
from bot.core.messages import Actor, Field, Image, MemberRef, Platform, Reply
from bot.core.ports import (
    Clock,
    LearningEvent,
    LearningEventRepository,
    Member,
    MemberKey,
    MemberRepository,
    Recorded,
    RoleGranter,
    Space,
    SpaceRepository,
    StreakSettings,
    StudyDay,
)
from bot.core.requests import Request
from bot.core.sanitize import quote_user_text
from bot.core.streaks import (
    ForgivenessRules,
    StreakStatus,
    compute_streak,
    explain,
    local_date,
)

NOTE_LENGTH = 200


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


MILESTONES = (7, 30, 100)  # streak lengths that can earn a role (Discord)


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


class StudyService:
    """Answer `checkin` and `streak`; other features record learning through `record`."""

    def __init__(
        self,
        events: LearningEventRepository,
        members: MemberRepository,
        spaces: SpaceRepository,
        clock: Clock,
        default_timezone: str,
        role_granters: Mapping[Platform, RoleGranter] | None = None,
    ) -> None:
        self._events = events
        self._members = members
        self._spaces = spaces
        self._clock = clock
        self._default_timezone = default_timezone
        # Filled in when platform adapters start, so it is read at each use, not copied.
        self._granters = role_granters if role_granters is not None else {}

    async def context(self, key: MemberKey, space_id: str, *, fresh: bool = False) -> StudyContext:
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

    async def record(
        self, actor: Actor, kind: str, source: str | None, minutes: int = 0, note: str = ""
    ) -> tuple[bool, date]:
        """Record learning for the member's local day; return (new, that day)."""
        context = await self.context(member_key(actor), actor.space_id)
        recorded, day = await self._record(actor, context, kind, source, minutes, note)
        return recorded.stored, day

    async def _record(
        self,
        actor: Actor,
        context: StudyContext,
        kind: str,
        source: str | None,
        minutes: int = 0,
        note: str = "",
    ) -> tuple[Recorded, date]:
        now = self._clock.now()
        day = local_date(now, context.timezone)
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
        # Totals, rules and the privacy flag are decided by storage from current data.
        return await self._events.record(event, actor.display_name), day

    async def checkin(self, request: Request) -> Reply:
        """Answer `checkin [minutes] [what I studied]`."""
        actor = request.actor
        duration = request.get("minutes", timedelta) or timedelta(0)
        minutes = int(duration.total_seconds() // 60)
        note = quote_user_text(request.text("note") or "", NOTE_LENGTH)
        context = await self.context(member_key(actor), actor.space_id)
        recorded, day = await self._record(
            actor, context, "checkin", request.event_id, minutes, note
        )
        new = recorded.stored
        # A stored event comes back with the member's days: no second read.
        snapshot = (
            self._snapshot_of(recorded.days, context)
            if new
            else await self.snapshot(member_key(actor), context)
        )
        status = snapshot.status
        text = f"Checked in for {day:%a %d %b}" + (f" ({minutes} min)" if minutes else "") + "."
        if new and recorded.minutes < minutes:
            text = _capped(day, minutes, recorded)
        if not new:
            text = "That check-in was already counted."
        fields = [
            Field("Longest", str(status.longest), inline=True),
            Field("Freezes banked", str(status.freezes_banked), inline=True),
        ]
        if new and status.current in MILESTONES and snapshot.events_on(day) == 1:
            fields.append(Field("Milestone", await self._milestone(actor, context, status)))
        return Reply(
            title="Check-in saved" if new else "Already counted",
            text=f"{text} Your streak: {_days(status.current)}.",
            fields=tuple(fields),
            ephemeral=True,
        )

    async def _milestone(self, actor: Actor, context: StudyContext, status: StreakStatus) -> str:
        """Grant the space's role for this milestone, if any; return what to tell the member."""
        text = f"{status.current} days in a row. Well done!"
        role = dict(context.settings.milestone_roles).get(status.current)
        granter = self._granters.get(actor.platform)
        if role is None or granter is None:
            return text
        reason = f"{status.current}-day study streak"
        if await granter.grant_role(actor.space_id, actor.user_id, role, reason):
            return f"{text} You earned a new role."
        return f"{text} (I could not give you the milestone role; a moderator can check why.)"

    async def status(self, actor: Actor) -> StreakSnapshot:
        """Return the member's streak as of their today."""
        key = member_key(actor)
        return await self.snapshot(key, await self.context(key, actor.space_id))

    async def snapshot(self, key: MemberKey, context: StudyContext) -> StreakSnapshot:
        """Return the member's streak as of their today, under context's settings."""
        return self._snapshot_of(await self._events.days(key), context)

    def _snapshot_of(self, days: Sequence[StudyDay], context: StudyContext) -> StreakSnapshot:
        today = local_date(self._clock.now(), context.timezone)
        minutes = {d.day: d.minutes for d in days}
        events = {d.day: d.events for d in days}
        rules = context.settings.rules
        return StreakSnapshot(compute_streak(minutes, today, rules), minutes, today, rules, events)

    async def streak(self, request: Request) -> Reply:
        """Answer `streak [member]`: numbers, why, and a heatmap of the last 26 weeks."""
        actor = request.actor
        key, whose = member_key(actor), "Your"
        named = request.get("member", MemberRef)
        if named:
            key = MemberKey(named.platform, named.user_id)
        context = await self.context(key, actor.space_id)
        if named and key != member_key(actor):
            # Read uncached: a member who just went private is private in every process.
            fresh = await self._members.get_fresh(key)
            if fresh is not None and fresh.leaderboard_hidden:
                return Reply(
                    text="That member keeps their streak private.", error="private",
                    ephemeral=True,
                )  # fmt: skip
            whose = "Their"
        snapshot = await self.snapshot(key, context)
        if named and whose == "Their" and not snapshot.minutes:
            return Reply(text="That member has no study days recorded yet.", ephemeral=True)
        return _streak_reply(snapshot, whose)


def _streak_reply(snapshot: StreakSnapshot, whose: str) -> Reply:
    """Return the `streak` answer: the numbers, the explanation and the heatmap."""
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
        title=f"{whose} study streak",
        text=explain(status, today, snapshot.rules, own=whose == "Your"),
        fields=fields,
        image=image,
        ephemeral=True,
    )


def _capped(day: date, asked: int, recorded: Recorded) -> str:
    """Say that a day holds 24 hours: how much was logged before and how much counted."""
    total = next((d.minutes for d in recorded.days if d.day == day), recorded.minutes)
    before = total - recorded.minutes
    logged = f"{before // 60} h" + (f" {before % 60} min" if before % 60 else "")
    return (
        f"Checked in for {day:%a %d %b}. You've already logged {logged} that day, and a day "
        f"holds 24 h: I counted {recorded.minutes} of the {asked} minutes."
    )


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
