"""Every job's commands in one table, in the order help lists them."""

from __future__ import annotations

from bot.core.commands import CommandTable
from bot.core.general.commands import ABOUT, HELP, TIMEZONE
from bot.core.roadmap.commands import ASK, NEXT, PROGRESS, RESOURCES, ROADMAP
from bot.core.study.commands import CHECKIN, CONFIG, LEADERBOARD, PRIVACY, REMINDERS, STREAK

COMMANDS = CommandTable(
    [
        ASK, ROADMAP, NEXT, PROGRESS, RESOURCES,
        CHECKIN, STREAK, LEADERBOARD, REMINDERS, PRIVACY,
        HELP, TIMEZONE, ABOUT, CONFIG,
    ]
)  # fmt: skip
