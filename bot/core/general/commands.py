"""Commands of the general job: help, timezone and about."""

from __future__ import annotations

from bot.core.commands import Argument, Command
from bot.core.converters import Text, Timezone

HELP = Command(
    name="help",
    summary="List the commands, or explain one.",
    arguments=(Argument("command", "The command to explain.", Text(60, autocomplete="command")),),
    aliases=("commands",),
    examples=("help", "help timezone"),
)

TIMEZONE = Command(
    name="timezone",
    summary="Show or set your timezone (your streak days and reminders follow it).",
    arguments=(
        Argument("zone", "A timezone such as Europe/Berlin.", Timezone(), label="Region/City"),
    ),
    aliases=("tz",),
    examples=("timezone", "timezone Europe/Berlin", "timezone America/New_York"),
    details="Your days (streaks, reminders) start at midnight in this timezone.",
    personal=True,
)

ABOUT = Command(
    name="about",
    summary="Version, where the roadmap comes from, and what the bot stores about you.",
    examples=("about",),
)
