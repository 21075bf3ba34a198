"""The one table of commands that every adapter exposes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.converters import Choice, Kind, Text


class Access(StrEnum):
    """Who may run a command."""

    EVERYONE = "everyone"
    MODERATOR = "moderator"


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument of a command: a stable key, its type, and how it reads in help.

    `key` is what services and platforms use (a Discord option name, a request value); it never
    changes when the help text does. `rest` takes all remaining words; `trailing` is taken from
    the last word when that word fits (e.g. `progress command line done`).
    """

    key: str
    help: str
    kind: Kind = field(default_factory=Text)
    label: str = ""  # shown in usage lines; the key when empty
    required: bool = False
    rest: bool = False
    trailing: bool = False

    @property
    def name(self) -> str:
        """Return the label shown to people."""
        return self.label or self.key

    @property
    def choices(self) -> tuple[str, ...]:
        """Return the fixed options, when the argument is a choice."""
        return self.kind.options if isinstance(self.kind, Choice) else ()

    @property
    def autocomplete(self) -> str | None:
        """Return what platforms may suggest while it is typed ("topic", "timezone", ...)."""
        return self.kind.autocomplete

    def usage(self) -> str:
        """Return the argument as it appears in a usage line."""
        label = "|".join(self.choices) if self.choices else self.name
        label += "…" if self.rest else ""
        return f"<{label}>" if self.required else f"[{label}]"


@dataclass(frozen=True, slots=True)
class Command:
    """A command: its name, arguments, one-line help and who may run it."""

    name: str
    summary: str
    arguments: tuple[Argument, ...] = ()
    access: Access = Access.EVERYONE
    aliases: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    group: str = "General"
    details: str = field(default="")
    usage_line: str = ""  # for commands whose arguments read better written out by hand
    personal: bool = False  # answers about the asker: platforms show them privately by default

    def usage(self) -> str:
        """Return the usage line, e.g. `timezone [IANA name]`."""
        if self.usage_line:
            return self.usage_line
        return " ".join([self.name, *(arg.usage() for arg in self.arguments)])


class CommandTable:
    """An ordered, name-unique collection of commands with lookup and suggestions."""

    def __init__(self, commands: Iterable[Command]) -> None:
        self._commands = tuple(commands)
        self._by_name: dict[str, Command] = {}
        for command in self._commands:
            for name in (command.name, *command.aliases):
                if name.casefold() in self._by_name:
                    raise ValueError(f"command name {name!r} is used twice")
                self._by_name[name.casefold()] = command

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)

    def get(self, name: str) -> Command | None:
        """Return the command called name (or an alias of it), or None."""
        return self._by_name.get(name.casefold())

    def suggest(self, name: str, limit: int = 3) -> tuple[str, ...]:
        """Return command names that look like name, closest first."""
        matches = difflib.get_close_matches(name.casefold(), self._by_name, limit, 0.6)
        return tuple(dict.fromkeys(self._by_name[m].name for m in matches))

    def visible_to(self, is_moderator: bool) -> tuple[Command, ...]:
        """Return the commands a person may run."""
        return tuple(c for c in self._commands if is_moderator or c.access is Access.EVERYONE)
