"""Streak-at-risk reminders: opt in, and the timer's job that sends them at most once a day."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.members import member_key
from bot.core.messages import Field, Platform, Reply
from bot.core.ports import Clock, Member, MemberRepository, Notifier
from bot.core.requests import Request
from bot.core.study.context import StreakReader, StudyContexts
from bot.core.study.ports import ReminderLog

log = logging.getLogger(__name__)


class ReminderService:
    """Answer `reminders [on|off]` and send the reminders that are due."""

    def __init__(
        self,
        members: MemberRepository,
        contexts: StudyContexts,
        streaks: StreakReader,
        sent: ReminderLog,
        clock: Clock,
        notifiers: Mapping[Platform, Notifier],
    ) -> None:
        self._members = members
        self._contexts = contexts
        self._streaks = streaks
        self._sent = sent
        self._clock = clock
        self._notifiers = notifiers  # the platforms this process runs

    async def handle(self, request: Request) -> Reply:
        """Answer `reminders [on|off]`."""
        actor, choice = request.actor, request.text("switch")
        key = member_key(actor)
        context = await self._contexts.of(key, actor.space_id)
        hour = context.settings.reminder_hour
        when = f"at {hour:02d}:00 your time ({context.timezone})"
        if choice is None:
            on = bool(context.member and context.member.reminders)
            return Reply(
                title="Streak reminders",
                text=(f"On: I DM you {when} on days you have not checked in yet."
                      if on else "Off. Turn them on with `reminders on`."),
                fields=(Field("Reminders", "on" if on else "off", inline=True),),
                ephemeral=True,
            )  # fmt: skip
        on = choice == "on"
        await self._members.set_preferences(
            key, actor.display_name, reminders=on, reminder_space_id=actor.space_id
        )
        if not on:
            return Reply(title="Reminders off", text="Done: no more reminders.", ephemeral=True)
        text = (f"Done: on days you have not checked in, I will DM you {when}. "
                "Set your timezone with `timezone` if that is not your local time.")  # fmt: skip
        if actor.platform is Platform.CONSOLE:
            text += " (The console cannot DM you: reminders go out on Discord and Slack.)"
        return Reply(title="Reminders on", text=text, ephemeral=True)

    async def send_due(self) -> int:
        """Send every reminder that is due now and not sent today; return how many were sent."""
        now = self._clock.now()
        sent = 0
        # One indexed query: only members whose next look is due, on platforms running here.
        for member in await self._members.due_for_reminders(now, list(self._notifiers)):
            try:
                sent += await self._remind(member, now)
            except Exception:
                # One member's failure (a closed DM, a platform outage) must not stop the rest.
                log.exception("streak reminder for %s failed", member.key)
        return sent

    async def _remind(self, member: Member, now: datetime) -> bool:
        notifier = self._notifiers.get(member.key.platform)
        if notifier is None:
            return False  # that platform is not run by this process
        # Fresh: the settings were possibly changed a moment ago through another process.
        context = await self._contexts.of(member.key, member.reminder_space_id or "", fresh=True)
        zone, hour = context.timezone, context.settings.reminder_hour
        local = now.astimezone(ZoneInfo(zone))
        if local.hour < hour:
            # Looked at early (a setting changed): come back at today's reminder hour.
            await self._members.schedule_reminder(
                member.key, reminder_time(local.date(), hour, zone)
            )
            return False
        tomorrow = reminder_time(local.date() + timedelta(days=1), hour, zone)
        snapshot = await self._streaks.snapshot(member.key, context)
        status = snapshot.status
        # Claim first: a crash after this line loses one reminder rather than sending two.
        if status.today_counted or not await self._sent.claim(member.key, local.date(), now):
            await self._members.schedule_reminder(member.key, tomorrow)
            return False
        await self._members.schedule_reminder(member.key, tomorrow)
        hours_left = 24 - local.hour
        if status.current and status.freezes_banked:
            text = (f"Your {status.current}-day streak is safe today thanks to a freeze, but "
                    "a check-in keeps your freezes for later.")  # fmt: skip
        elif status.current:
            text = (f"Your {status.current}-day streak ends at midnight (in about "
                    f"{hours_left} h) unless you check in.")  # fmt: skip
        else:
            text = "You have not studied today yet. A short session starts a new streak."
        await notifier.direct(
            member.key,
            Reply(
                title="Keep your streak going",
                text=f"{text} Reply with `checkin` (add minutes if you like, e.g. `checkin 20`). "
                "Turn these off with `reminders off`.",
            ),
        )
        return True


def reminder_time(day: date, hour: int, timezone: str) -> datetime:
    """Return the UTC instant of hour on day in timezone.

    zoneinfo resolves a wall time a DST change skips to just after the gap, and a repeated
    one to its first occurrence, so the instant never falls before the reminder hour.
    """
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(timezone)).astimezone(UTC)
