"""The waiting queue: matching all of it at once (a port), and one new request on demand.

A round over the whole queue scores every request against every mentor, which in plain
Python is far too slow for ten thousand learners; so the core states it as a port
(QueueMatcher) whose fast implementation lives outside the core (bot.fast_matching: NumPy and
SciPy), and ReferenceMatcher is the same problem solved pair by pair with request_fit, the
definition the fast one is tested against. One request against the mentors (best_mentor) is a
thousand fit scores with cached weekly hours, most skipped early: fast enough in plain Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.core.mentoring.availability import intersect, weekly_utc
from bot.core.mentoring.fit import (
    ENOUGH_OVERLAP_MINUTES,
    FitContext,
    LearnerRequest,
    Mentor,
    fit_score,
    pair_parts,
    request_fit,
)
from bot.core.mentoring.matching import Assignment, Solver, match_requests, quantised


class QueueMatcher(Protocol):
    """Matches a queue of requests to mentors with the largest total request_fit."""

    def match(
        self, requests: Sequence[LearnerRequest], mentors: Sequence[Mentor], context: FitContext
    ) -> Assignment:
        """Return the assignment match_requests would give with request_fit under context."""
        ...


class ReferenceMatcher:
    """QueueMatcher by match_requests: every pair scored by request_fit (small queues, tests)."""

    def __init__(self, solver: Solver) -> None:
        self._solver = solver

    def match(
        self, requests: Sequence[LearnerRequest], mentors: Sequence[Mentor], context: FitContext
    ) -> Assignment:
        """Return the assignment with the largest total fit within the mentors' spare."""
        return match_requests(
            requests,
            mentors,
            lambda request, mentor: request_fit(request, mentor, context),
            self._solver,
        )


def best_mentor(
    request: LearnerRequest, mentors: Sequence[Mentor], context: FitContext
) -> tuple[Mentor, float] | None:
    """Return the mentor who fits request best and the fit, or None when no one may take it.

    The fit is request_fit's, compared in thousandths like the full matching; among equals
    the mentor listed first wins, so the caller's order (for example the longest idle first)
    breaks ties. Shared hours, the costly part, are counted only for a mentor who could still
    do better than the best so far with a full hour together.
    """
    hours = weekly_utc(request.availability, context.week)
    best: tuple[Mentor, float] | None = None
    best_units = -1
    for mentor in mentors:
        parts = pair_parts(request, mentor, context)
        if parts is None:
            continue
        topic, ahead = parts
        room = (mentor.spare, mentor.capacity)
        if quantised(fit_score(topic, ahead, ENOUGH_OVERLAP_MINUTES, *room)) <= best_units:
            continue
        shared = intersect(hours, weekly_utc(mentor.availability, context.week))
        fit = fit_score(topic, ahead, sum(end - start for start, end in shared), *room)
        if quantised(fit) > best_units:
            best, best_units = (mentor, fit), quantised(fit)
    return best
