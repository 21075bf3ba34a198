"""A typed request for a service, and the one parser that makes it from text or options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from bot.core.commands import Argument, Command
from bot.core.converters import BadValue, BySetting, ConvertContext, Kind
from bot.core.errors import UsageError
from bot.core.messages import Actor
from bot.core.sanitize import quote_user_text

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Request:
    """What a service receives: who asks, the command, typed values by key, and the event id."""

    actor: Actor
    command: Command
    values: Mapping[str, object] = field(default_factory=dict)
    event_id: str | None = None  # the platform's id of the message, for what must happen once

    def get(self, key: str, kind: type[T]) -> T | None:
        """Return the value of argument key when given (None otherwise), checked against kind."""
        if key not in {a.key for a in self.command.arguments}:
            # A typo in a service would otherwise read as "not given" forever.
            raise KeyError(f"{self.command.name} has no argument {key!r}")
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, kind):
            raise TypeError(f"{self.command.name}.{key} is {type(value).__name__}, not {kind}")
        return value

    def text(self, key: str) -> str | None:
        """Return a text value."""
        return self.get(key, str)


class TooManyWords(UsageError):
    """More words than the command takes."""


def parse_text(command: Command, text: str, context: ConvertContext) -> dict[str, object]:
    """Split a typed line into the command's arguments and convert each to its type."""
    words = text.split()  # any whitespace separates, tabs included
    raw: dict[str, str] = {}
    for argument in reversed(command.arguments):
        # "progress command line done": the status is the last word, the topic the rest.
        if argument.trailing and words and argument.kind.claims(words[-1]):
            raw[argument.key] = words.pop()
    arguments = command.arguments
    for index, argument in enumerate(arguments):
        if argument.key in raw or argument.trailing or not words:
            continue
        later = any(not a.trailing and a.key not in raw for a in arguments[index + 1 :])
        if not argument.required and later and not argument.kind.claims(words[0]):
            continue  # "checkin docker compose": no minutes, all of it is the note
        taken = len(words) if argument.rest else argument.kind.span(words)
        raw[argument.key] = " ".join(words[:taken])
        words = words[taken:]
    if words:
        raise TooManyWords(
            f"`{command.name}` does not take `{quote_user_text(' '.join(words), 30)}`.",
            usage=command.usage(),
        )
    return convert_options(command, raw, context)


def convert_options(
    command: Command, options: Mapping[str, object], context: ConvertContext
) -> dict[str, object]:
    """Check and convert values keyed by argument key; raise UsageError naming the argument."""
    unknown = set(options) - {a.key for a in command.arguments}
    if unknown:
        raise UsageError(
            f"`{command.name}` has no option `{quote_user_text(sorted(unknown)[0], 30)}`.",
            usage=command.usage(),
        )
    values: dict[str, object] = {}
    for argument in command.arguments:
        given = options.get(argument.key)
        if given is None or (isinstance(given, str) and not given.strip()):
            if argument.required:
                raise UsageError(
                    f"`{command.name}` needs `{argument.name}`: {argument.help}",
                    usage=command.usage(),
                    argument=argument.key,
                )
            continue
        kind = _kind_for(argument, values, command)
        try:
            values[argument.key] = kind.accept(given, context)
        except BadValue as problem:
            raise UsageError(
                f"`{argument.name}` {problem}.", usage=command.usage(), argument=argument.key
            ) from None
    return values


def _kind_for(argument: Argument, values: Mapping[str, object], command: Command) -> Kind:
    kind = argument.kind
    if not isinstance(kind, BySetting):
        return kind
    picked = kind.pick(values)
    if picked is None:
        # "config streaks fre-every 5": the setting was not recognised, so the value cannot
        # be read either; saying so beats showing the settings as if nothing happened.
        on = next(a for a in command.arguments if a.key == kind.on)
        raise UsageError(
            f"`{on.name}` must be {on.kind.describe()}.", usage=command.usage(), argument=on.key
        )
    return picked
