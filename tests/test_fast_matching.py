"""The fast queue matcher: each fit equal to request_fit's, each total equal to the reference's."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from bot import fast_matching, solvers
from bot.core.mentoring.availability import Availability, parse_availability
from bot.core.mentoring.fit import (
    FitContext,
    LearnerRequest,
    Mentor,
    pair_of,
    related_topics,
    request_fit,
)
from bot.core.mentoring.matching import Assignment, quantised
from bot.core.mentoring.queue import ReferenceMatcher
from bot.fast_matching import candidate_fits, match_queue
from bot.solvers import LibrarySolver, QueueSolver, assign_with_capacity
from tests.core.small_kb import small_kb

TOPICS = ("basics", "git", "http", "databases", "apis", "cooking")  # cooking: no relation
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu")
HOURS = (
    "Mon-Fri 18:00-20:00",
    "Mon 18:00-19:00",
    "Mon 18:30-18:50",  # less than the hour the fit counts, with odd minutes
    "Tue/Thu 09:15-11:45, Sat 10:00-12:00",
    "weekends 22:00-01:00",
    "Sun 23:10-23:59",
    "daily 07:00-08:00",
)
START = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
WEEKS = (date(2026, 3, 23), date(2026, 3, 30), date(2026, 6, 1))  # both sides of a DST change


def hours() -> st.SearchStrategy[Availability]:
    none = st.sampled_from(ZONES).map(lambda zone: Availability(zone, ()))
    typed = st.builds(parse_availability, st.sampled_from(HOURS), st.sampled_from(ZONES))
    return st.one_of(none, typed)


@st.composite
def cases(draw: st.DrawFn, most: int = 12) -> tuple[list, list, FitContext]:
    members = [f"member{index}" for index in range(draw(st.integers(1, most)))]
    requests = [
        LearnerRequest(
            draw(st.sampled_from(members)),
            draw(st.sampled_from(TOPICS)),
            draw(st.integers(0, 2)),
            draw(hours()),
            START + timedelta(minutes=draw(st.integers(0, 5))),  # ties too
        )
        for _ in range(draw(st.integers(0, most)))
    ]
    mentors = []
    names = [*members, *(f"mentor{index}" for index in range(most))]  # some are learners too
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=max(most // 3, 1)))
    for name in chosen:
        capacity = draw(st.integers(1, 3))
        mentors.append(
            Mentor(
                name,
                frozenset(draw(st.lists(st.sampled_from(TOPICS), min_size=1, max_size=3))),
                draw(st.integers(0, 3)),
                draw(hours()),
                capacity,
                draw(st.integers(0, capacity)),
            )
        )
    everyone = sorted({r.member_id for r in requests} | {m.member_id for m in mentors})
    pairs = [pair_of(a, b) for a, b in itertools.combinations(everyone, 2)]
    blocked = draw(st.lists(st.sampled_from(pairs), max_size=4)) if pairs else []
    met = draw(st.lists(st.sampled_from(pairs), max_size=4)) if pairs else []
    week = draw(st.sampled_from(WEEKS))
    return requests, mentors, FitContext(related_topics(small_kb()), week, blocked, met)


def score(result: Assignment, requests: list, mentors: list, context: FitContext) -> tuple:
    """Return (total fit in thousandths, total age rank of the matched, matched count)."""
    by_id = {mentor.member_id: mentor for mentor in mentors}
    queue = sorted(requests, key=lambda request: request.requested_at)
    rank = {id(request): index for index, request in enumerate(queue)}
    fits = [request_fit(request, by_id[mentor_id], context) for request, mentor_id in result.pairs]
    assert None not in fits
    total = sum(quantised(fit) for fit in fits if fit is not None)
    return total, sum(len(queue) - rank[id(r)] for r, _ in result.pairs), len(result.pairs)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_every_candidate_fit_is_request_fit_and_no_allowed_pair_is_missed(case: tuple) -> None:
    requests, mentors, context = case
    fits = candidate_fits(requests, mentors, context)
    pairs = zip(fits.rank.tolist(), fits.mentor.tolist(), strict=True)
    found = dict(zip(pairs, fits.units.tolist(), strict=True))
    expected = {}
    for rank, request in enumerate(fits.queue):
        for column, mentor in enumerate(fits.mentors):
            fit = request_fit(request, mentor, context)
            if fit is not None:
                expected[rank, column] = quantised(fit)
    assert found == expected


@settings(max_examples=40, deadline=None)
@given(cases())
def test_counting_every_pair_gives_the_fits_the_hour_masks_give(case: tuple) -> None:
    # The hour masks settle most pairs without counting; counting them all must agree.
    requests, mentors, context = case
    quick = candidate_fits(requests, mentors, context)
    with patch.object(fast_matching, "WHOLE_HOUR_IS_ENOUGH", False):
        counted = candidate_fits(requests, mentors, context)
    assert quick.units.tolist() == counted.units.tolist()


def check_against_reference(requests: list, mentors: list, context: FitContext) -> None:
    fast = QueueSolver().match(requests, mentors, context)
    reference = ReferenceMatcher(LibrarySolver()).match(requests, mentors, context)
    load = Counter(mentor_id for _, mentor_id in fast.pairs)
    by_id = {mentor.member_id: mentor for mentor in mentors}
    assert all(load[mentor_id] <= by_id[mentor_id].spare for mentor_id in load)
    assert Counter(map(id, [*(r for r, _ in fast.pairs), *fast.unmatched])) == Counter(
        map(id, requests)
    )
    assert list(fast.unmatched) == sorted(fast.unmatched, key=lambda r: r.requested_at)
    # The same total fit, and among equal totals the same preference for older requests.
    assert score(fast, requests, mentors, context) == score(reference, requests, mentors, context)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_small_queues_match_as_well_as_the_reference_path(case: tuple) -> None:
    check_against_reference(*case)


@settings(max_examples=25, deadline=None)
@given(cases(most=60))
def test_medium_queues_match_as_well_as_the_reference_path(case: tuple) -> None:
    check_against_reference(*case)


def test_blocked_recent_and_self_pairs_never_form_even_when_they_fit_best() -> None:
    evening = parse_availability("Mon 18:00-20:00", "UTC")
    requests = [
        LearnerRequest(f"learner{i}", "http", 0, evening, START + timedelta(minutes=i))
        for i in range(3)
    ]
    mentors = [
        Mentor("learner0", frozenset({"http"}), 2, evening, 3),  # the learner themselves
        Mentor("mentor1", frozenset({"http"}), 2, evening, 3),
    ]
    context = FitContext(
        related_topics(small_kb()),
        START.date(),
        blocked=[pair_of("learner1", "mentor1")],
        met_recently=[pair_of("mentor1", "learner2")],
    )
    result = match_queue(requests, mentors, context)
    formed = {(request.member_id, mentor_id) for request, mentor_id in result.pairs}
    # learner0 may mentor the others, never themselves; mentor1 fits all three best but may
    # take only learner0.
    assert formed == {("learner0", "mentor1"), ("learner1", "learner0"), ("learner2", "learner0")}


def test_nothing_to_match_leaves_every_request_waiting_oldest_first() -> None:
    hours = Availability("UTC", ())
    requests = [
        LearnerRequest(f"learner{i}", "http", 0, hours, START - timedelta(minutes=i))
        for i in range(3)
    ]
    full = Mentor("mentor", frozenset({"http"}), 1, hours, 2, 2)
    context = FitContext(related_topics(small_kb()), START.date())
    for mentors in ([], [full]):
        result = match_queue(requests, mentors, context)
        assert result.pairs == ()
        assert [r.member_id for r in result.unmatched] == ["learner2", "learner1", "learner0"]
    assert match_queue([], [full], context) == Assignment((), ())


def dense_best(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, capacity: list) -> int:
    """Return the best total by SciPy's dense assignment over capacity-expanded columns."""
    slots = [col for col, room in enumerate(capacity) for _ in range(room)]
    if not slots or not len(rows):
        return 0
    table = np.zeros((int(rows.max()) + 1, len(slots)))
    for row, col, weight in zip(rows, cols, weights, strict=True):
        table[row, [i for i, slot in enumerate(slots) if slot == col]] = -weight
    chosen_rows, chosen_cols = linear_sum_assignment(table)
    return int(-table[chosen_rows, chosen_cols].sum())


@st.composite
def graphs(draw: st.DrawFn) -> tuple:
    n_rows, n_cols = draw(st.integers(1, 120)), draw(st.integers(1, 8))
    density = draw(st.floats(0.05, 1.0))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    present = rng.random((n_rows, n_cols)) < density
    rows, cols = np.nonzero(present)
    top = draw(st.sampled_from([3, 1000, 10**11]))  # many ties, few ties, the matcher's scale
    weights = rng.integers(0, top, len(rows))
    if draw(st.booleans()):  # every column wants the same rows most: the first pick runs short
        weights = rng.integers(0, 50, n_rows)[rows] * top + weights
    capacity = [draw(st.integers(0, 3)) for _ in range(n_cols)]
    return rows.astype(np.int64), cols.astype(np.int64), weights.astype(np.int64), capacity


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_the_capacitated_assignment_is_optimal_and_within_capacity(graph: tuple) -> None:
    rows, cols, weights, capacity = graph
    chosen = assign_with_capacity(rows, cols, weights, np.array(capacity, np.int64))
    assert len(set(rows[chosen].tolist())) == len(chosen)
    assert all(Counter(cols[chosen].tolist())[c] <= room for c, room in enumerate(capacity))
    assert int(weights[chosen].sum()) == dense_best(rows, cols, weights, capacity)


def test_edges_left_out_at_first_join_when_the_dual_prices_them_too_low(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Eight columns all want the same twenty rows most and keep only their top 3 x 3 + 5 = 14
    # at first: 24 places cannot be filled from those, so the proof must bring more edges in.
    rng = np.random.default_rng(5)
    rows, cols = (part.ravel().astype(np.int64) for part in np.mgrid[0:100, 0:8])
    weights = (100 - rows) * 1000 + rng.integers(0, 1000, len(rows))
    capacity = [3] * 8
    solves: list[int] = []
    real_solve = solvers._solve

    def counting_solve(*edges: np.ndarray) -> np.ndarray:
        solves.append(len(edges[0]))
        return real_solve(*edges)

    monkeypatch.setattr(solvers, "_solve", counting_solve)
    chosen = assign_with_capacity(rows, cols, weights, np.array(capacity, np.int64))
    assert len(solves) >= 2 and solves[0] < len(rows)
    assert solves[-1] < len(rows), "proven on a part of the edges, not by solving them all"
    assert int(weights[chosen].sum()) == dense_best(rows, cols, weights, capacity)
