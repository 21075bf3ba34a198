"""Mentoring on demand: one new request's best mentor, with the full matching's fit and rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.mentoring.availability import Availability, parse_availability
from bot.core.mentoring.fit import (
    FitContext,
    LearnerRequest,
    Mentor,
    pair_of,
    related_topics,
    request_fit,
)
from bot.core.mentoring.matching import quantised
from bot.core.mentoring.queue import best_mentor
from tests.core.small_kb import small_kb

WEEK = date(2026, 6, 1)
AT = datetime(2026, 6, 1, tzinfo=UTC)
HOURS = ("Mon 18:00-20:00", "Mon 18:30-19:00", "Tue 09:00-10:00", "daily 07:00-07:20")
ZONES = ("UTC", "Europe/Berlin", "Asia/Kolkata")
TOPICS = ("basics", "git", "http", "databases", "apis")


def context(**more: object) -> FitContext:
    return FitContext(related=related_topics(small_kb()), week=WEEK, **more)  # type: ignore[arg-type]


def hours() -> st.SearchStrategy[Availability]:
    return st.builds(parse_availability, st.sampled_from(HOURS), st.sampled_from(ZONES))


@st.composite
def mentors(draw: st.DrawFn) -> list[Mentor]:
    found = []
    for index in range(draw(st.integers(0, 12))):
        capacity = draw(st.integers(1, 3))
        topics = frozenset(draw(st.lists(st.sampled_from(TOPICS), min_size=1, max_size=2)))
        found.append(
            Mentor(
                f"mentor{index}",
                topics,
                draw(st.integers(0, 2)),
                draw(hours()),
                capacity,
                draw(st.integers(0, capacity)),
            )
        )
    return found


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(TOPICS), st.integers(0, 2), hours(), mentors(), st.integers(0, 3))
def test_the_best_mentor_has_the_largest_fit_and_the_first_listed_wins_ties(
    topic: str, stage: int, availability: Availability, team: list[Mentor], blocked_one: int
) -> None:
    request = LearnerRequest("learner", topic, stage, availability, AT)
    blocked = [pair_of("learner", f"mentor{blocked_one}")]
    rules = context(blocked=blocked)
    fits = [request_fit(request, mentor, rules) for mentor in team]
    allowed = [quantised(fit) for fit in fits if fit is not None]
    found = best_mentor(request, team, rules)
    if not allowed:
        assert found is None
        return
    assert found is not None
    mentor, fit = found
    assert quantised(fit) == max(allowed) and fit == request_fit(request, mentor, rules)
    first = next(
        m for m, f in zip(team, fits, strict=True) if f is not None and quantised(f) == max(allowed)
    )
    assert mentor is first
    assert mentor.member_id != f"mentor{blocked_one}"


def test_nobody_free_or_related_means_no_mentor() -> None:
    request = LearnerRequest("learner", "apis", 0, Availability("UTC", ()), AT)
    full = Mentor("mentor0", frozenset({"apis"}), 2, Availability("UTC", ()), 1, 1)
    elsewhere = Mentor("mentor1", frozenset({"git"}), 2, Availability("UTC", ()), 1)
    assert best_mentor(request, [full, elsewhere], context()) is None
    assert best_mentor(request, [], context()) is None
