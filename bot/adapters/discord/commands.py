"""One Discord slash command per entry of the command table, with typed options.

A command with subcommands becomes a group (`/config streaks`, `/config show`); Discord cannot
run a group alone, so a group's default subcommand is just one more slash subcommand there.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

import discord
from discord import app_commands

from bot.core.commands import Argument, CommandPath, CommandTable
from bot.core.converters import Channel, Integer, Member, Role, Text
from bot.core.messages import Call, ChannelRef, MemberRef, Platform, RoleRef

# Runs a command (a Call of typed options, or a button's command line) for the person behind
# an interaction; the flag says whether they chose to share a personal answer with the channel.
RunCommand = Callable[[discord.Interaction[Any], Call | str, bool], Awaitable[object]]
SHARE_OPTION = "share"
# Suggests (label, value) pairs for what the person has typed so far.
Completer = Callable[[str], list[tuple[str, str]]]

DESCRIPTION_LIMIT = 100
CHOICES_LIMIT = 25
STRING_LIMIT = 6000  # Discord's longest string option


def option_name(argument: Argument) -> str:
    """Return the Discord option name for a table argument: its stable key."""
    return re.sub(r"[^a-z0-9_-]+", "_", argument.key.casefold()).strip("_")[:32]


def _short(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


def build(
    path: CommandPath, run: RunCommand, completers: Mapping[str, Completer]
) -> app_commands.Command[Any, Any, None] | app_commands.Group:
    """Return the slash command for path, or its group with a slash subcommand each."""
    command = path.leaf
    if not command.is_group:
        return build_command(path, run, completers)
    group = app_commands.Group(name=command.name, description=_short(command.summary))
    for sub in command.subcommands:
        group.add_command(build(path.then(sub), run, completers))
    return group


def build_command(
    path: CommandPath, run: RunCommand, completers: Mapping[str, Completer]
) -> app_commands.Command[Any, Any, None]:
    """Return the slash command for a path: its options typed from the table's arguments."""
    command = path.leaf
    names = [option_name(a) for a in command.arguments]
    # A form command's options are all optional: `/name` alone opens its form instead.
    required = {a.key: a.required and command.form is None for a in command.arguments}

    async def callback(interaction: discord.Interaction[Any], **options: Any) -> None:
        # Discord's typed options go straight into the request: no joining into a text line.
        values = {
            argument.key: _neutral(options.get(name))
            for name, argument in zip(names, command.arguments, strict=True)
            if options.get(name) is not None
        }
        call = Call(path.key, values)  # the full name: "config streaks"
        await run(interaction, call, bool(options.get(SHARE_OPTION)))

    parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=_annotation(argument, required[argument.key]),
            default=inspect.Parameter.empty if required[argument.key] else None,
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


def _annotation(argument: Argument, required: bool) -> Any:
    """Return the Python type discord.py turns into the option's Discord type."""
    kind = argument.kind
    native: Any = str
    if isinstance(kind, Member):
        native = discord.User
    elif isinstance(kind, Channel):
        native = app_commands.AppCommandChannel
    elif isinstance(kind, Role):
        native = discord.Role
    elif isinstance(kind, Integer):
        native = app_commands.Range[int, kind.low, kind.high]
    elif isinstance(kind, Text):
        # Discord refuses longer text in the form itself, before anything is sent.
        native = app_commands.Range[str, None, min(kind.max_length, STRING_LIMIT)]
    return native if required else native | None


def _neutral(value: Any) -> object:
    """Return a Discord object as the core's neutral reference; text and numbers as they are."""
    if isinstance(value, discord.abc.User):
        return MemberRef(Platform.DISCORD, str(value.id), value.display_name)
    if isinstance(value, discord.Role):
        return RoleRef(str(value.id), value.name)
    if isinstance(value, app_commands.AppCommandChannel | app_commands.AppCommandThread):
        return ChannelRef(str(value.id), value.name)
    return value


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
    """Add a slash command (or group) for every table command to tree."""
    for command in table:
        tree.add_command(build(CommandPath((command,)), run, completers))
