"""The one parser of a command's arguments: positional words, `key:value` words, and options."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from bot.core.commands import Argument, Command, CommandPath
from bot.core.converters import BadValue, BySetting, ConvertContext, Kind, Text
from bot.core.errors import UsageError
from bot.core.sanitize import quote_user_text

# `channel:#general`, `note:sql`: a letter first, so `18:30` or `6:30pm` stay plain words.
_NAMED = re.compile(r"(?P<key>[A-Za-z][\w-]*):(?P<value>.*)", re.DOTALL)


class TooManyWords(UsageError):
    """More words than the command takes."""


class UnknownOption(TooManyWords):
    """A `key:value` word whose key the command does not have (nor anything like it)."""


def parse_arguments(
    target: Command | CommandPath, words: list[str], context: ConvertContext
) -> dict[str, object]:
    """Split words into the command's arguments (named or in order) and convert each."""
    path = _as_path(target)
    return convert_options(path, split_arguments(path, words), context)


def split_arguments(target: Command | CommandPath, words: list[str]) -> dict[str, str]:
    """Split words into the command's arguments (named or in order), still as text."""
    path = _as_path(target)
    command = path.leaf
    raw, words = _named(path, words)
    for argument in reversed(command.arguments):
        # "progress command line done": the status is the last word, the topic the rest.
        if argument.key in raw:
            continue
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
            f"`{path.key}` does not take `{quote_user_text(' '.join(words), 30)}`.",
            usage=path.usage(),
        )
    return raw


def _named(path: CommandPath, words: list[str]) -> tuple[dict[str, str], list[str]]:
    """Take the `key:value` words out; return their values by key and the words left."""
    arguments = path.leaf.arguments
    by_name = {n.casefold(): a for a in arguments for n in (a.key, a.label) if n}
    raw: dict[str, str] = {}
    left: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        match = _NAMED.fullmatch(word)
        if match is None or match["value"].startswith("//"):  # a link is never a name
            left.append(word)
            continue
        argument = by_name.get(match["key"].casefold())
        if argument is None:
            near = difflib.get_close_matches(match["key"].casefold(), by_name, 1, 0.75)
            if near:  # "checkin mintues:30": meant as a name, so say which names there are
                raise _unknown_key(path, match["key"])
            if any(a.rest for a in arguments):
                left.append(word)  # "ask what is docker:latest": part of the question
                continue
            # Unslashed, "next step: docker" is a question like any other extra words.
            raise _unknown_key(path, match["key"], UnknownOption)
        if argument.key in raw:
            raise UsageError(
                f"`{argument.name}` is given twice.", usage=path.usage(), argument=argument.key
            )
        # A value runs on over the plain words after it, as far as its kind reads.
        following = list(words[index:])
        stop = next((i for i, w in enumerate(following) if _ends_value(w, by_name, path)),
                    len(following))  # fmt: skip
        value = [match["value"]] if match["value"] else []
        candidates = value + following[:stop]
        sentence = argument.rest or _is_form_text(path, argument)
        taken = len(candidates) if sentence else argument.kind.span(candidates)
        taken = min(taken, len(candidates))
        raw[argument.key] = " ".join(candidates[:taken])
        index += max(taken - len(value), 0)
    return raw, left


def _ends_value(word: str, by_name: Mapping[str, Argument], path: CommandPath) -> bool:
    """Say whether word starts the next named value (and so ends the one before it)."""
    match = _NAMED.fullmatch(word)
    if match is None:
        return False
    # A form's text is prose ("Hint: start small"): only a key of the command ends it.
    return path.leaf.form is None or match["key"].casefold() in by_name


def _is_form_text(path: CommandPath, argument: Argument) -> bool:
    """Say whether argument is a text field of a form: its value is a sentence, not a word."""
    return argument in path.leaf.form_arguments and type(argument.kind) is Text


def _unknown_key(path: CommandPath, key: str, error: type[UsageError] = UsageError) -> UsageError:
    valid = ", ".join(f"`{a.key}`" for a in path.leaf.arguments) or "none"
    return error(
        f"`{path.key}` has no option `{quote_user_text(key, 30)}`; its options are {valid}.",
        usage=path.usage(),
        argument=key,
    )


def convert_options(
    target: Command | CommandPath, options: Mapping[str, object], context: ConvertContext
) -> dict[str, object]:
    """Check and convert values keyed by argument key; raise UsageError naming the argument."""
    path = _as_path(target)
    command = path.leaf
    unknown = set(options) - {a.key for a in command.arguments}
    if unknown:
        raise _unknown_key(path, sorted(unknown)[0])
    values: dict[str, object] = {}
    for argument in command.arguments:
        given = options.get(argument.key)
        if given is None or (isinstance(given, str) and not given.strip()):
            if argument.required:
                raise UsageError(
                    f"`{path.key}` needs `{argument.name}`: {argument.help}",
                    usage=path.usage(),
                    argument=argument.key,
                )
            continue
        kind = _kind_for(argument, values, path)
        try:
            values[argument.key] = kind.accept(given, context)
        except BadValue as problem:
            raise UsageError(
                f"`{argument.name}` {problem}.", usage=path.usage(), argument=argument.key
            ) from None
    return values


def _as_path(target: Command | CommandPath) -> CommandPath:
    path = target if isinstance(target, CommandPath) else CommandPath((target,))
    if path.leaf.is_group:
        raise ValueError(f"`{path.key}` is a group: walk to one of its subcommands first")
    return path


def _kind_for(argument: Argument, values: Mapping[str, object], path: CommandPath) -> Kind:
    kind = argument.kind
    if not isinstance(kind, BySetting):
        return kind
    picked = kind.pick(values)
    if picked is None:
        # "config streaks fre-every 5": the setting was not recognised, so the value cannot
        # be read either; saying so beats showing the settings as if nothing happened.
        on = next(a for a in path.leaf.arguments if a.key == kind.on)
        raise UsageError(
            f"`{on.name}` must be {on.kind.describe()}.", usage=path.usage(), argument=on.key
        )
    return picked
