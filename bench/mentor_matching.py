"""Mentor matching: a queue of 10,000 learners against 1,000 mentors, and one request on demand.

    .venv/bin/python bench/mentor_matching.py [--seed 7] [--learners 10000] [--mentors 1000]

Synthetic but shaped like the bot's data: topics are the knowledge base's real ids (requests
favour early and popular topics), mentors offer 1-6 topics up to their level with capacity 1-3
(some already busy), learners ask at their stage, everyone's weekly hours are written as a
member would (`Mon-Thu 18:00-20:00, Sat 10:00-12:00`, some on odd minutes) in 15 IANA zones,
and a few hundred pairs are blocked or met recently. Prints, against issue 13's targets:
- the full matching (bot.fast_matching.match_queue): the first run (cold caches: every
  member's hours converted with zoneinfo) and the median of --runs more (target <= 2 s);
- its total fit beside a greedy first-come baseline (each request in arrival order takes its
  best mentor with spare) and an upper bound (each request's best fit, capacity ignored);
- the reference path (match_requests + request_fit, pair by pair) on a slice, with the same
  total: the fast path is the same problem, not a different one;
- one new request's best mentor (bot.core.mentoring.queue.best_mentor) against all mentors,
  p50 / p99 over --on-demand requests whose hours were never seen (target p99 <= 20 ms).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answering import content_dir
from bot.config import Settings
from bot.core.knowledge import KnowledgeBase
from bot.core.mentoring.availability import Availability, parse_availability
from bot.core.mentoring.fit import FitContext, LearnerRequest, Mentor, pair_of, related_topics
from bot.core.mentoring.matching import FIT_RESOLUTION
from bot.core.mentoring.queue import ReferenceMatcher, best_mentor
from bot.fast_matching import CandidateFits, candidate_fits, match_queue
from bot.solvers import LibrarySolver
from bot.storage.content import load_knowledge

ZONES = (
    "UTC", "Europe/London", "Europe/Berlin", "Europe/Kyiv", "America/New_York",
    "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata",
    "Asia/Kathmandu", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Africa/Lagos",
    "Pacific/Auckland",
)  # fmt: skip
DAYS = ("Mon-Fri", "Mon-Thu", "Tue/Thu", "Mon/Wed/Fri", "weekdays", "Sat", "Sun", "weekends")
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
WEEK = date(2026, 11, 2)  # the week after Europe and North America leave summer time


def hours(rng: random.Random) -> str:
    """Return a member's weekly hours as they might type them: one to four items."""
    items = []
    for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
        days = rng.choice(DAYS)
        start = rng.choice((6, 7, 8, 9, 12, 17, 18, 19, 20, 21, 22)) * 60
        start += rng.choice((0, 0, 0, 30)) if rng.random() < 0.9 else rng.randrange(60)
        length = rng.choice((30, 60, 60, 90, 120, 120, 180, 240))
        end = (start + length) % (24 * 60)
        items.append(f"{days} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}")
    return ", ".join(items)


def availability(rng: random.Random) -> Availability:
    """Return random weekly hours in one of the zones."""
    return parse_availability(hours(rng), rng.choice(ZONES))


def people(
    knowledge: KnowledgeBase, learners: int, mentors: int, seed: int
) -> tuple[list[LearnerRequest], list[Mentor], FitContext]:
    """Return a shuffled queue of requests, the mentors, and blocks and recent meetings."""
    rng = random.Random(seed)
    team = [mentor(knowledge, rng, number) for number in range(mentors)]
    queue = requests(knowledge, rng, learners, "learner")
    some = range(max(learners // 20, 1))
    blocked = {pair_of(rng.choice(queue).member_id, rng.choice(team).member_id) for _ in some}
    met = {pair_of(rng.choice(queue).member_id, rng.choice(team).member_id) for _ in some}
    return queue, team, FitContext(related_topics(knowledge), WEEK, blocked, met)


def stages(knowledge: KnowledgeBase) -> dict[str, int]:
    """Return each topic's stage index on the canonical path."""
    return {t: i for i, stage in enumerate(knowledge.stages) for t in stage.topics}


def mentor(knowledge: KnowledgeBase, rng: random.Random, number: int) -> Mentor:
    """Return a mentor with 1-6 topics up to their level, capacity 1-3, some already busy."""
    stage_of = stages(knowledge)
    last = len(knowledge.stages) - 1
    level = min(last, max(1, round(rng.triangular(1, last + 1, last))))
    known = [t.id for t in knowledge.topics if stage_of.get(t.id, last + 1) <= level]
    capacity = rng.randint(1, 3)
    active = rng.randint(0, capacity - 1) if rng.random() < 0.3 else 0
    offered = frozenset(rng.sample(known, rng.randint(1, 6)))
    return Mentor(f"mentor{number}", offered, level, availability(rng), capacity, active)


def requests(
    knowledge: KnowledgeBase, rng: random.Random, count: int, prefix: str
) -> list[LearnerRequest]:
    """Return count requests, early and popular topics favoured, in shuffled order."""
    stage_of = stages(knowledge)
    topics = [t.id for t in knowledge.topics if t.id in stage_of]
    popularity = [rng.paretovariate(1.2) / (1 + stage_of[t]) for t in topics]
    queue = []
    for number in range(count):
        topic = rng.choices(topics, popularity)[0]
        stage = max(0, stage_of[topic] - rng.choice((0, 0, 0, 1)))
        at = START + timedelta(minutes=number * 3 + rng.randrange(3))
        queue.append(LearnerRequest(f"{prefix}{number}", topic, stage, availability(rng), at))
    rng.shuffle(queue)  # the queue is sorted by requested_at inside, not here
    return queue


def greedy_first_come(fits: CandidateFits) -> tuple[int, int]:
    """Return (total units, matched) when each request, oldest first, takes its best free mentor."""
    spare = [mentor.spare for mentor in fits.mentors]
    order = sorted(range(len(fits.rank)), key=lambda i: (fits.rank[i], -fits.units[i]))
    total = matched = 0
    taken = -1
    for i in order:
        rank, mentor = int(fits.rank[i]), int(fits.mentor[i])
        if rank != taken and spare[mentor] > 0:
            spare[mentor] -= 1
            total, matched, taken = total + int(fits.units[i]), matched + 1, rank
    return total, matched


def upper_bounds(fits: CandidateFits) -> tuple[int, int]:
    """Return two totals no matching beats: each request's best fit (capacity ignored), and
    each mentor's spare places filled with their best-fitting requests (reused freely)."""
    best: dict[int, int] = {}
    taken: dict[int, list[int]] = {}
    for rank, column, units in zip(
        fits.rank.tolist(), fits.mentor.tolist(), fits.units.tolist(), strict=True
    ):
        best[rank] = max(best.get(rank, 0), units)
        taken.setdefault(column, []).append(units)
    places = sum(
        sum(sorted(units, reverse=True)[: fits.mentors[column].spare])
        for column, units in taken.items()
    )
    return sum(best.values()), places


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def units_of(pairs: Sequence[tuple[LearnerRequest, str]], fits: CandidateFits) -> int:
    """Return the total quantised fit of the pairs, read from fits."""
    rank_of = {id(request): rank for rank, request in enumerate(fits.queue)}
    column_of = {mentor.member_id: column for column, mentor in enumerate(fits.mentors)}
    pairs_at = zip(fits.rank.tolist(), fits.mentor.tolist(), strict=True)
    table = dict(zip(pairs_at, fits.units.tolist(), strict=True))
    return sum(table[rank_of[id(request)], column_of[mentor]] for request, mentor in pairs)


def main(seed: int, learners: int, mentors: int, runs: int, on_demand: int, check: int) -> None:
    knowledge = load_knowledge(content_dir(Settings()))
    queue, team, context = people(knowledge, learners, mentors, seed)
    slots = sum(mentor.spare for mentor in team)
    print(f"seed {seed}: {learners:,} requests, {mentors:,} mentors ({slots:,} free places), "
          f"{len(knowledge.topics)} topics, {len(ZONES)} zones")  # fmt: skip

    began = time.perf_counter()
    result = match_queue(queue, team, context)
    cold = time.perf_counter() - began
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        again = match_queue(queue, team, context)
        times.append(time.perf_counter() - began)
        assert again == result
    print(f"full matching: first run (cold caches) {cold:.2f} s; median of {runs} more "
          f"{statistics.median(times):.2f} s  (target <= 2 s)")  # fmt: skip

    began = time.perf_counter()
    fits = candidate_fits(queue, team, context)
    scoring = time.perf_counter() - began
    optimal = units_of(result.pairs, fits)
    greedy, greedy_matched = greedy_first_come(fits)
    by_request, by_mentor = upper_bounds(fits)
    bound = min(by_request, by_mentor)
    print(f"  of which scoring {len(fits.rank):,} candidate pairs: {scoring:.2f} s")
    print(
        f"total fit (in fit units, {len(result.pairs):,} matched): optimal "
        f"{optimal / FIT_RESOLUTION:,.1f} | greedy first-come {greedy / FIT_RESOLUTION:,.1f} "
        f"({greedy_matched:,} matched; optimal/greedy {optimal / greedy:.3f}x)"
    )
    print(f"  upper bounds: each request's best fit, capacity ignored "
          f"{by_request / FIT_RESOLUTION:,.1f}; each mentor's places filled with their best "
          f"requests, reused {by_mentor / FIT_RESOLUTION:,.1f}; optimal is "
          f"{optimal / bound:.1%} of the lower bound")  # fmt: skip

    if check:
        part, few = queue[:check], team[: max(check // 10, 1)]
        began = time.perf_counter()
        reference = ReferenceMatcher(LibrarySolver()).match(part, few, context)
        slow = time.perf_counter() - began
        began = time.perf_counter()
        fast = match_queue(part, few, context)
        quick = time.perf_counter() - began
        small = candidate_fits(part, few, context)
        same = units_of(reference.pairs, small) == units_of(fast.pairs, small)
        print(f"reference path on {len(part):,} x {len(few):,}: {slow:.2f} s, fast "
              f"{quick * 1000:.0f} ms; same total fit: {same} "
              f"({units_of(fast.pairs, small) / FIT_RESOLUTION:,.1f})")  # fmt: skip
        assert same and len(reference.pairs) == len(fast.pairs)

    newcomers = requests(knowledge, random.Random(seed + 1), on_demand, "newcomer")
    latencies = []
    found = 0
    for request in newcomers:
        began = time.perf_counter()
        best = best_mentor(request, team, context)
        latencies.append((time.perf_counter() - began) * 1000)
        found += best is not None
    print(f"on demand, one new request against {mentors:,} mentors ({on_demand:,} requests, "
          f"{found:,} with a mentor): p50 {percentile(latencies, 0.5):.2f} ms  "
          f"p99 {percentile(latencies, 0.99):.2f} ms  (target p99 <= 20 ms)")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--mentors", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the first")
    parser.add_argument("--on-demand", type=int, default=1_000, help="single requests timed")
    parser.add_argument("--check", type=int, default=1_000, help="requests on the reference path")
    arguments = parser.parse_args()
    main(
        arguments.seed,
        arguments.learners,
        arguments.mentors,
        arguments.runs,
        arguments.on_demand,
        arguments.check,
    )
