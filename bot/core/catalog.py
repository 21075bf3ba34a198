"""Every job's commands in one table, in the order help lists them."""

from __future__ import annotations

from bot.core.commands import CommandTable, subcommand_names
from bot.core.general.commands import ABOUT, TIMEZONE, config_group, help_command
from bot.core.mentoring.commands import MENTOR_PROFILE_COMMANDS, mentor_group
from bot.core.mentoring.request_commands import CONFIG_MENTORING, MENTOR_REQUEST_COMMANDS
from bot.core.mentoring.rounds.commands import CONFIG_PAIRING, PAIRING
from bot.core.prompts.commands import CONFIG_PROMPTS, PROMPT
from bot.core.roadmap.commands import ASK, CONFIG_ASK, NEXT, PROGRESS, RESOURCES, ROADMAP
from bot.core.study.commands import (
    CHECKIN,
    CONFIG_STREAKS,
    LEADERBOARD,
    PRIVACY,
    REMINDERS,
    STREAK,
)

# `config` is shared: each job that has settings adds its subcommand here.
CONFIG = config_group(CONFIG_STREAKS, CONFIG_PROMPTS, CONFIG_MENTORING, CONFIG_PAIRING, CONFIG_ASK)

# `mentor` is shared by the mentoring job's two sides: learners' requests, mentors' profiles.
MENTOR = mentor_group(*MENTOR_REQUEST_COMMANDS, *MENTOR_PROFILE_COMMANDS)

# `help config streaks` reads the subcommand names after the command's: list every group here.
HELP = help_command(subcommand_names([ASK, CONFIG, PROMPT, MENTOR, PAIRING]))

COMMANDS = CommandTable(
    [
        ASK, ROADMAP, NEXT, PROGRESS, RESOURCES,
        CHECKIN, STREAK, LEADERBOARD, REMINDERS, PRIVACY,
        PROMPT,
        MENTOR,
        PAIRING,
        HELP, TIMEZONE, ABOUT, CONFIG,
    ]
)  # fmt: skip
