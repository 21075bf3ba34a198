"""One Discord slash command per entry of the command table, with typed options."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

import discord
from discord import app_commands

from bot.core.commands import Argument, Command, CommandTable

# Runs a command line ("progress git done") for the person behind an interaction; the flag
# says whether they chose to share a personal answer with the channel.
RunCommand = Callable[[discord.Interaction[Any], str, bool], Awaitable[None]]
SHARE_OPTION = "share"
# Suggests (label, value) pairs for what the person has typed so far.
Completer = Callable[[str], list[tuple[str, str]]]

DESCRIPTION_LIMIT = 100
CHOICES_LIMIT = 25
# Discord option names must be lowercase words; a few table names read better renamed.
OPTION_NAMES = {"IANA name": "zone"}


def option_name(argument: Argument) -> str:
    """Return the Discord option name for a table argument."""
    name = OPTION_NAMES.get(argument.name, argument.name)
    return re.sub(r"[^a-z0-9_-]+", "_", name.casefold()).strip("_")[:32]


def _short(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


def build_command(
    command: Command, run: RunCommand, completers: Mapping[str, Completer]
) -> app_commands.Command[Any, Any, None]:
    """Return the slash command for command: its options typed from the table's arguments."""
    names = [option_name(a) for a in command.arguments]

    async def callback(interaction: discord.Interaction[Any], **options: Any) -> None:
        # A member option arrives as a user object; the core reads members as mentions.
        values = [_text(options.get(name)) for name in names]
        line = " ".join([command.name, *(v.strip() for v in values if v and v.strip())])
        await run(interaction, line, bool(options.get(SHARE_OPTION)))

    parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=_annotation(argument),
            default=inspect.Parameter.empty if argument.required else None,
        )
        for name, argument in zip(names, command.arguments, strict=True)
    ]
    if command.personal:
        parameters.append(
            inspect.Parameter(
                SHARE_OPTION, inspect.Parameter.KEYWORD_ONLY, annotation=bool | None, default=None
            )
        )
    # discord.py reads the options from the callback's signature; build it from the table.
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__annotations__ = {p.name: p.annotation for p in parameters[1:]}
    descriptions = {n: _short(a.help) for n, a in zip(names, command.arguments, strict=True)}
    if command.personal:
        descriptions[SHARE_OPTION] = "Post the answer in the channel (it is private otherwise)."
    if descriptions:
        app_commands.describe(**descriptions)(callback)
    choices = {
        n: [app_commands.Choice(name=c, value=c) for c in a.choices[:CHOICES_LIMIT]]
        for n, a in zip(names, command.arguments, strict=True)
        if a.choices
    }
    if choices:
        app_commands.choices(**choices)(callback)
    completions = {
        n: _autocomplete(completers[a.autocomplete])
        for n, a in zip(names, command.arguments, strict=True)
        if a.autocomplete is not None and a.autocomplete in completers and not a.choices
    }
    if completions:
        app_commands.autocomplete(**completions)(callback)
    return app_commands.Command(
        name=command.name,
        description=_short(command.summary),
        callback=callback,  # type: ignore[arg-type]  # options come from __signature__
    )


def _annotation(argument: Argument) -> Any:
    kind: Any = discord.User if argument.member else str
    return kind if argument.required else kind | None


def _text(value: Any) -> str | None:
    if isinstance(value, discord.abc.User):
        return value.mention
    return value if isinstance(value, str) else None


def _autocomplete(
    complete: Completer,
) -> Callable[[discord.Interaction[Any], str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    async def suggest(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=label[:100], value=value[:100])
            for label, value in complete(current)[:CHOICES_LIMIT]
        ]

    return suggest


def register(
    tree: app_commands.CommandTree[Any],
    table: CommandTable,
    run: RunCommand,
    completers: Mapping[str, Completer],
) -> None:
    """Add a slash command for every table command to tree."""
    for command in table:
        tree.add_command(build_command(command, run, completers))
