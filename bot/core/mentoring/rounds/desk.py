"""Moderators' pairing commands: `config pairing`, `pairing preview`, `pairing roster`.

`config pairing` has `set`, `off` and its part of `config show`; a preview is a dry run.
"""

from __future__ import annotations

from typing import cast
from zoneinfo import ZoneInfo

from bot.core.errors import BotError, UsageError
from bot.core.mentoring.matching import OddCount
from bot.core.mentoring.rounds import text
from bot.core.mentoring.rounds.kinds import WeekdayTime
from bot.core.mentoring.rounds.lookup import pairing_channel
from bot.core.mentoring.rounds.planning import RoundPlanner
from bot.core.mentoring.rounds.ports import (
    PairingChannel,
    PairingChannels,
    PairingMembers,
    PairingRounds,
    PairingSettings,
    RoundRecord,
)
from bot.core.mentoring.rounds.schedule import RoundSchedule, due_at, first_day
from bot.core.messages import Actor, ChannelRef, Field, Reply
from bot.core.ports import Clock, SpaceRepository
from bot.core.requests import Request
from bot.core.sections import SettingsSection
from bot.core.timezones import community_timezone

PREVIEW_SEED = 0  # a dry run is a dry run: its own fixed seed, shown as such


class PairingDesk:
    """`config pairing` and the moderators' `pairing preview` and `pairing roster`."""

    def __init__(
        self,
        channels: PairingChannels,
        members: PairingMembers,
        rounds: PairingRounds,
        planner: RoundPlanner,
        spaces: SpaceRepository,
        clock: Clock,
        default_timezone: str,
    ) -> None:
        self._channels = channels
        self._members = members
        self._rounds = rounds
        self._planner = planner
        self._spaces = spaces
        self._clock = clock
        self._default_timezone = default_timezone

    async def set(self, request: Request) -> Reply:
        """Hold rounds in a channel, or change them; with no settings, list the channels."""
        actor = request.actor
        if not request.values:
            return await self._list(actor)
        named = request.get("channel", ChannelRef)
        channel_id = named.channel_id if named is not None else actor.channel_id
        existing = await self._channels.get(actor.platform, channel_id)
        if existing is not None and existing.settings.space_id != actor.space_id:
            raise BotError("That channel belongs to another community.")
        when = request.get("at", WeekdayTime)
        if when is None and existing is None:
            raise UsageError(
                "A new pairing channel needs `at`, e.g. `at:mon 18:00`.",
                usage="config pairing set [channel:<#channel>] at:<weekday HH:MM> …",
                argument="at",
            )
        old = existing.settings if existing is not None else None
        every = request.get("every", str)
        odd = request.get("odd", str)
        schedule = RoundSchedule(
            every_weeks=int(every[0]) if every else (old.schedule.every_weeks if old else 1),
            weekday=when.weekday if when else cast(PairingSettings, old).schedule.weekday,
            at=when.at if when else cast(PairingSettings, old).schedule.at,
            timezone=await self._timezone(request, old),
        )
        settings = PairingSettings(
            actor.platform,
            actor.space_id,
            channel_id,
            schedule,
            odd=_odd(odd) if odd else (old.odd if old else "trio"),
        )
        now = self._clock.now()
        day = first_day(schedule, now)
        channel = await self._channels.configure(settings, day, due_at(schedule, day), now)
        return Reply(
            text=f"Pairing rounds in {text.channel_label(channel_id)}: "
            f"{text.schedule_text(schedule)}, odd count: {_odd_text(settings.odd)}. "
            f"Next: {text.next_round_text(channel)}. Members join with `pairing join`.",
            title=text.TITLE,
            ephemeral=True,
        )

    async def off(self, request: Request) -> Reply:
        """Stop a channel's rounds; its members and history are kept."""
        channel = await pairing_channel(self._channels, request)
        await self._channels.turn_off(
            channel.settings.platform, channel.settings.channel_id, self._clock.now()
        )
        return Reply(
            text=f"Pairing rounds in {text.channel_label(channel.settings.channel_id)} "
            "are off. `config pairing` with a time turns them on again.",
            title=text.TITLE,
            ephemeral=True,
        )

    async def preview(self, request: Request) -> Reply:
        """Show who the next round would pair, storing nothing and telling nobody."""
        channel = await pairing_channel(self._channels, request)
        if not channel.enabled or channel.next_day is None or channel.next_due_at is None:
            return Reply(
                text="This channel's pairing rounds are off.", title=text.TITLE, ephemeral=True
            )
        now = self._clock.now()
        eligibility = await self._planner.eligible(
            channel, channel.next_number, channel.next_day, now, dry_run=True
        )
        planned = await self._planner.plan(channel, eligibility, PREVIEW_SEED)
        record = RoundRecord(
            0,
            channel.id,
            channel.next_number,
            channel.next_day,
            channel.next_due_at,
            PREVIEW_SEED,
            channel.settings.odd,
            planned.members,
            planned.blocked,
            planned.result,
            planned.names,
        )
        return text.roster(channel, record, eligibility.paused, dry_run=True)

    async def roster(self, request: Request) -> Reply:
        """Show the last round's groups, who sat out, and who is paused."""
        channel = await pairing_channel(self._channels, request)
        record = await self._rounds.last(channel.id)
        if record is None:
            return Reply(
                text="No round has been held in this channel yet. "
                "`pairing preview` shows the next one.",
                title=text.TITLE,
                ephemeral=True,
            )
        paused = [m for m in await self._members.opted_in(channel.id) if m.paused_at is not None]
        return text.roster(channel, record, paused)

    def section(self) -> SettingsSection:
        """Return this job's part of `config show`."""

        async def read(actor: Actor) -> tuple[Field, ...]:
            return _fields(await self._channels.in_space(actor.platform, actor.space_id))

        return SettingsSection("Pairing rounds", "config pairing", read)

    async def _list(self, actor: Actor) -> Reply:
        fields = _fields(await self._channels.in_space(actor.platform, actor.space_id))
        return Reply(text="Pairing rounds of this community.", title=text.TITLE, fields=fields)

    async def _timezone(self, request: Request, old: PairingSettings | None) -> str:
        zone = request.get("timezone", ZoneInfo)
        if zone is not None:
            return zone.key
        if old is not None:
            return old.schedule.timezone
        return await community_timezone(self._spaces, request.actor, self._default_timezone)


def _odd(word: str) -> OddCount:
    return "sit_out" if word == "sit-out" else "trio"


def _odd_text(odd: OddCount) -> str:
    return "one sits out (rotated)" if odd == "sit_out" else "a trio"


def _fields(channels: list[PairingChannel]) -> tuple[Field, ...]:
    if not channels:
        return (Field("Channels", "none (set one up with `config pairing`)"),)
    return tuple(
        Field(
            text.channel_label(c.settings.channel_id),
            f"{text.schedule_text(c.settings.schedule)}; odd count: {_odd_text(c.settings.odd)}; "
            f"next: {text.next_round_text(c)}",
        )
        for c in channels
    )
