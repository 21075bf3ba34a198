"""Commands of the general job: help, timezone, about, and the `config` group with `show`."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.commands import Access, Argument, Command
from bot.core.converters import CommandName, Timezone


def help_command(subcommand_names: Iterable[str]) -> Command:
    """Return `help`; it reads `help config streaks` whole, but `help me with sql` is chat."""
    names = frozenset(name.casefold() for name in subcommand_names)
    return Command(
        name="help",
        summary="List the commands, or explain one.",
        arguments=(
            Argument(
                "command",
                "The command (or subcommand) to explain.",
                CommandName(60, autocomplete="command", subcommands=names),
            ),
        ),
        aliases=("commands",),
        examples=("help", "help timezone", "help config streaks"),
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

CONFIG_SHOW = Command(
    name="show",
    summary="Show all of this community's settings.",
    access=Access.MODERATOR,
    examples=("config show", "config"),
)


def config_group(*sections: Command) -> Command:
    """Return `config`: `show` for everything, then each job's own settings subcommand."""
    return Command(
        name="config",
        summary="Moderators: show or change this community's settings.",
        subcommands=(CONFIG_SHOW, *sections),
        default="show",
        access=Access.MODERATOR,
        examples=("config", "config show", *(e for s in sections for e in s.examples[:2])),
        details="`config` alone shows every setting; `help config <section>` explains one.",
        group="Moderators",
    )
