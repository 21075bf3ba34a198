"""Argument types: one converter per kind of value, shared by every platform.

A converter turns one word (or the rest of a line) into a typed value, or raises `BadValue`
with a message a person can read. Platforms with native option types (Discord's integers,
users, channels, roles) hand over values that are already typed; `accept` checks them too, so
validation lives here and nowhere else. (Kinds are dataclasses without slots: a slotted
dataclass is a new class, which breaks the zero-argument `super()` some kinds use.)
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.core.messages import ChannelRef, MemberRef, References, RoleRef
from bot.core.sanitize import quote_user_text
from bot.core.timezones import resolve_timezone

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class BadValue(ValueError):
    """A value a converter cannot accept; the message is safe to show."""


@dataclass(frozen=True)
class ConvertContext:
    """What converters may consult: the platform's references, and topic lookup."""

    references: References
    topic: Callable[[str], object] | None = None  # raises a BotError when nothing matches


class Kind:
    """The type of an argument; subclasses convert text (and check native values)."""

    name = "text"
    autocomplete: str | None = None  # what platforms may suggest while typing

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the typed value of word, or raise BadValue."""
        return word

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return value checked and typed; text goes through convert."""
        if isinstance(value, str):
            return self.convert(value, context)
        raise BadValue(f"must be {self.describe()}")

    def claims(self, word: str) -> bool:
        """Say whether an optional argument takes word, or leaves it to the next one."""
        return True

    def span(self, words: Sequence[str]) -> int:
        """Return how many of the next words one value takes (one, for most kinds)."""
        return 1

    def describe(self) -> str:
        """Return what a valid value looks like, for help and errors."""
        return "text"


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


@dataclass(frozen=True)
class Member(Kind):
    """A member of the space, named by a mention (or, in the console, by name)."""

    name = "member"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the member the platform's references find for word."""
        member = context.references.member(word.strip())
        if member is None:
            raise BadValue("must name a member with a mention, e.g. `@ada`")
        return member

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return a MemberRef as it is."""
        return value if isinstance(value, MemberRef) else super().accept(value, context)

    def describe(self) -> str:
        """Return how to name a member."""
        return "a member (mention them)"


@dataclass(frozen=True)
class Channel(Kind):
    """A channel of the space, named by a channel mention."""

    name = "channel"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the channel the platform's references find for word."""
        channel = context.references.channel(word.strip())
        if channel is None:
            raise BadValue("must name a channel with a mention, e.g. `#study`")
        return channel

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return a ChannelRef as it is."""
        return value if isinstance(value, ChannelRef) else super().accept(value, context)

    def describe(self) -> str:
        """Return how to name a channel."""
        return "a channel (mention it)"


@dataclass(frozen=True)
class Role(Kind):
    """A role of the space, named by a role mention or its id; `off` when allowed."""

    allow_off: bool = False
    name = "role"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the role, or None for `off` when allowed."""
        if self.allow_off and word.strip().casefold() == "off":
            return None
        role = context.references.role(word.strip())
        if role is None:
            shown = quote_user_text(word, 40) or "nothing"
            raise BadValue(f"must be a role mention (@Role) or a role id, not `{shown}`")
        return role

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return a RoleRef as it is."""
        return value if isinstance(value, RoleRef) else super().accept(value, context)

    def describe(self) -> str:
        """Return how to name a role."""
        return "a role (mention it)" + (" or `off`" if self.allow_off else "")


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


_TIME = re.compile(r"([0-9]{1,2})(?:[:.h]([0-9]{2}))?\s*(am|pm)?")


@dataclass(frozen=True)
class TimeOfDay(Kind):
    """A local time of day: 18:30, 9:05, 7pm."""

    name = "time"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the time."""
        match = _TIME.fullmatch(word.strip().casefold())
        if match is None or (match.group(2) is None and match.group(3) is None):
            raise BadValue(f"must be a time such as 18:30, not `{quote_user_text(word, 20)}`")
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3):
            if not 1 <= hour <= 12:
                raise BadValue("must have an hour from 1 to 12 with am or pm")
            hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
        if hour > 23 or minute > 59:
            raise BadValue(
                f"must be a time of day such as 18:30, not `{quote_user_text(word, 20)}`"
            )
        return time(hour, minute)

    def describe(self) -> str:
        """Return an example."""
        return "a time such as 18:30"


_DAY_SETS: Mapping[str, frozenset[int]] = {
    "daily": frozenset(range(7)),
    "everyday": frozenset(range(7)),
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
}


@dataclass(frozen=True)
class Weekdays(Kind):
    """A set of weekdays: mon-fri, mon,wed,fri, weekdays, weekends, daily (0 is Monday)."""

    name = "weekdays"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the weekday numbers."""
        text = word.strip().casefold().replace(" ", "")
        if text in _DAY_SETS:
            return _DAY_SETS[text]
        days: set[int] = set()
        for part in text.split(","):
            first, _, last = part.partition("-")
            start, end = _weekday(first), _weekday(last or first)
            days.update(
                range(start, end + 1) if start <= end else (*range(start, 7), *range(end + 1))
            )
        return frozenset(days)

    def describe(self) -> str:
        """Return an example."""
        return "days such as mon-fri or mon,wed,fri"


def _weekday(word: str) -> int:
    for number, name in enumerate(WEEKDAY_NAMES):
        if word[:3] == name and len(word) >= 3:
            return number
    raise BadValue(
        f"must name weekdays (mon … sun), not `{quote_user_text(word, 12) or 'nothing'}`"
    )


# What may follow the digits of a number-like word: signs, separators, an exponent, and the
# letters of the units (h, hr, hours, m, min, minutes).
_NUMBER_MARKS = frozenset("-+.,ehrsoumint")
_DURATION = re.compile(
    r"(?:([0-9]{1,3})\s*h(?:ours?|rs?)?)?\s*(?:([0-9]{1,4})\s*(?:m|mins?|minutes?)?)?"
)


@dataclass(frozen=True)
class Duration(Kind):
    """A length of time as people type it: 45, 30min, 45m, 1h, 1h30, 2h15m."""

    longest: timedelta = timedelta(days=1)
    name = "duration"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the duration; anything else that looks like a number is refused."""
        text = word.strip().casefold()
        match = _DURATION.fullmatch(text)
        if not text or match is None or not any(match.groups()):
            raise BadValue(
                f"must be minutes such as 30, 45m or 1h30, not `{quote_user_text(word, 20)}`"
            )
        value = timedelta(hours=int(match.group(1) or 0), minutes=int(match.group(2) or 0))
        return self.accept(value, context)

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return value when it is a duration within bounds (an int counts as minutes)."""
        if isinstance(value, str):
            return self.convert(value, context)
        if isinstance(value, int) and not isinstance(value, bool):
            value = timedelta(minutes=value)
        if not isinstance(value, timedelta):
            raise BadValue(f"must be {self.describe()}")
        if not timedelta(0) <= value <= self.longest:
            raise BadValue(f"must be from 0 to {_minutes(self.longest)} minutes")
        return value

    def claims(self, word: str) -> bool:
        """Take words that look like numbers or durations, so `-5` or `1e3` is an error.

        `2nd` or `3d` start with a digit but are words of a note, not durations.
        """
        first, second = word[:1], word[1:2]
        if not (first.isnumeric() or (first in "-+.," and second.isnumeric())):
            return False
        return all(c.isnumeric() or c in _NUMBER_MARKS for c in word.casefold())

    def span(self, words: Sequence[str]) -> int:
        """Take `2 hours` or `1h 30m` whole: up to three words that form one duration."""
        for count in (3, 2):
            if len(words) >= count and _DURATION.fullmatch(" ".join(words[:count]).casefold()):
                return count
        return 1

    def describe(self) -> str:
        """Return an example."""
        return "minutes such as 30, 45m or 1h30"


def _minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)


@dataclass(frozen=True)
class Day(Kind):
    """A calendar date, written YYYY-MM-DD."""

    name = "date"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the date."""
        try:
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", word.strip()) is None:
                raise ValueError(word)
            return date.fromisoformat(word.strip())
        except ValueError:
            raise BadValue(
                f"must be a date such as 2026-12-24, not `{quote_user_text(word, 20)}`"
            ) from None

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return a date as it is."""
        return value if isinstance(value, date) else super().accept(value, context)

    def describe(self) -> str:
        """Return an example."""
        return "a date such as 2026-12-24"


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
