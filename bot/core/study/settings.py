"""Moderators' per-space settings: `config streaks` (forgiveness, timezone, reminders, roles)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from bot.core.errors import UsageError
from bot.core.messages import Actor, Field, Platform, Reply, RoleRef
from bot.core.ports import Space, SpaceRepository
from bot.core.requests import Request
from bot.core.sections import SettingsSection

USAGE = (
    "config streaks [freeze-every <days> | max-freezes <n> | timezone <Region/City> "
    "| reminder-hour <0-23> | milestone-role <7|30|100> <role|off>]"
)

RulesChanged = Callable[[Actor], Awaitable[int]]
# What each setting's value arrives as (the table's BySetting kinds convert it).
_VALUE_TYPES: dict[str, type] = {
    "freeze-every": int,
    "max-freezes": int,
    "reminder-hour": int,
    "timezone": ZoneInfo,
    "milestone-role": tuple,
}
log = logging.getLogger(__name__)


class ConfigService:
    """Answer `config streaks ...` for moderators (the router checks the permission)."""

    def __init__(
        self, spaces: SpaceRepository, rules_changed: RulesChanged, wait_seconds: float = 2.0
    ) -> None:
        self._spaces = spaces
        self._rules_changed = rules_changed  # recomputes the space's leaderboard totals
        # A big community takes minutes to recompute: answer after this long, finish later.
        self._wait_seconds = wait_seconds
        self._running: set[asyncio.Task[int]] = set()

    async def handle(self, request: Request) -> Reply:
        """Show the space's settings, or change one (values arrive typed and checked)."""
        actor, setting = request.actor, request.text("setting")
        value = request.get("value", _VALUE_TYPES[setting]) if setting else None
        if setting is None:
            return _show(await self._space(actor), "Streak settings")
        if value is None:
            raise UsageError(f"`{setting}` needs a value.", usage=USAGE)
        if isinstance(value, tuple):  # milestone-role: (days, role or None for "off")
            days, role = value
            return await self._milestone_role(actor, int(days), role)
        if isinstance(value, ZoneInfo):
            space = await self._spaces.configure_streaks(
                actor.platform, actor.space_id, default_timezone=value.key
            )
            return _show(space, "Default timezone saved", "Members who set no timezone of "
                         "their own now count their days in this one.")  # fmt: skip
        if not isinstance(value, int):
            raise UsageError(f"`{setting}` needs a whole number.", usage=USAGE)
        space = await self._spaces.configure_streaks(
            actor.platform,
            actor.space_id,
            days_per_freeze=value if setting == "freeze-every" else None,
            max_freezes=value if setting == "max-freezes" else None,
            reminder_hour=value if setting == "reminder-hour" else None,
        )
        note = "" if setting == "reminder-hour" else await self._recompute(actor)
        return _show(space, "Streak settings saved", note)

    def section(self) -> SettingsSection:
        """Return the streak settings as a part of `config show`."""

        async def read(actor: Actor) -> tuple[Field, ...]:
            return _fields(await self._space(actor))

        return SettingsSection("Streaks", "config streaks", read)

    async def _recompute(self, actor: Actor) -> str:
        task = asyncio.ensure_future(self._rules_changed(actor))
        self._running.add(task)  # keep a reference until it is done
        task.add_done_callback(_finished)
        task.add_done_callback(self._running.discard)
        done, _ = await asyncio.wait({task}, timeout=self._wait_seconds)
        if task in done and task.exception() is None:
            return f"Streaks recomputed for {task.result()} member(s) under the new rule."
        return ("Saved. Leaderboards are being recomputed under the new rule; in a large "
                "community that takes a few minutes.")  # fmt: skip

    async def aclose(self) -> None:
        """Cancel recomputes still running and wait for them (before the engine closes)."""
        running = list(self._running)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)

    async def _space(self, actor: Actor) -> Space:
        space = await self._spaces.get(actor.platform, actor.space_id)
        if space is None:  # the dispatcher stores every space it sees; be safe anyway
            space = await self._spaces.configure_streaks(actor.platform, actor.space_id)
        return space

    async def _milestone_role(self, actor: Actor, days: int, role: RoleRef | None) -> Reply:
        if actor.platform is not Platform.DISCORD:
            raise UsageError(
                "Milestone roles are a Discord feature.",
                usage="config streaks milestone-role <7|30|100> <role|off>",
            )
        role_id = None if role is None else role.role_id
        space = await self._spaces.set_milestone_role(actor.platform, actor.space_id, days, role_id)
        note = ("I need the Manage Roles permission, and my role must be above that one."
                if role_id else "")  # fmt: skip
        return _show(space, "Milestone role saved", note)


def _finished(task: asyncio.Task[int]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("recomputing streaks after a rule change failed", exc_info=task.exception())


def _show(space: Space, title: str, note: str = "") -> Reply:
    text = note or f"Change one with `{USAGE}`."
    return Reply(title=title, text=text, fields=_fields(space), ephemeral=True)


def _fields(space: Space) -> tuple[Field, ...]:
    streaks = space.streaks
    roles = ", ".join(f"{days} days: role {role}" for days, role in streaks.milestone_roles)
    return (
        Field("freeze-every", f"{streaks.days_per_freeze} days in a row", inline=True),
        Field("max-freezes", str(streaks.max_freezes), inline=True),
        Field("timezone", space.default_timezone or "not set (the bot's default)", inline=True),
        Field("reminder-hour", f"{streaks.reminder_hour:02d}:00 local", inline=True),
        Field("milestone-role", roles or "none", inline=True),
    )
