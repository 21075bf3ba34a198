"""`config prompts …`: moderators set up, skip, pause, resume and stop a channel's prompts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import UsageError
from bot.core.knowledge import Stage
from bot.core.messages import Actor, Field, Reply, RoleRef
from bot.core.ports import Clock, SpaceRepository
from bot.core.prompts.bank import DIFFICULTIES, Difficulty
from bot.core.prompts.channels import PromptChannelService
from bot.core.prompts.display import (
    channel_label,
    filters_text,
    next_text,
    schedule_text,
    weekdays_text,
)
from bot.core.prompts.library import PromptLibrary
from bot.core.prompts.lookup import channel_id_of, prompt_channel
from bot.core.prompts.ports import (
    ChannelSettings,
    ChannelTarget,
    PromptChannel,
    PromptChannelRepository,
)
from bot.core.prompts.schedule import DEFAULT_GRACE, EVERY_DAY, Schedule
from bot.core.prompts.selection import CycleState, NoMatch, PromptFilter, choose_prompt
from bot.core.requests import Request
from bot.core.sections import SettingsSection
from bot.core.timezones import community_timezone

SET_USAGE = "config prompts set [time:<HH:MM>] [channel:<#channel>] [days:<mon-fri>] …"
SKIP_USAGE = "config prompts skip <date|weekday> [#channel]"
PAUSE_USAGE = "config prompts pause until:<date> [#channel]"


class PromptSetup:
    """Answer `config prompts` for moderators (the router checks the permission)."""

    def __init__(
        self,
        channels: PromptChannelRepository,
        service: PromptChannelService,
        spaces: SpaceRepository,
        prompts: PromptLibrary,
        stages: Sequence[Stage],
        clock: Clock,
        default_timezone: str,
    ) -> None:
        self._channels = channels
        self._service = service
        self._spaces = spaces
        self._prompts = prompts
        self._stages = tuple(stages)
        self._clock = clock
        self._default_timezone = default_timezone

    async def set(self, request: Request) -> Reply:
        """Create or change a channel's schedule and filters; alone, list every channel."""
        if not request.values:
            return await self._list(request.actor)
        actor, channel_id = request.actor, channel_id_of(request)
        existing = await self._channels.get(actor.platform, channel_id)
        if existing is not None and existing.target.space_id != actor.space_id:
            raise UsageError(f"{channel_label(channel_id)} is not a channel of this community.",
                             usage=SET_USAGE, argument="channel")  # fmt: skip
        at = request.get("time", time) or (existing.schedule.at if existing else None)
        if at is None:
            raise UsageError(
                f"{channel_label(channel_id)} has no daily prompt yet: give it a time, "
                "e.g. `config prompts time:09:00`.",
                usage=SET_USAGE,
                argument="time",
            )
        wanted = self._wanted(request, existing)
        rotation = await self._prompts.rotation(actor.platform, actor.space_id)
        chosen = choose_prompt(rotation.prompts, wanted, CycleState(), channel="",
                               stages=self._stages, retired=rotation.retired)  # fmt: skip
        if isinstance(chosen, NoMatch):  # nothing could ever be posted: refuse, save nothing
            raise UsageError(f"Not saved: {chosen.reason}.", usage=SET_USAGE)
        schedule = Schedule(
            at=at,
            timezone=await self._timezone(request, existing),
            weekdays=request.get("days", frozenset)
            or (existing.schedule.weekdays if existing else EVERY_DAY),
            paused_until=existing.schedule.paused_until if existing else None,
            grace=request.get("grace", timedelta)
            or (existing.schedule.grace if existing else DEFAULT_GRACE),
        )
        target = ChannelTarget(actor.platform, actor.space_id, channel_id, _role(request, existing))
        channel = await self._service.configure(
            ChannelSettings(target, schedule, wanted), self._clock.now()
        )
        return _shown(channel, f"Daily prompts saved for {channel_label(channel_id)}")

    async def off(self, request: Request) -> Reply:
        """Stop a channel's prompts; its settings and history stay for `resume`."""
        channel = await prompt_channel(self._channels, request)
        stopped = await self._service.switch_off(channel, self._clock.now())
        return _shown(stopped, f"Daily prompts off in {channel_label(channel.target.channel_id)}",
                      "Turn them on again with `config prompts resume`.")  # fmt: skip

    async def skip(self, request: Request) -> Reply:
        """Skip a local date (a holiday), or take weekdays out of the channel's days."""
        channel = await prompt_channel(self._channels, request)
        label = channel_label(channel.target.channel_id)
        day = request.get("day", object)
        now = self._clock.now()
        if isinstance(day, date):
            today = now.astimezone(ZoneInfo(channel.schedule.timezone)).date()
            if day < today:
                raise UsageError(f"{day.isoformat()} is over in {label}'s timezone.",
                                 usage=SKIP_USAGE, argument="day")  # fmt: skip
            skipped = await self._service.skip_date(channel, day, now)
            return _shown(skipped, f"No prompt on {day.isoformat()} in {label}")
        if not isinstance(day, frozenset):  # the table makes it a date or weekdays
            raise UsageError("Give a date or weekdays.", usage=SKIP_USAGE, argument="day")
        left = channel.schedule.weekdays - day
        if not left:
            raise UsageError(
                f"That would leave {label} no day to post on; use `config prompts off` instead.",
                usage=SKIP_USAGE,
                argument="day",
            )
        schedule = replace(channel.schedule, weekdays=left, skip_dates=frozenset())
        settings = ChannelSettings(channel.target, schedule, channel.wanted, channel.enabled)
        changed = await self._service.configure(settings, now)
        return _shown(changed, f"{label} now posts on {weekdays_text(left)}")

    async def pause(self, request: Request) -> Reply:
        """Post nothing until a local date; the channel posts again on that day."""
        channel = await prompt_channel(self._channels, request)
        until = request.get("until", date)
        if until is None:  # required by the table
            raise UsageError("Give the date to post again.", usage=PAUSE_USAGE, argument="until")
        paused = await self._service.pause_until(channel, until, self._clock.now())
        label = channel_label(channel.target.channel_id)
        return _shown(paused, f"Daily prompts paused in {label} until {until.isoformat()}")

    async def resume(self, request: Request) -> Reply:
        """Post again: switched on, not paused, reachable again."""
        channel = await prompt_channel(self._channels, request)
        resumed = await self._service.resume_channel(channel, self._clock.now())
        label = channel_label(channel.target.channel_id)
        return _shown(resumed, f"Daily prompts resumed in {label}")

    def section(self) -> SettingsSection:
        """Return every channel's schedule as a part of `config show`."""

        async def read(actor: Actor) -> tuple[Field, ...]:
            channels = await self._channels.in_space(actor.platform, actor.space_id)
            if not channels:
                return (Field("channels", "none yet"),)
            return tuple(Field(channel_label(c.target.channel_id), _summary(c)) for c in channels)

        return SettingsSection("Daily prompts", "config prompts", read)

    async def _list(self, actor: Actor) -> Reply:
        channels = await self._channels.in_space(actor.platform, actor.space_id)
        fields = tuple(Field(channel_label(c.target.channel_id), _summary(c)) for c in channels)
        text = ("Change one with `config prompts channel:#channel time:09:00 …`."
                if fields else "No channel has daily prompts yet. Start with "
                "`config prompts time:09:00` in the channel.")  # fmt: skip
        return Reply(title="Daily prompts", text=text, fields=fields, ephemeral=True)

    async def _timezone(self, request: Request, existing: PromptChannel | None) -> str:
        """Return the zone given, else the channel's, the community's default, the bot's."""
        zone = request.get("timezone", ZoneInfo)
        if zone is not None:
            return zone.key
        if existing is not None:
            return existing.schedule.timezone
        return await community_timezone(self._spaces, request.actor, self._default_timezone)

    def _wanted(self, request: Request, existing: PromptChannel | None) -> PromptFilter:
        before = existing.wanted if existing is not None else PromptFilter()
        levels = request.values.get("difficulty", before.difficulties)
        topics = request.values.get("topics", before.topics)
        return PromptFilter(
            difficulties=frozenset(_levels(levels)),
            topics=frozenset(str(t) for t in _items(topics)),
        )


def _items(value: object) -> frozenset[object]:
    return value if isinstance(value, frozenset) else frozenset()


def _levels(value: object) -> frozenset[Difficulty]:
    # The Choices kind admits only the bank's difficulties.
    return frozenset(d for d in DIFFICULTIES if d in _items(value))


def _role(request: Request, existing: PromptChannel | None) -> str | None:
    if "mention" in request.values:  # given: a role, or None for `off`
        role = request.values["mention"]
        return role.role_id if isinstance(role, RoleRef) else None
    return existing.target.mention_role_id if existing is not None else None


def _summary(channel: PromptChannel) -> str:
    mention = channel.target.mention_role_id
    lines = [
        schedule_text(channel.schedule),
        filters_text(channel),
        f"next post: {next_text(channel)}",
    ]
    if mention:
        lines.insert(2, f"mentions role {mention}")
    return "\n".join(lines)


def _shown(channel: PromptChannel, title: str, note: str = "") -> Reply:
    fields = (
        Field("Schedule", schedule_text(channel.schedule)),
        Field("Prompts", filters_text(channel)),
        Field("Next post", next_text(channel)),
    )
    text = note or "Every channel: `config prompts`. The next prompt: `prompt preview`."
    return Reply(title=title, text=text, fields=fields, ephemeral=True)
