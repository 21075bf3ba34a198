"""The argument kinds of the pairing commands: a weekly time, and a round code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from bot.core.converters import BadValue, ConvertContext, Kind, TimeOfDay
from bot.core.sanitize import quote_user_text


@dataclass(frozen=True, slots=True)
class WeekdayTime:
    """A weekday and a local time: when a channel's rounds are held."""

    weekday: int  # 0 = Monday
    at: time


@dataclass(frozen=True)
class WeeklyTime(Kind):
    """A weekday and a time, as `mon 18:00` (or `monday 18:00`, `mon@18:00`)."""

    name = "weekly time"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the weekday and time."""
        day, _, clock = word.strip().replace("@", " ").partition(" ")
        weekday = _weekday(day.casefold())
        if weekday is None or not clock.strip():
            raise BadValue(f"must be {self.describe()}, not `{quote_user_text(word, 24)}`")
        at = TimeOfDay().convert(clock.strip(), context)
        return WeekdayTime(weekday, at if isinstance(at, time) else time(0))

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return a WeekdayTime as it is."""
        return value if isinstance(value, WeekdayTime) else super().accept(value, context)

    def claims(self, word: str) -> bool:
        """Take a word that starts with a weekday."""
        return _weekday(word.casefold().partition("@")[0]) is not None

    def span(self, words: Sequence[str]) -> int:
        """Take `mon 18:00` as one value (two words), `mon@18:00` as one."""
        return 2 if len(words) >= 2 and "@" not in words[0] and words[1][:1].isdigit() else 1

    def describe(self) -> str:
        """Return an example."""
        return "a weekday and a time such as `mon 18:00`"


_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(word: str) -> int | None:
    """Return the weekday a word names (`mon`, `monday`; three letters at least), or None."""
    if len(word) < 3:
        return None
    return next((n for n, name in enumerate(_FULL_NAMES) if name.startswith(word)), None)


_CODE = re.compile(r"([0-9]{1,9})-([0-9]{1,6})")


@dataclass(frozen=True, slots=True)
class RoundCode:
    """A round named in a message's button: the channel's stored id and the round number."""

    channel_id: int
    number: int

    def __str__(self) -> str:
        return f"{self.channel_id}-{self.number}"


@dataclass(frozen=True)
class RoundCodeKind(Kind):
    """A round code such as `3-12`, which the bot's own messages carry."""

    name = "round"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the round code."""
        match = _CODE.fullmatch(word.strip())
        if match is None:
            raise BadValue(f"must be {self.describe()}, not `{quote_user_text(word, 20)}`")
        return RoundCode(int(match.group(1)), int(match.group(2)))

    def claims(self, word: str) -> bool:
        """Take only a word shaped like a code."""
        return _CODE.fullmatch(word) is not None

    def describe(self) -> str:
        """Return what it looks like."""
        return "a round code such as 3-12 (the bot's messages carry it)"
