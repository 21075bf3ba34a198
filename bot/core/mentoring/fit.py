"""How well a mentor fits a learner's request: a score in [0, 1], or None for never.

The score weighs, in this order of importance: the topic (the exact topic, else a
prerequisite or neighbouring topic), whether the mentor's experience covers the learner's
stage, the hours both have in a week, and how much spare capacity the mentor has. Blocked
pairs and pairs who met recently are never proposed (None, an infinite cost for the solver).
Rounds work differently: there a repeat is only made costly, so the least recently met
partner is chosen when nobody new is left (see matching.pair_round).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from bot.core.knowledge import KnowledgeBase
from bot.core.mentoring.availability import Availability, overlap_minutes

TopicRelation = Callable[[str, str], bool]  # (wanted, offered): related but not the same?
Pair = frozenset[str]  # two member ids, in no order

TOPIC_WEIGHT: Final = 0.4
STAGE_WEIGHT: Final = 0.2
OVERLAP_WEIGHT: Final = 0.25
CAPACITY_WEIGHT: Final = 0.15
RELATED_TOPIC_SHARE: Final = 0.5  # a neighbouring topic is worth half the exact one
# A weekly hour together is enough for a mentoring call; more adds nothing to the score.
ENOUGH_OVERLAP_MINUTES: Final = 60


@dataclass(frozen=True, slots=True)
class LearnerRequest:
    """A learner waiting for a mentor on one topic."""

    member_id: str
    topic: str
    stage: int  # index of the learner's stage on the canonical path, 0 = the first
    availability: Availability
    requested_at: datetime  # older requests win ties and lead the queue


@dataclass(frozen=True, slots=True)
class Mentor:
    """A mentor with the topics they offer and room for more mentees."""

    member_id: str
    topics: frozenset[str]
    level: int  # the last stage index the mentor is experienced enough to guide
    availability: Availability
    capacity: int
    active: int = 0  # mentees they already have

    @property
    def spare(self) -> int:
        """Return how many more mentees this mentor can take."""
        return max(self.capacity - self.active, 0)


@dataclass(frozen=True, slots=True)
class FitContext:
    """What a fit score needs besides the two sides: relations, exclusions, the week."""

    related: TopicRelation
    week: date  # reference week for the hours (DST)
    blocked: Collection[Pair] = frozenset()
    met_recently: Collection[Pair] = frozenset()


def pair_of(first: str, second: str) -> Pair:
    """Return the unordered pair of two member ids."""
    return frozenset((first, second))


def request_fit(request: LearnerRequest, mentor: Mentor, context: FitContext) -> float | None:
    """Return how well mentor fits request in [0, 1], or None when they must not be paired.

    None also for a mentor without a related topic, without experience of the learner's
    stage, without spare capacity, or the learner themselves.
    """
    parts = pair_parts(request, mentor, context)
    if parts is None:
        return None
    topic, ahead = parts
    minutes = overlap_minutes(request.availability, mentor.availability, context.week)
    return fit_score(topic, ahead, minutes, mentor.spare, mentor.capacity)


def pair_parts(
    request: LearnerRequest, mentor: Mentor, context: FitContext
) -> tuple[float, int] | None:
    """Return (topic_score, stages ahead) of a pair that may meet, or None (see request_fit)."""
    if excluded(request, mentor, context):
        return None
    topic = topic_score(request.topic, mentor.topics, context.related)
    if topic == 0 or mentor.level < request.stage or mentor.spare == 0:
        return None
    return topic, mentor.level - request.stage


def excluded(request: LearnerRequest, mentor: Mentor, context: FitContext) -> bool:
    """Return whether the two are the same member, blocked, or met recently."""
    pair = pair_of(request.member_id, mentor.member_id)
    return len(pair) < 2 or pair in context.blocked or pair in context.met_recently


def fit_score(topic: float, ahead: int, minutes: int, spare: int, capacity: int) -> float:
    """Return the fit of a pair that may meet, from its parts (request_fit's one formula).

    topic is topic_score's value, ahead how many stages the mentor's level is past the
    learner's (0 or more), minutes their weekly hours together (only the first
    ENOUGH_OVERLAP_MINUTES count), spare and capacity the mentor's (spare at least 1). It never
    falls as minutes grow, so minutes=ENOUGH_OVERLAP_MINUTES gives a pair's highest fit.
    """
    return (
        TOPIC_WEIGHT * topic
        + STAGE_WEIGHT * stage_score(0, ahead)
        + OVERLAP_WEIGHT * min(minutes / ENOUGH_OVERLAP_MINUTES, 1.0)
        + CAPACITY_WEIGHT * spare / capacity
    )


def topic_score(wanted: str, offered: Collection[str], related: TopicRelation) -> float:
    """Return 1 for the exact topic, RELATED_TOPIC_SHARE for a related one, else 0."""
    if wanted in offered:
        return 1.0
    if any(related(wanted, topic) for topic in offered):
        return RELATED_TOPIC_SHARE
    return 0.0


def stage_score(stage: int, level: int) -> float:
    """Return 1 for a mentor just ahead of the learner, less the further ahead they are."""
    # A mentor far along the path still helps, but one a stage or two ahead remembers it.
    ahead = level - stage
    return 1.0 if ahead <= 2 else max(0.5, 1.0 - 0.1 * (ahead - 2))


def topic_links(knowledge: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Return each topic's related topics: prerequisites, unlocks and canonical neighbours."""
    links: dict[str, set[str]] = {}

    def link(first: str, second: str) -> None:
        links.setdefault(first, set()).add(second)
        links.setdefault(second, set()).add(first)

    for topic in knowledge.topics:
        for other in (*topic.prerequisites, *topic.unlocks):
            link(topic.id, other)
    order = knowledge.canonical_order()
    for before, after in itertools.pairwise(order):
        link(before, after)
    return {topic: frozenset(others) for topic, others in links.items()}


def related_topics(knowledge: KnowledgeBase) -> TopicRelation:
    """Return a relation: prerequisites, unlocks and neighbours on the canonical path."""
    links = topic_links(knowledge)

    def related(wanted: str, offered: str) -> bool:
        return wanted != offered and offered in links.get(wanted, ())

    return related
