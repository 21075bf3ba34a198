"""The learner side of `mentor …` (request, status, cancel, accept, decline, met, stats).

MENTOR_REQUEST_COMMANDS are subcommands of the `mentor` group, which the profile side's
subcommands (signup, edit, pause, ...) join in the catalog; CONFIG_MENTORING joins `config`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from bot.core.commands import Access, Argument, Command
from bot.core.converters import BadValue, Choice, ConvertContext, Integer, Text, Topic
from bot.core.mentoring.availability import parse_availability
from bot.core.sanitize import quote_user_text

CONTEXT_LONGEST: Final = 500
CONTEXT_SHORTEST: Final = 20  # characters: "help" is not a sentence a mentor can act on
CONTEXT_FEWEST_WORDS: Final = 4
HOURS_LONGEST: Final = 200
ID_HIGHEST: Final = 999_999_999
# A word of weekly hours: days (names, ranges, lists), groups, or time ranges (`18:00-20:00,`).
_DAY: Final = (
    r"(?:mon(?:day)?|tue(?:s|sday)?|wed(?:s|nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)"
)
_HOURS_WORD: Final = re.compile(
    rf"(?i)^(?:[0-9]{{1,2}}(?::[0-9]{{2}})?-[0-9]{{1,2}}(?::[0-9]{{2}})?|daily|weekdays?|weekends?|"
    rf"{_DAY}(?:[-/]{_DAY})*)[,;]?$"
)
_PERIOD: Final = re.compile(r"(?i)^([0-9]{1,3})\s*(h|hours?|d|days?|w|weeks?)$")


@dataclass(frozen=True)
class WeeklyHours(Text):
    """Weekly hours such as `Mon-Thu 18:00-20:00, Sat 10:00-12:00` (read in the learner's zone)."""

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the hours as written, once they read as hours."""
        text = str(super().convert(word, context))
        try:
            parse_availability(text, "UTC")  # the zone changes times, never whether they read
        except ValueError as problem:
            raise BadValue(str(problem)) from None
        return text

    def span(self, words: Sequence[str]) -> int:
        """Take the words that read as days and time ranges; the rest is the context."""
        taken = 0
        while taken < len(words) and _HOURS_WORD.match(words[taken]):
            taken += 1
        return max(taken, 1)

    def describe(self) -> str:
        """Return an example."""
        return "weekly hours such as Mon-Thu 18:00-20:00, Sat 10:00-12:00"


@dataclass(frozen=True)
class Period(Text):
    """A length of hours, days or weeks: 48h, 2d, 1w, within bounds."""

    shortest: timedelta = timedelta(hours=1)
    longest: timedelta = timedelta(days=60)

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the period as a timedelta."""
        found = _PERIOD.match(word.strip())
        if found is None:
            raise BadValue(f"must be {self.describe()}, not `{quote_user_text(word, 20)}`")
        unit = found.group(2)[0].casefold()
        value = (
            int(found.group(1))
            * {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}[unit]
        )
        if not self.shortest <= value <= self.longest:
            raise BadValue(f"must be from {_words(self.shortest)} to {_words(self.longest)}")
        return value

    def describe(self) -> str:
        """Return an example."""
        return "a length such as 48h, 2d or 1w"


def _words(period: timedelta) -> str:
    if period % timedelta(days=1):
        return f"{period // timedelta(hours=1)}h"
    return f"{period.days}d"


def check_context(text: str) -> str | None:
    """Return why a request's context is too thin to act on, or None when it will do."""
    if len(text) < CONTEXT_SHORTEST or len(text.split()) < CONTEXT_FEWEST_WORDS:
        return (
            f"say in a sentence what you are stuck on (at least {CONTEXT_FEWEST_WORDS} words "
            f"and {CONTEXT_SHORTEST} characters), so a mentor knows how to help"
        )
    return None


_ID = Argument("id", "The number shown on the message.", Integer(1, ID_HIGHEST), required=True)

MENTOR_REQUEST = Command(
    name="request",
    summary="Ask for a mentor on a roadmap topic, saying what you are stuck on.",
    arguments=(
        Argument("topic", "The roadmap topic, e.g. docker.", Topic(), required=True),
        Argument(
            "context",
            "What you are stuck on, in a sentence or two.",
            Text(CONTEXT_LONGEST),
            required=True,
            rest=True,
        ),
        Argument(
            "hours",
            "When you are free each week (your time), e.g. Mon-Fri 18:00-21:00.",
            WeeklyHours(HOURS_LONGEST),
        ),
    ),
    examples=(
        "mentor request docker My container exits at once and the logs say nothing",
        "mentor request sql I cannot see when to use a LEFT JOIN hours:Mon-Thu 19:00-21:00",
    ),
    usage_line="mentor request <topic> <what you are stuck on> [hours:<Mon-Fri 18:00-21:00>]",
    details="One open request per topic. Your hours are never shown to anyone; without "
    "`hours:` they are evenings, 18:00-22:00 every day, in your timezone (`timezone`).",
    personal=True,
)

MENTOR_STATUS = Command(
    name="status",
    summary="Your open mentoring requests: waiting (your place), offered, or matched.",
    examples=("mentor status",),
    personal=True,
)

MENTOR_CANCEL = Command(
    name="cancel",
    summary="Withdraw your mentoring request (on one topic, or your only one).",
    arguments=(Argument("topic", "The topic of the request to withdraw.", Topic()),),
    examples=("mentor cancel", "mentor cancel docker"),
    personal=True,
)

MENTOR_ACCEPT = Command(
    name="accept",
    summary="Mentors: take a request offered to you.",
    arguments=(_ID,),
    examples=("mentor accept 12",),
    details="The offer's Accept button runs this.",
    personal=True,
)

MENTOR_DECLINE = Command(
    name="decline",
    summary="Mentors: pass a request offered to you to another mentor.",
    arguments=(_ID,),
    examples=("mentor decline 12",),
    details="The offer's Decline button runs this.",
    personal=True,
)

MENTOR_MET = Command(
    name="met",
    summary="Say whether you met your mentor or mentee.",
    arguments=(_ID, Argument("answer", "yes or no.", Choice(("yes", "no")), required=True)),
    examples=("mentor met 7 yes", "mentor met 7 no"),
    details="The follow-up message's buttons run this; a held session counts for the "
    "mentee's streak.",
    personal=True,
)

MENTOR_STATS = Command(
    name="stats",
    summary="Moderators: requests, time to match, acceptance, meetings, waiting (counts only).",
    access=Access.MODERATOR,
    examples=("mentor stats",),
)

MENTOR_REQUEST_COMMANDS: Final = (
    MENTOR_REQUEST,
    MENTOR_STATUS,
    MENTOR_CANCEL,
    MENTOR_ACCEPT,
    MENTOR_DECLINE,
    MENTOR_MET,
    MENTOR_STATS,
)

CONFIG_MENTORING = Command(
    name="mentoring",
    summary="Show or change how long mentors have to answer, and when pairs are followed up.",
    arguments=(
        Argument(
            "deadline",
            "How long a mentor has to answer an offer (48h by default).",
            Period(shortest=timedelta(hours=1), longest=timedelta(days=14)),
        ),
        Argument(
            "followup",
            "When a new pair is asked whether they met (7d by default).",
            Period(shortest=timedelta(days=1), longest=timedelta(days=60)),
        ),
    ),
    access=Access.MODERATOR,
    examples=("config mentoring", "config mentoring deadline:72h", "config mentoring followup:14d"),
    usage_line="config mentoring [deadline:<48h>] [followup:<7d>]",
)
