"""Optimal matching: learners to mentors with capacities, and members into pairs for a round.

Both are CPU work (a dense assignment problem, a blossom matching): callers run them off the
event loop (asyncio.to_thread) or at start-up, never inline in a handler. The solving itself
is a port (Solver): the core states the problem, a maintained library (bot.solvers: SciPy,
networkx) solves it, so bot.core imports neither.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Final, Literal, Protocol

from bot.core.mentoring.fit import LearnerRequest, Mentor, Pair, pair_of


class Solver(Protocol):
    """Solves the two optimisation problems matching is made of."""

    def assign(self, costs: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
        """Return (row, column) pairs of a least-cost assignment of a rectangular matrix."""
        ...

    def pairs(
        self, nodes: Sequence[str], edges: Sequence[tuple[str, str, int]]
    ) -> set[tuple[str, str]]:
        """Return a maximum-cardinality matching of largest total weight of the graph."""
        ...


RequestFit = Callable[[LearnerRequest, Mentor], float | None]
PeerFit = Callable[[str, str], float]  # two member ids -> [0, 1]
# Fits are compared in thousandths, so equal fits tie exactly and an age bonus below one
# thousandth in total can only break ties (oldest request first), never outweigh a fit.
FIT_RESOLUTION: Final = 1000


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who mentors whom, and the requests left waiting (oldest first)."""

    pairs: tuple[tuple[LearnerRequest, str], ...]  # (request, mentor id)
    unmatched: tuple[LearnerRequest, ...]


def quantised(fit: float) -> int:
    """Return fit in thousandths, the unit the solvers compare."""
    return round(fit * FIT_RESOLUTION)


def match_requests(
    requests: Sequence[LearnerRequest], mentors: Sequence[Mentor], fit: RequestFit, solver: Solver
) -> Assignment:
    """Return the assignment with the largest total fit that respects every mentor's spare.

    A mentor with spare capacity c becomes c identical columns of a rectangular assignment
    problem (solver.assign: SciPy's linear_sum_assignment). A pair whose fit is None costs 0,
    as if left out, and is dropped afterwards, so it is never formed. Among equal totals,
    older requests are matched first.
    """
    queue = sorted(requests, key=lambda request: request.requested_at)
    columns = [mentor for mentor in mentors for _ in range(mentor.spare)]
    if not queue or not columns:
        return Assignment((), tuple(queue))
    # The age bonus of all rows together stays below one unit of fit (see FIT_RESOLUTION).
    bonus_step = 1.0 / (len(queue) + 1) ** 2
    costs: list[list[float]] = []
    allowed: list[list[bool]] = []
    for rank, request in enumerate(queue):
        bonus = (len(queue) - rank) * bonus_step
        scores = [fit(request, mentor) for mentor in mentors]
        row_costs = [0.0 if score is None else -(quantised(score) + bonus) for score in scores]
        costs.append(
            [
                cost
                for mentor, cost in zip(mentors, row_costs, strict=True)
                for _ in range(mentor.spare)
            ]
        )
        allowed.append(
            [
                score is not None
                for score, mentor in zip(scores, mentors, strict=True)
                for _ in range(mentor.spare)
            ]
        )
    pairs: list[tuple[LearnerRequest, str]] = []
    matched: set[int] = set()
    for row, col in solver.assign(costs):
        if allowed[row][col]:
            pairs.append((queue[row], columns[col].member_id))
            matched.add(row)
    unmatched = tuple(request for rank, request in enumerate(queue) if rank not in matched)
    return Assignment(tuple(pairs), unmatched)


OddCount = Literal["trio", "sit_out"]
# How many past rounds a repeat is penalised for; older meetings count as never met.
RECENT_ROUNDS: Final = 6


@dataclass(frozen=True, slots=True)
class RoundResult:
    """A round's outcome: pairs (and at most a trio or two from blocks), and who sits out."""

    groups: tuple[tuple[str, ...], ...]
    sat_out: tuple[str, ...] = ()


def pair_round(
    members: Collection[str],
    history: Sequence[RoundResult],
    blocked: Collection[Pair],
    seed: int,
    *,
    solver: Solver,
    fit: PeerFit | None = None,
    odd: OddCount = "trio",
    recent_rounds: int = RECENT_ROUNDS,
) -> RoundResult:
    """Return one outcome for every member: in a pair, in a trio, or sitting out.

    history holds past rounds, oldest first. The pairs form a maximum-cardinality matching of
    largest weight (solver.pairs: networkx's blossom algorithm) over every pair not blocked.
    Weights are exact integers ordered lexicographically: first avoid the most recent repeat
    (a pair met k rounds ago costs more than all pairs met longer ago together), then the
    total fit. So a small group that has met everyone pairs with the least recently met.

    With an odd count one member is the odd one out, rotated fairly: whoever was odd one out
    (sat out, or joined a trio: listed last in it) longest ago, never first. They join the pair
    they fit best
    (odd="trio") or sit out (odd="sit_out"). Members whom blocks leave without a partner do
    the same, sitting out when they are blocked with every pair. Ties are broken by an order
    shuffled from seed, so the same inputs and seed give the same round.
    """
    rng = random.Random(seed)  # noqa: S311 - a reproducible tie-break, not a secret
    order = sorted(set(members))
    rng.shuffle(order)
    blocked_pairs = frozenset(blocked)
    weigh = _PairWeights(len(order), history, fit or _no_fit, recent_rounds)
    odd_ones: list[str] = []
    if len(order) % 2:
        odd_ones.append(_next_odd_one(order, history))
        order.remove(odd_ones[0])
    edges = [
        (first, second, weigh(first, second))
        for index, first in enumerate(order)
        for second in order[index + 1 :]
        if pair_of(first, second) not in blocked_pairs
    ]
    matching = solver.pairs(order, edges)
    position = {member: index for index, member in enumerate(order)}
    groups = [sorted(pair, key=position.__getitem__) for pair in matching]
    groups.sort(key=lambda group: position[group[0]])
    paired = {member for group in groups for member in group}
    odd_ones.extend(member for member in order if member not in paired)
    sat_out: list[str] = []
    for member in odd_ones:
        host = None if odd == "sit_out" else _best_pair(member, groups, blocked_pairs, weigh)
        if host is None:
            sat_out.append(member)
        else:
            host.append(member)
    return RoundResult(tuple(tuple(group) for group in groups), tuple(sat_out))


def _no_fit(first: str, second: str) -> float:
    return 0.0


class _PairWeights:
    """Integer pair weights: recency of the last meeting first, fit second (see pair_round)."""

    def __init__(
        self, size: int, history: Sequence[RoundResult], fit: PeerFit, recent_rounds: int
    ) -> None:
        self._fit = fit
        self._recent_rounds = recent_rounds
        pairs = size // 2 + 1
        self._fit_span = pairs * FIT_RESOLUTION + 1  # more than any total of fits
        self._base = pairs + 1  # more repeats than a round can hold
        self._last_met: dict[Pair, int] = {}  # pair -> rounds ago (1 = the last round)
        for age, past in enumerate(reversed(history[-recent_rounds:]), start=1):
            for group in past.groups:
                for index, first in enumerate(group):
                    for second in group[index + 1 :]:
                        self._last_met.setdefault(pair_of(first, second), age)
        self._offset = int(self._base**recent_rounds) * self._fit_span  # keeps weights positive

    def __call__(self, first: str, second: str) -> int:
        age = self._last_met.get(pair_of(first, second))
        penalty = 0 if age is None else int(self._base ** (self._recent_rounds - age + 1))
        fit = quantised(min(max(self._fit(first, second), 0.0), 1.0))
        return self._offset - penalty * self._fit_span + fit


def _next_odd_one(order: Sequence[str], history: Sequence[RoundResult]) -> str:
    """Return who was odd one out longest ago (never counts as longest; ties keep order)."""
    last_odd: dict[str, int] = {}
    for index, past in enumerate(history):
        # The member who joined a pair is listed last in its trio; the pair was not odd.
        joined = [group[-1] for group in past.groups if len(group) > 2]
        for member in (*past.sat_out, *joined):
            last_odd[member] = index
    return min(order, key=lambda member: last_odd.get(member, -1))


def _best_pair(
    member: str, groups: list[list[str]], blocked: frozenset[Pair], weigh: _PairWeights
) -> list[str] | None:
    """Return the pair member joins best as a third, or None when blocks rule out every pair."""
    hosts = [
        group
        for group in groups
        if len(group) == 2 and all(pair_of(member, other) not in blocked for other in group)
    ]
    if not hosts:
        return None
    return max(hosts, key=lambda group: sum(weigh(member, other) for other in group))
