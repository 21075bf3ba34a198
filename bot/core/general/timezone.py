"""The timezone command: the timezone that decides when a member's day starts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.members import member_key
from bot.core.messages import Actor, Field, Reply
from bot.core.ports import Clock, MemberRepository
from bot.core.requests import Request
from bot.core.timezones import describe_local_time, resolve_timezone


class TimezoneService:
    """Show and set a member's timezone."""

    def __init__(self, members: MemberRepository, clock: Clock, default_timezone: str) -> None:
        self._members = members
        self._clock = clock
        self._default = default_timezone

    async def handle(self, request: Request) -> Reply:
        """Answer `timezone [Region/City]`."""
        zone = request.get("zone", ZoneInfo)
        actor = request.actor
        return await (self.show(actor) if zone is None else self.set(actor, zone.key))

    async def show(self, actor: Actor) -> Reply:
        """Tell the member which timezone the bot uses for them."""
        member = await self._members.get(member_key(actor))
        if member is None or member.timezone is None:
            return Reply(
                title="Your timezone",
                text=f"You have not set a timezone, so I use {self._default}. "
                "Set yours with `timezone Region/City`, e.g. `timezone Europe/Berlin`.",
                fields=self._fields(self._default, is_set=False),
                ephemeral=True,
            )
        return Reply(
            title="Your timezone",
            text=f"Your timezone is {member.timezone}.",
            fields=self._fields(member.timezone, is_set=True),
            ephemeral=True,
        )

    async def set(self, actor: Actor, name: str) -> Reply:
        """Validate name and store it as the member's timezone."""
        timezone = resolve_timezone(name)  # raises before anything is stored
        await self._members.set_timezone(member_key(actor), actor.display_name, timezone)
        return Reply(
            title="Timezone saved",
            text=f"Done: your days now start at midnight in {timezone}.",
            fields=self._fields(timezone, is_set=True),
            ephemeral=True,
        )

    def _fields(self, timezone: str, *, is_set: bool) -> tuple[Field, ...]:
        return (
            Field("Timezone", timezone, inline=True),
            Field("Local time", describe_local_time(timezone, self._clock.now()), inline=True),
            Field("Source", "set by you" if is_set else "default", inline=True),
        )
