"""Kinds typed as words: text, whole numbers, choices, timezones, topics, pairs."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.core.converters.base import BadValue, ConvertContext, Kind
from bot.core.sanitize import quote_user_text
from bot.core.timezones import resolve_timezone


@dataclass(frozen=True)
class Text(Kind):
    """Free text, cut to a length."""

    max_length: int = 1000
    autocomplete: str | None = None

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the text, platform markup written out, stripped; refuse it when too long."""
        text = context.references.plain(word).strip()
        if len(text) > self.max_length:
            raise BadValue(f"must be at most {self.max_length} characters")
        return text


@dataclass(frozen=True)
class CommandName(Text):
    """A command's name, and the subcommand names after it: `config streaks`."""

    subcommands: frozenset[str] = frozenset()  # every subcommand name and alias, folded

    def span(self, words: Sequence[str]) -> int:
        """Take the first word and the subcommand names after it (two at most, as nested)."""
        taken = 1
        while taken < min(len(words), 3) and words[taken].casefold() in self.subcommands:
            taken += 1
        return taken


@dataclass(frozen=True)
class Integer(Kind):
    """A whole number in a range, written with ASCII digits only."""

    low: int
    high: int
    name = "integer"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the number; `²` or `①` are digits to str.isdigit but not numbers here."""
        if re.fullmatch(r"[0-9]{1,9}", word) is None:
            raise BadValue(f"must be {self.describe()}, not `{quote_user_text(word, 20)}`")
        return self.accept(int(word), context)

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return value when it is an int in range."""
        if isinstance(value, str):
            return self.convert(value, context)
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadValue(f"must be {self.describe()}")
        if not self.low <= value <= self.high:
            raise BadValue(f"must be {self.describe()}, not {value}")
        return value

    def describe(self) -> str:
        """Return the range."""
        return f"a whole number from {self.low} to {self.high}"


@dataclass(frozen=True)
class Choice(Kind):
    """One of a fixed set of words."""

    options: tuple[str, ...]
    name = "choice"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the option, lower-cased."""
        folded = word.strip().casefold()
        if folded not in self.options:
            raise BadValue(
                f"must be {self.describe()}, not `{quote_user_text(word, 30) or 'that'}`"
            )
        return folded

    def claims(self, word: str) -> bool:
        """Take only one of the options."""
        return word.casefold() in self.options

    def describe(self) -> str:
        """Return the options."""
        return "one of " + ", ".join(f"`{o}`" for o in self.options)


ANY = "any"  # a filter word that clears a set: every option, every topic


@dataclass(frozen=True)
class Choices(Kind):
    """Several of a fixed set of words, comma-separated (`easy,medium`); `any` is none chosen."""

    options: tuple[str, ...]
    name = "choices"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the chosen options as a set (empty for `any`)."""
        parts = [p for p in word.replace(" ", ",").casefold().split(",") if p]
        if parts == [ANY]:
            return frozenset()
        wrong = [p for p in parts if p not in self.options]
        if not parts or wrong:
            shown = quote_user_text(wrong[0] if wrong else word, 30) or "nothing"
            raise BadValue(f"must be {self.describe()}, not `{shown}`")
        return frozenset(parts)

    def claims(self, word: str) -> bool:
        """Take a word made of the options (or `any`)."""
        parts = word.casefold().split(",")
        return all(p in (*self.options, ANY) for p in parts if p)

    def describe(self) -> str:
        """Return the options."""
        return "one or more of " + ", ".join(f"`{o}`" for o in self.options) + " (or `any`)"


@dataclass(frozen=True)
class Topics(Kind):
    """Topics of the knowledge base, comma-separated, by id, name or alias; `any` is none."""

    # None by default: a plain topic suggestion would replace the whole list. "topics" asks
    # for the completer that keeps what is typed and completes its last item.
    autocomplete: str | None = None
    name = "topics"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the topic ids (the resolver raises, with suggestions, for an unknown one)."""
        parts = [" ".join(p.split()) for p in context.references.plain(word).split(",")]
        parts = [p for p in parts if p]
        if [p.casefold() for p in parts] == [ANY]:
            return frozenset()
        if not parts:
            raise BadValue(f"must be {self.describe()}")
        if context.topic is None:
            return frozenset(p.casefold() for p in parts)
        found = (context.topic(p) for p in parts)
        return frozenset(str(getattr(topic, "id", topic)) for topic in found)

    def describe(self) -> str:
        """Return an example."""
        return "topics such as docker,databases (or `any`)"


@dataclass(frozen=True)
class Timezone(Kind):
    """An IANA timezone; a city alone or a near miss gets suggestions."""

    name = "timezone"
    autocomplete: str | None = "timezone"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the ZoneInfo (InvalidTimezoneError, with suggestions, when unknown)."""
        return zoneinfo.ZoneInfo(resolve_timezone(word))

    def describe(self) -> str:
        """Return an example."""
        return "a timezone such as Europe/Berlin"


@dataclass(frozen=True)
class Topic(Kind):
    """A topic of the knowledge base, by id, name, alias or a near miss."""

    name = "topic"
    autocomplete: str | None = "topic"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the topic (the resolver raises, with suggestions, when nothing matches)."""
        text = context.references.plain(word)
        if context.topic is None:
            return text.strip()
        return context.topic(text)

    def describe(self) -> str:
        """Return an example."""
        return "a topic such as docker or databases"


@dataclass(frozen=True)
class Pair(Kind):
    """Two values in one argument, e.g. `30 @Role`: the first word, then the rest."""

    first: Kind
    second: Kind
    name = "pair"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return (first value, second value)."""
        head, _, tail = word.strip().partition(" ")
        if not tail.strip():
            raise BadValue(f"must be {self.describe()}")
        return (self.first.convert(head, context), self.second.convert(tail.strip(), context))

    def describe(self) -> str:
        """Return both parts."""
        return f"{self.first.describe()}, then {self.second.describe()}"


@dataclass(frozen=True)
class BySetting(Kind):
    """A value whose kind depends on an earlier argument (e.g. which setting is changed)."""

    on: str  # the key of the earlier argument
    kinds: tuple[tuple[str, Kind], ...] = ()  # (its value, the kind then); pairs keep it hashable
    name = "value"

    def pick(self, values: Mapping[str, object]) -> Kind | None:
        """Return the kind for the earlier argument's value, or None when it has none."""
        chosen = values.get(self.on)
        return dict(self.kinds).get(chosen) if isinstance(chosen, str) else None
