"""Kinds about time: a time of day, weekdays, a duration, a date."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.core.converters.base import BadValue, ConvertContext, Kind
from bot.core.sanitize import quote_user_text

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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

    def claims(self, word: str) -> bool:
        """Take words that start with a digit, so `25:00` is an error rather than a channel."""
        return word[:1].isdigit()

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

    def claims(self, word: str) -> bool:
        """Take words that start like a weekday or a set of days (`mon-fri`, `weekends`)."""
        folded = word.casefold()
        return folded in _DAY_SETS or folded[:3] in WEEKDAY_NAMES

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

    def claims(self, word: str) -> bool:
        """Take words that start with a digit (a date is written with digits first)."""
        return word[:1].isdigit()

    def describe(self) -> str:
        """Return an example."""
        return "a date such as 2026-12-24"


@dataclass(frozen=True)
class DayOrWeekdays(Kind):
    """A calendar date (2026-12-24), or weekdays (sat, mon-fri): a holiday, or days left out."""

    name = "day"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return a date for digits first, else the weekday numbers."""
        if word.strip()[:1].isdigit():
            return Day().convert(word, context)
        try:
            return Weekdays().convert(word, context)
        except BadValue:
            raise BadValue(
                f"must be {self.describe()}, not `{quote_user_text(word, 20) or 'nothing'}`"
            ) from None

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return a date or a set of weekdays as it is."""
        if isinstance(value, date | frozenset):
            return value
        return super().accept(value, context)

    def describe(self) -> str:
        """Return an example."""
        return "a date such as 2026-12-24 or weekdays such as sat"
