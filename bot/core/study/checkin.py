"""The checkin command: record today's study and answer with the streak it makes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from bot.core.members import member_key
from bot.core.messages import Actor, Field, Platform, Reply
from bot.core.ports import RoleGranter
from bot.core.requests import Request
from bot.core.sanitize import quote_user_text
from bot.core.study.context import StreakReader, StudyContext, StudyContexts
from bot.core.study.ports import Recorded
from bot.core.study.recording import StudyRecorder

NOTE_LENGTH = 200
MILESTONES = (7, 30, 100)  # streak lengths that can earn a role (Discord)


class CheckinService:
    """Answer `checkin [minutes] [what]`, granting a milestone role where one is set."""

    def __init__(
        self,
        recorder: StudyRecorder,
        contexts: StudyContexts,
        streaks: StreakReader,
        granters: Mapping[Platform, RoleGranter],
    ) -> None:
        self._recorder = recorder
        self._contexts = contexts
        self._streaks = streaks
        self._granters = granters  # the platforms that can grant roles (Discord)

    async def checkin(self, request: Request) -> Reply:
        """Answer `checkin [minutes] [what I studied]`."""
        actor = request.actor
        duration = request.get("minutes", timedelta) or timedelta(0)
        minutes = int(duration.total_seconds() // 60)
        note = quote_user_text(request.text("note") or "", NOTE_LENGTH)
        context = await self._contexts.of(member_key(actor), actor.space_id)
        recorded, day = await self._recorder.record(
            actor, context, "checkin", request.event_id, minutes, note
        )
        if recorded.stored:
            return await self._saved(actor, context, day, minutes, recorded)
        status = (await self._streaks.snapshot(member_key(actor), context)).status
        return Reply(
            title="Already counted",
            text=f"That check-in was already counted. Your streak: {days_text(status.current)}.",
            fields=(
                Field("Longest", str(status.longest), inline=True),
                Field("Freezes banked", str(status.freezes_banked), inline=True),
            ),
            ephemeral=True,
        )

    async def _saved(
        self,
        actor: Actor,
        context: StudyContext,
        day: date,
        minutes: int,
        recorded: Recorded,
    ) -> Reply:
        """Answer a stored check-in from what its write returned: no read of the member's days."""
        study, streak = recorded.day, recorded.streak
        if study is None or streak is None:
            raise ValueError("a stored event is recorded with its day and streak")
        spent = [f"{minutes} min"] if minutes else []
        if study.events > 1 and study.minutes:  # not the day's first: say the day's total
            spent.append(f"{study.minutes} min today")
        text = f"Checked in for {day:%a %d %b}" + (f" ({'; '.join(spent)})" if spent else "") + "."
        if recorded.minutes < minutes:
            text = _capped(day, minutes, recorded.minutes, study.minutes)
        fields = [
            Field("Longest", str(streak.longest), inline=True),
            Field("Freezes banked", str(streak.freezes_banked), inline=True),
        ]
        if streak.current in MILESTONES and study.events == 1:
            fields.append(Field("Milestone", await self._milestone(actor, context, streak.current)))
        return Reply(
            title="Check-in saved",
            text=f"{text} Your streak: {days_text(streak.current)}.",
            fields=tuple(fields),
            ephemeral=True,
        )

    async def _milestone(self, actor: Actor, context: StudyContext, current: int) -> str:
        """Grant the space's role for this milestone, if any; return what to tell the member."""
        text = f"{current} days in a row. Well done!"
        role = dict(context.settings.milestone_roles).get(current)
        granter = self._granters.get(actor.platform)
        if role is None or granter is None:
            return text
        reason = f"{current}-day study streak"
        if await granter.grant_role(actor.space_id, actor.user_id, role, reason):
            return f"{text} You earned a new role."
        return f"{text} (I could not give you the milestone role; a moderator can check why.)"


def _capped(day: date, asked: int, counted: int, total: int) -> str:
    """Say that a day holds 24 hours: how much was logged before and how much counted."""
    before = total - counted
    logged = f"{before // 60} h" + (f" {before % 60} min" if before % 60 else "")
    return (
        f"Checked in for {day:%a %d %b}. You've already logged {logged} that day, and a day "
        f"holds 24 h: I counted {counted} of the {asked} minutes."
    )


def days_text(count: int) -> str:
    """Return `1 day` or `N days`."""
    return f"{count} day" if count == 1 else f"{count} days"
