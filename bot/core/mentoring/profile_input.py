"""Read a mentor profile from `mentor signup` or `mentor edit`: each value checked, or refused.

Every check raises a UsageError naming its argument (a form marks that field) before
anything is stored. Experience is a stage of the canonical path, by id, title or number
(1 = the first stage), kept as that stage's index: the `level` matching compares with a
learner's stage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.errors import UsageError
from bot.core.knowledge import KnowledgeBase, Stage
from bot.core.mentoring.availability import parse_availability
from bot.core.requests import Request
from bot.core.sanitize import quote_user_text

_HOURS_CHARACTERS = re.compile(r"[A-Za-z0-9:,;/ \-]+")


@dataclass(frozen=True, slots=True)
class ProfileInput:
    """What a signup or edit gives, checked; None where the request left it out."""

    topics: frozenset[str] | None = None
    level: int | None = None
    hours: str | None = None
    capacity: int | None = None
    intro: str | None = None
    timezone: str | None = None  # an IANA name

    @property
    def empty(self) -> bool:
        """Say whether nothing was given."""
        return all(
            value is None
            for value in (self.topics, self.level, self.hours, self.capacity, self.intro,
                          self.timezone)
        )  # fmt: skip


def usage_of(request: Request) -> str:
    """Return the usage line of the request's command, with its group's name before it."""
    command = request.command
    return command.usage_line or " ".join([*request.path[:-1], command.usage()])


def read_input(request: Request, knowledge: KnowledgeBase) -> ProfileInput:
    """Return the request's profile values, each checked (hours are checked with a timezone)."""
    usage = usage_of(request)
    topics = request.get("topics", frozenset)
    experience = request.text("experience")
    hours = request.text("hours")
    intro = request.text("intro")
    zone = request.get("timezone", ZoneInfo)
    return ProfileInput(
        topics=None if topics is None else known_topics(topics, knowledge, usage),
        level=None if experience is None else stage_level(experience, knowledge.stages, usage),
        hours=None if hours is None else " ".join(hours.split()),
        capacity=request.get("capacity", int),
        intro=None if intro is None else intro.strip(),
        timezone=None if zone is None else zone.key,
    )


def known_topics(topics: frozenset[object], knowledge: KnowledgeBase, usage: str) -> frozenset[str]:
    """Return the topics as current knowledge-base ids; refuse none, or one it lacks."""
    if not topics:
        raise UsageError(
            "Give at least one roadmap topic, e.g. `topics:git,databases`.",
            usage=usage,
            argument="topics",
        )
    found: set[str] = set()
    for topic_id in topics:
        topic = knowledge.topic(str(topic_id))
        if topic is None:
            raise UsageError(
                f"`{quote_user_text(str(topic_id), 40)}` is no roadmap topic; "
                "`roadmap` lists them.",
                usage=usage,
                argument="topics",
            )
        found.add(topic.id)  # a former id counts as today's
    return frozenset(found)


def stage_level(text: str, stages: Sequence[Stage], usage: str) -> int:
    """Return the index of the stage text names (its id, title or number from 1)."""
    wanted = " ".join(text.split()).casefold()
    for index, stage in enumerate(stages):
        if wanted in (stage.id.casefold(), stage.title.casefold(), str(index + 1)):
            return index
    listed = ", ".join(f"{index + 1} `{stage.id}`" for index, stage in enumerate(stages))
    raise UsageError(
        f"`{quote_user_text(text, 40) or 'that'}` is no stage of the roadmap. "
        f"Name the furthest stage you can guide: {listed}.",
        usage=usage,
        argument="experience",
    )


def check_hours(hours: str, timezone: str, usage: str) -> None:
    """Refuse weekly hours parse_availability cannot read, with its reason."""
    # Its reasons quote the text back: let only what hours are written with reach them.
    if _HOURS_CHARACTERS.fullmatch(hours) is None:
        raise UsageError(
            "`hours` are days and times only, such as `Mon-Thu 18:00-20:00, Sat 10:00-12:00`.",
            usage=usage,
            argument="hours",
        )
    try:
        parse_availability(hours, timezone)
    except ValueError as problem:
        raise UsageError(f"`hours`: {problem}.", usage=usage, argument="hours") from None
