"""Moderators' per-space settings: `config streaks` (forgiveness, timezone, reminders, roles)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable

from bot.core.errors import UsageError
from bot.core.messages import Actor, Field, Platform, Reply
from bot.core.ports import Space, SpaceRepository
from bot.core.router import Arguments
from bot.core.sanitize import quote_user_text
from bot.core.study import MILESTONES
from bot.core.timezones import resolve_timezone

USAGE = (
    "config streaks [freeze-every <days> | max-freezes <n> | timezone <Region/City> "
    "| reminder-hour <0-23> | milestone-role <7|30|100> <role|off>]"
)
_ROLE = re.compile(r"^(?:<@&(\d+)>|(\d+))$")
# setting -> (lowest, highest) for the numeric ones; the database checks the same ranges.
_RANGES = {"freeze-every": (1, 60), "max-freezes": (0, 10), "reminder-hour": (0, 23)}

RulesChanged = Callable[[Actor], Awaitable[int]]
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

    async def handle(self, actor: Actor, arguments: Arguments) -> Reply:
        """Show the space's settings, or change one."""
        setting = arguments.get("setting")
        value = (arguments.get("value") or "").strip()
        if setting is None:
            return _show(await self._space(actor), "Streak settings")
        if not value:
            raise UsageError(f"`{setting}` needs a value.", usage=USAGE)
        if setting == "milestone-role":
            return await self._milestone_role(actor, value)
        if setting == "timezone":
            space = await self._spaces.configure_streaks(
                actor.platform, actor.space_id, default_timezone=resolve_timezone(value)
            )
            return _show(space, "Default timezone saved", "Members who set no timezone of "
                         "their own now count their days in this one.")  # fmt: skip
        number = _number(setting, value)
        space = await self._spaces.configure_streaks(
            actor.platform,
            actor.space_id,
            days_per_freeze=number if setting == "freeze-every" else None,
            max_freezes=number if setting == "max-freezes" else None,
            reminder_hour=number if setting == "reminder-hour" else None,
        )
        note = "" if setting == "reminder-hour" else await self._recompute(actor)
        return _show(space, "Streak settings saved", note)

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

    async def _space(self, actor: Actor) -> Space:
        space = await self._spaces.get(actor.platform, actor.space_id)
        if space is None:  # the dispatcher stores every space it sees; be safe anyway
            space = await self._spaces.configure_streaks(actor.platform, actor.space_id)
        return space

    async def _milestone_role(self, actor: Actor, value: str) -> Reply:
        usage = "config streaks milestone-role <7|30|100> <role|off>"
        if actor.platform is not Platform.DISCORD:
            raise UsageError("Milestone roles are a Discord feature.", usage=usage)
        days_text, _, role_text = value.partition(" ")
        if not days_text.isdigit() or int(days_text) not in MILESTONES:
            raise UsageError("The milestone must be 7, 30 or 100 days.", usage=usage)
        role_text = role_text.strip()
        match = _ROLE.match(role_text)
        if role_text.casefold() != "off" and match is None:
            raise UsageError(
                f"`{quote_user_text(role_text, 40) or 'nothing'}` is not a role: mention it "
                "(@Role) or give its id, or say `off`.",
                usage=usage,
            )
        role_id = None if match is None else match.group(1) or match.group(2)
        space = await self._spaces.set_milestone_role(
            actor.platform, actor.space_id, int(days_text), role_id
        )
        note = ("I need the Manage Roles permission, and my role must be above that one."
                if role_id else "")  # fmt: skip
        return _show(space, "Milestone role saved", note)


def _finished(task: asyncio.Task[int]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("recomputing streaks after a rule change failed", exc_info=task.exception())


def _number(setting: str, value: str) -> int:
    low, high = _RANGES[setting]
    if not value.isdigit() or not low <= int(value) <= high:
        raise UsageError(f"`{setting}` must be a whole number from {low} to {high}.", usage=USAGE)
    return int(value)


def _show(space: Space, title: str, note: str = "") -> Reply:
    streaks = space.streaks
    roles = ", ".join(f"{days} days: role {role}" for days, role in streaks.milestone_roles)
    fields = (
        Field("freeze-every", f"{streaks.days_per_freeze} days in a row", inline=True),
        Field("max-freezes", str(streaks.max_freezes), inline=True),
        Field("timezone", space.default_timezone or "not set (the bot's default)", inline=True),
        Field("reminder-hour", f"{streaks.reminder_hour:02d}:00 local", inline=True),
        Field("milestone-role", roles or "none", inline=True),
    )
    text = note or f"Change one with `{USAGE}`."
    return Reply(title=title, text=text, fields=fields, ephemeral=True)
