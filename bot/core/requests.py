"""A typed request for a service, and the one parser that makes it from text or options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from bot.core.arguments import TooManyWords, convert_options, parse_arguments
from bot.core.commands import Command, CommandPath
from bot.core.converters import ConvertContext
from bot.core.errors import UsageError
from bot.core.messages import Actor
from bot.core.sanitize import quote_user_text

T = TypeVar("T")

__all__ = [
    "Invocation", "Request", "TooManyWords", "UnknownSubcommand", "convert_options",
    "parse_arguments", "parse_text", "walk",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Request:
    """What a service receives: who asks, the command, typed values by key, and the event id.

    `command` is the command whose arguments were parsed (for `config streaks`, the `streaks`
    subcommand); `path` names it from the top, e.g. ("config", "streaks").
    """

    actor: Actor
    command: Command
    values: Mapping[str, object] = field(default_factory=dict)
    event_id: str | None = None  # the platform's id of the message, for what must happen once
    path: tuple[str, ...] = ()  # the command's own name when empty
    thread_id: str | None = None  # the thread it was written in (a prompt's answers thread)

    def __post_init__(self) -> None:
        if not self.path:
            object.__setattr__(self, "path", (self.command.name,))

    def get(self, key: str, kind: type[T]) -> T | None:
        """Return the value of argument key when given (None otherwise), checked against kind."""
        name = " ".join(self.path)
        if key not in {a.key for a in self.command.arguments}:
            # A typo in a service would otherwise read as "not given" forever.
            raise KeyError(f"{name} has no argument {key!r}")
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, kind):
            raise TypeError(f"{name}.{key} is {type(value).__name__}, not {kind}")
        return value

    def text(self, key: str) -> str | None:
        """Return a text value."""
        return self.get(key, str)


@dataclass(frozen=True, slots=True)
class Invocation:
    """A parsed command: which path of the table, with which typed values."""

    path: CommandPath
    values: dict[str, object]


class UnknownSubcommand(TooManyWords):
    """The word after a group names none of its subcommands (and the group has no default)."""


def walk(command: Command, words: list[str]) -> tuple[CommandPath, list[str]]:
    """Follow subcommand names (or a group's default) from command; return the path and the rest.

    A near miss (`config strekas`) is a usage error with suggestions; any other word a group
    cannot read is `UnknownSubcommand`, which unslashed chat may still treat as a question.
    """
    path = CommandPath((command,))
    while path.leaf.is_group:
        group = path.leaf
        word = words[0] if words else ""
        chosen = group.subcommand(word) if word else None
        if chosen is not None:
            path, words = path.then(chosen), words[1:]
            continue
        # After `ask`, "status codes?" is a question, not a near miss of `stats`.
        guess = word and ":" not in word and not group.reads_prose
        near = group.suggest_subcommand(word) if guess else ()
        if near:
            meant = " or ".join(f"`{path.key} {n}`" for n in near)
            raise UsageError(
                f"`{path.key}` has no subcommand `{quote_user_text(word, 30)}`. "
                f"Did you mean {meant}?",
                usage=path.usage(),
            )
        default = group.default_subcommand
        if default is not None:
            path = path.then(default)  # `prompt` alone is `prompt today`
            continue
        choices = ", ".join(f"`{s.name}`" for s in group.subcommands)
        if not word:
            raise UsageError(f"`{path.key}` needs one of {choices}.", usage=path.usage())
        raise UnknownSubcommand(
            f"`{path.key}` has no subcommand `{quote_user_text(word, 30)}`; choose {choices}.",
            usage=path.usage(),
        )
    return path, words


def parse_text(command: Command, text: str, context: ConvertContext) -> Invocation:
    """Split a typed line: subcommand names first, then the arguments, each to its type."""
    path, words = walk(command, text.split())  # any whitespace separates, tabs included
    return Invocation(path, parse_arguments(path, words, context))
