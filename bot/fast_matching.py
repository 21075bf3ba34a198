"""The mentoring queue matched fast: request_fit for every candidate pair at once, in NumPy.

The core defines the fit (bot.core.mentoring.fit) and states the problem (QueueMatcher); this
evaluates the same fit for ten thousand requests against a thousand mentors in a fraction of
a second and hands the pairs to SciPy (bot.solvers.assign_with_capacity). What makes it fast,
without changing a single score (tests/test_fast_matching.py compares every one):
- only mentors offering the request's topic or a related one can fit, so requests are taken
  one topic at a time against those mentors only (a few hundred of a thousand);
- shared minutes are exact but rarely counted: hour masks settle most pairs (no clock hour in
  common: 0; a whole clock hour in common: the most the fit counts), and the rest are counted
  against each mentor's running count of available minutes, two look-ups per interval;
- the fit takes few distinct parts (topic exact or related, stages ahead, shared minutes up to
  ENOUGH_OVERLAP_MINUTES, the mentor's spare and capacity), so every score is read from a table
  filled by the core's own fit_score, then quantised like match_requests;
- the solver gets only those pairs (sparse), never a 10,000 x 2,000 matrix.
Who may meet (fit.pair_parts: not the same member, not blocked or met recently, a related
topic, a level at or past the stage, spare capacity) is restated here in array form: a change
there must be made here too, and the property test fails until it is.
Memory: ~20 MB per thousand mentors (running counts) and ~80 bytes per candidate pair (about
210 MB at the peak for 10,000 x 1,000, whose 2.5 million pairs are solved and then freed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt

from bot.core.mentoring.availability import MINUTES_PER_WEEK, weekly_utc
from bot.core.mentoring.fit import (
    ENOUGH_OVERLAP_MINUTES,
    RELATED_TOPIC_SHARE,
    FitContext,
    LearnerRequest,
    Mentor,
    fit_score,
)
from bot.core.mentoring.matching import Assignment, quantised
from bot.solvers import assign_with_capacity

Ints = npt.NDArray[np.int64]
# A whole clock hour in common settles a pair only while an hour is all the fit counts.
WHOLE_HOUR_IS_ENOUGH = ENOUGH_OVERLAP_MINUTES <= 60
TOPIC_SCORES = (1.0, RELATED_TOPIC_SHARE)  # kind 0: the exact topic, kind 1: a related one


@dataclass(frozen=True)
class CandidateFits:
    """Every pair request_fit allows, with its fit in thousandths (quantised)."""

    queue: tuple[LearnerRequest, ...]  # the requests, oldest first; rank = index here
    mentors: tuple[Mentor, ...]
    rank: Ints  # per pair: the request's index in queue
    mentor: Ints  # per pair: the mentor's index in mentors
    units: Ints  # per pair: quantised(request_fit(...))


def match_queue(
    requests: Sequence[LearnerRequest], mentors: Sequence[Mentor], context: FitContext
) -> Assignment:
    """Return what match_requests gives with request_fit: the largest total fit, oldest first.

    The weights are exact integers: a fit's thousandths times (n + 1)**2, plus n - rank, so
    a larger total fit always wins and among equal totals the older requests are matched.
    """
    fits = candidate_fits(requests, mentors, context)
    n = len(fits.queue)
    weights = fits.units * (n + 1) ** 2 + (n - fits.rank)
    spare = np.array([mentor.spare for mentor in fits.mentors], np.int64)
    chosen = assign_with_capacity(fits.rank, fits.mentor, weights, spare)
    chosen = chosen[np.argsort(fits.rank[chosen])]
    rows, cols = fits.rank[chosen].tolist(), fits.mentor[chosen].tolist()
    pairs = tuple(
        (fits.queue[row], fits.mentors[col].member_id) for row, col in zip(rows, cols, strict=True)
    )
    matched = set(rows)
    unmatched = tuple(request for rank, request in enumerate(fits.queue) if rank not in matched)
    return Assignment(pairs, unmatched)


def candidate_fits(
    requests: Sequence[LearnerRequest], mentors: Sequence[Mentor], context: FitContext
) -> CandidateFits:
    """Return every (request, mentor) pair whose request_fit is not None, with its fit."""
    queue = tuple(sorted(requests, key=lambda request: request.requested_at))
    empty = np.zeros(0, np.int64)
    if not queue or not mentors:
        return CandidateFits(queue, tuple(mentors), empty, empty, empty)
    topics = sorted({r.topic for r in queue} | {t for m in mentors for t in m.topics})
    topic_index = {topic: index for index, topic in enumerate(topics)}
    offers = np.zeros((len(topics), len(mentors)), bool)
    for column, person in enumerate(mentors):
        offers[[topic_index[topic] for topic in person.topics], column] = True
    stage = np.array([request.stage for request in queue], np.int64)
    level = np.array([mentor.level for mentor in mentors], np.int64)
    open_ = np.array([mentor.spare > 0 for mentor in mentors])
    wanted = np.array([topic_index[request.topic] for request in queue], np.int64)
    weeks = _Weeks(queue, mentors, context)
    banned_rank, banned_mentor = np.divmod(_banned(queue, mentors, context), len(mentors))
    parts: list[tuple[Ints, Ints, Ints, Ints]] = []
    for topic in sorted({request.topic for request in queue}):
        rows = np.flatnonzero(wanted == topic_index[topic])
        exact = offers[topic_index[topic]] & open_
        near = [topic_index[other] for other in topics if context.related(topic, other)]
        nearby = offers[near].any(axis=0) & open_ & ~exact
        candidates = np.flatnonzero(exact | nearby)
        if not len(candidates):
            continue
        allowed = level[candidates][None, :] >= stage[rows][:, None]
        here = wanted[banned_rank] == topic_index[topic]
        at_row = np.searchsorted(rows, banned_rank[here])
        at_column = np.minimum(
            np.searchsorted(candidates, banned_mentor[here]), len(candidates) - 1
        )
        listed = candidates[at_column] == banned_mentor[here]
        allowed[at_row[listed], at_column[listed]] = False
        minutes = weeks.shared_minutes(rows, candidates, allowed)
        row_at, column_at = np.nonzero(allowed)
        rank, mentor = rows[row_at], candidates[column_at]
        parts.append((rank, mentor, (~exact[mentor]).astype(np.int64), minutes))
    if not parts:
        return CandidateFits(queue, tuple(mentors), empty, empty, empty)
    rank, mentor, kind, minutes = (np.concatenate(column) for column in zip(*parts, strict=True))
    parts.clear()  # the per-topic copies: ~80 MB for 10,000 x 1,000
    units = _units(kind, rank, mentor, minutes, stage, level, mentors)
    return CandidateFits(queue, tuple(mentors), rank, mentor, units)


def _banned(
    queue: Sequence[LearnerRequest], mentors: Sequence[Mentor], context: FitContext
) -> Ints:
    """Return rank * len(mentors) + mentor of each self, blocked or recently met pair."""
    ranks: dict[str, list[int]] = {}
    for rank, request in enumerate(queue):
        ranks.setdefault(request.member_id, []).append(rank)
    columns: dict[str, list[int]] = {}
    for column, mentor in enumerate(mentors):
        columns.setdefault(mentor.member_id, []).append(column)
    keys = [
        rank * len(mentors) + column
        for member, own in ranks.items()
        for rank in own
        for column in columns.get(member, ())
    ]
    for pair in chain(context.blocked, context.met_recently):
        if len(pair) != 2:
            continue
        first, second = tuple(pair)
        for learner, mentor_id in ((first, second), (second, first)):
            keys.extend(
                rank * len(mentors) + column
                for rank in ranks.get(learner, ())
                for column in columns.get(mentor_id, ())
            )
    return np.array(sorted(set(keys)), np.int64)


class _Weeks:
    """Each member's weekly UTC hours, kept for telling pairs' shared minutes quickly.

    Most pairs need no counting: two members who share no clock hour at all share 0 minutes,
    and two who are both free for one whole clock hour share at least ENOUGH_OVERLAP_MINUTES
    (an hour), which is all the fit counts. Per member that is two masks of the week's 168
    hours (touched at all, covered whole), three 64-bit words each. Only the pairs in
    between are counted: a request's intervals against the mentor's running count of
    available minutes (a row of 10,081 small integers), two look-ups per interval.
    """

    def __init__(
        self, queue: Sequence[LearnerRequest], mentors: Sequence[Mentor], context: FitContext
    ) -> None:
        hours = [weekly_utc(request.availability, context.week) for request in queue]
        counts = np.array([len(intervals) for intervals in hours], np.int64)
        self._first = np.concatenate(([0], np.cumsum(counts)))
        flat = np.array([edge for intervals in hours for edge in intervals], np.int64)
        self._starts, self._ends = flat.reshape(-1, 2).T if len(flat) else (flat, flat)
        owner = np.repeat(np.arange(len(queue)), counts)
        self._touched, self._whole = _hour_masks(owner, self._starts, self._ends, len(queue))
        # Row 0 is all zeros: mentors without hours (or without spare) share it.
        self._row = np.zeros(len(mentors), np.int64)
        busy = list(dict.fromkeys(m.availability for m in mentors if m.spare > 0))
        weeks = {availability: weekly_utc(availability, context.week) for availability in busy}
        used = [availability for availability in busy if weeks[availability]]
        row_of = {availability: row for row, availability in enumerate(used, start=1)}
        for column, mentor in enumerate(mentors):
            self._row[column] = row_of.get(mentor.availability, 0) if mentor.spare > 0 else 0
        covered = np.zeros((len(used) + 1, MINUTES_PER_WEEK), np.int16)
        edges: list[tuple[int, int, int]] = []
        for row, availability in enumerate(used, start=1):
            for start, end in weeks[availability]:
                covered[row, start:end] = 1
                edges.append((row, start, end))
        self._before = np.zeros((len(used) + 1, MINUTES_PER_WEEK + 1), np.int16)
        np.cumsum(covered, axis=1, dtype=np.int16, out=self._before[:, 1:])  # <= 10,080
        rows, starts, ends = np.array(edges, np.int64).reshape(-1, 3).T
        touched, whole = _hour_masks(rows, starts, ends, len(used) + 1)
        self._mentor_touched, self._mentor_whole = touched[self._row], whole[self._row]

    def shared_minutes(self, rows: Ints, columns: Ints, allowed: npt.NDArray[np.bool_]) -> Ints:
        """Return each allowed pair's shared minutes, capped at ENOUGH_OVERLAP_MINUTES.

        Pairs are (rows[i], columns[j]) where allowed[i, j], in row-major order.
        """
        touched = _in_common(self._touched[rows], self._mentor_touched[columns])
        whole = _in_common(self._whole[rows], self._mentor_whole[columns])
        whole &= WHOLE_HOUR_IS_ENOUGH
        shared = np.where(whole, ENOUGH_OVERLAP_MINUTES, 0)
        row_at, column_at = np.nonzero(allowed & touched & ~whole)
        counted = self._count(rows[row_at], columns[column_at])
        shared[row_at, column_at] = np.minimum(counted, ENOUGH_OVERLAP_MINUTES)
        minutes: Ints = shared[allowed]
        return minutes

    def _count(self, rank: Ints, mentor: Ints) -> Ints:
        counts = self._first[rank + 1] - self._first[rank]
        pair = np.repeat(np.arange(len(rank)), counts)
        nth = np.arange(len(pair)) - np.repeat(np.cumsum(counts) - counts, counts)
        interval = self._first[rank][pair] + nth
        base = self._row[mentor][pair] * (MINUTES_PER_WEEK + 1)
        before = self._before.ravel()
        inside = before[base + self._ends[interval]] - before[base + self._starts[interval]]
        return np.bincount(pair, weights=inside, minlength=len(rank)).astype(np.int64)


def _in_common(
    left: npt.NDArray[np.uint64], right: npt.NDArray[np.uint64]
) -> npt.NDArray[np.bool_]:
    """Return for each (left row, right row) whether their masks share an hour."""
    found = np.zeros((len(left), len(right)), bool)
    for word in range(left.shape[1]):  # word by word: a third of the memory of all at once
        found |= (left[:, word, None] & right[None, :, word]) != 0
    return found


def _hour_masks(
    owner: Ints, starts: Ints, ends: Ints, members: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """Return per member the clock hours of the week their intervals touch, and cover whole."""
    masks = []
    for first, stop in ((starts // 60, -(-ends // 60)), (-(-starts // 60), ends // 60)):
        spans = np.maximum(stop - first, 0)
        who = np.repeat(owner, spans)
        hour = (
            np.repeat(first, spans)
            + np.arange(len(who))
            - np.repeat(np.cumsum(spans) - spans, spans)
        )
        mask = np.zeros((members, 3), np.uint64)  # 168 hours in three words
        np.bitwise_or.at(
            mask, (who, hour // 64), np.left_shift(np.uint64(1), (hour % 64).astype(np.uint64))
        )
        masks.append(mask)
    return masks[0], masks[1]


def _units(
    kind: Ints,
    rank: Ints,
    mentor: Ints,
    minutes: Ints,
    stage: Ints,
    level: Ints,
    mentors: Sequence[Mentor],
) -> Ints:
    """Return quantised(fit_score(...)) per pair, from a table of the distinct parts.

    minutes are already capped at ENOUGH_OVERLAP_MINUTES, beyond which fit_score is flat.
    """
    if len(kind) == 0:
        return np.zeros(0, np.int64)
    # Every pair's ahead is some level minus some stage: a few values, found without a sort
    # of the millions of pairs.
    differences = np.unique(level)[:, None] - np.unique(stage)[None, :]
    distinct = np.unique(differences[differences >= 0])
    rooms = sorted({(m.spare, m.capacity) for m in mentors if m.spare > 0})
    room_of = {room: index for index, room in enumerate(rooms)}
    room_at = np.array([room_of.get((m.spare, m.capacity), 0) for m in mentors], np.int64)
    table = np.zeros((len(TOPIC_SCORES), len(distinct), ENOUGH_OVERLAP_MINUTES + 1, len(rooms)))
    for k, topic in enumerate(TOPIC_SCORES):
        for a, steps in enumerate(distinct.tolist()):
            for shared in range(ENOUGH_OVERLAP_MINUTES + 1):
                for r, (spare, capacity) in enumerate(rooms):
                    table[k, a, shared, r] = quantised(
                        fit_score(topic, steps, shared, spare, capacity)
                    )
    # One flat index instead of four index arrays (numpy's fancy indexing is slow on millions),
    # built in place: each step would otherwise hold another 20 MB for 10,000 x 1,000.
    flat = level[mentor]
    flat -= stage[rank]
    flat = np.searchsorted(distinct, flat)
    flat += kind * len(distinct)
    flat *= ENOUGH_OVERLAP_MINUTES + 1
    flat += minutes
    flat *= len(rooms)
    flat += room_at[mentor]
    units: Ints = table.ravel().astype(np.int64)[flat]
    return units
