"""Mentoring: fit scores, capacity-respecting optimal matching, and fair, reproducible rounds."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.mentoring import matching
from bot.core.mentoring.availability import Availability, parse_availability
from bot.core.mentoring.fit import (
    FitContext,
    LearnerRequest,
    Mentor,
    pair_of,
    related_topics,
    request_fit,
)
from bot.core.mentoring.matching import Assignment, RequestFit, RoundResult, quantised
from bot.solvers import LibrarySolver
from tests.core.small_kb import small_kb

SOLVER = LibrarySolver()  # the bot's own: SciPy's assignment, networkx's blossom matching


def match_requests(
    requests: Sequence[LearnerRequest], mentors: Sequence[Mentor], fit: RequestFit
) -> Assignment:
    """Match with the bot's solver."""
    return matching.match_requests(requests, mentors, fit, SOLVER)


def pair_round(*args: Any, **kwargs: Any) -> RoundResult:
    """Run a round with the bot's solver."""
    return matching.pair_round(*args, solver=SOLVER, **kwargs)


NOWHERE = Availability("UTC", ())
START = datetime(2026, 6, 1, tzinfo=UTC)
WEEK = date(2026, 6, 1)


def request(
    index: int, topic: str = "http", stage: int = 1, hours: Availability = NOWHERE
) -> LearnerRequest:
    return LearnerRequest(f"learner{index}", topic, stage, hours, START + timedelta(minutes=index))


def mentor(index: int, capacity: int = 1, active: int = 0, **more: object) -> Mentor:
    fields: dict[str, object] = {"topics": frozenset({"http"}), "level": 1, "availability": NOWHERE}
    fields.update(more)
    return Mentor(f"mentor{index}", capacity=capacity, active=active, **fields)  # type: ignore[arg-type]


# Fit scores


def context(**more: object) -> FitContext:
    return FitContext(related=related_topics(small_kb()), week=WEEK, **more)  # type: ignore[arg-type]


def test_the_exact_topic_beats_a_related_one_and_an_unrelated_one_is_never_proposed() -> None:
    wanted = request(0, topic="http")
    exact = request_fit(wanted, mentor(1, topics=frozenset({"http"})), context())
    prerequisite = request_fit(wanted, mentor(2, topics=frozenset({"basics"})), context())
    assert exact is not None and prerequisite is not None and exact > prerequisite
    assert request_fit(wanted, mentor(3, topics=frozenset({"cooking"})), context()) is None


def test_related_topics_are_prerequisites_unlocks_and_path_neighbours() -> None:
    related = related_topics(small_kb())
    assert related("apis", "http") and related("http", "apis") and related("basics", "git")
    assert not related("http", "http") and not related("git", "apis")


def test_a_mentor_behind_the_learners_stage_or_full_is_never_proposed() -> None:
    assert request_fit(request(0, stage=2), mentor(1, level=1), context()) is None
    assert request_fit(request(0), mentor(1, capacity=2, active=2), context()) is None


def test_blocked_and_recent_pairs_are_never_proposed() -> None:
    pair = pair_of("learner0", "mentor1")
    assert request_fit(request(0), mentor(1), context(blocked={pair})) is None
    assert request_fit(request(0), mentor(1), context(met_recently={pair})) is None
    assert request_fit(request(0), mentor(1), context()) is not None


def test_shared_hours_and_spare_capacity_raise_the_fit() -> None:
    evening = parse_availability("Mon 18:00-20:00", "Europe/Berlin")
    with_hours = request_fit(request(0, hours=evening), mentor(1, availability=evening), context())
    without = request_fit(request(0, hours=evening), mentor(1), context())
    roomy = request_fit(request(0), mentor(1, capacity=3), context())
    busy = request_fit(request(0), mentor(1, capacity=3, active=2), context())
    assert with_hours is not None and without is not None and with_hours > without
    assert roomy is not None and busy is not None and roomy > busy


# Requests to mentors


@st.composite
def matching_cases(draw: st.DrawFn) -> tuple[list[LearnerRequest], list[Mentor], dict]:
    requests = [request(index) for index in range(draw(st.integers(0, 6)))]
    mentors = []
    for index in range(draw(st.integers(0, 4))):
        capacity = draw(st.integers(1, 3))
        mentors.append(mentor(index, capacity, draw(st.integers(0, capacity))))
    scores = st.one_of(st.none(), st.integers(0, 100).map(lambda hundredths: hundredths / 100))
    table = {(r.member_id, m.member_id): draw(scores) for r in requests for m in mentors}
    return requests, mentors, table


def brute_force_best(requests: list[LearnerRequest], mentors: list[Mentor], table: dict) -> int:
    best = 0
    for choice in itertools.product([None, *mentors], repeat=len(requests)):
        load = Counter(m.member_id for m in choice if m is not None)
        if any(load[m.member_id] > m.spare for m in mentors):
            continue
        scores = [
            table[r.member_id, m.member_id]
            for r, m in zip(requests, choice, strict=True)
            if m is not None
        ]
        if None not in scores:
            best = max(best, sum(quantised(score) for score in scores))
    return best


@settings(max_examples=150, deadline=None)
@given(matching_cases())
def test_the_assignment_is_optimal_within_capacity_and_never_blocked(case: tuple) -> None:
    requests, mentors, table = case
    result = match_requests(requests, mentors, lambda r, m: table[r.member_id, m.member_id])
    load = Counter(mentor_id for _, mentor_id in result.pairs)
    assert all(load[m.member_id] <= m.spare for m in mentors)
    assert all(table[r.member_id, mentor_id] is not None for r, mentor_id in result.pairs)
    matched = [r for r, _ in result.pairs]
    assert sorted(matched + list(result.unmatched), key=lambda r: r.member_id) == sorted(
        requests, key=lambda r: r.member_id
    )
    assert list(result.unmatched) == sorted(result.unmatched, key=lambda r: r.requested_at)
    total = sum(quantised(table[r.member_id, mentor_id]) for r, mentor_id in result.pairs)
    assert total == brute_force_best(requests, mentors, table)


def test_with_too_few_places_the_oldest_of_equally_fitting_requests_wins() -> None:
    requests = [request(index) for index in (3, 1, 2)]
    result = match_requests(requests, [mentor(0)], lambda r, m: 0.5)
    assert [r.member_id for r, _ in result.pairs] == ["learner1"]
    assert [r.member_id for r in result.unmatched] == ["learner2", "learner3"]


def test_a_better_total_beats_first_come_first_served() -> None:
    # learner0 is older and fits both mentors a little better than learner1 fits mentor0, but
    # only mentor0 takes learner1: the total is best when learner0 goes to mentor1.
    table = {
        ("learner0", "mentor0"): 0.9,
        ("learner0", "mentor1"): 0.8,
        ("learner1", "mentor0"): 0.7,
    }
    result = match_requests(
        [request(0), request(1)],
        [mentor(0), mentor(1)],
        lambda r, m: table.get((r.member_id, m.member_id)),
    )
    assert {(r.member_id, m) for r, m in result.pairs} == {
        ("learner0", "mentor1"),
        ("learner1", "mentor0"),
    }


def test_nothing_to_match_leaves_every_request_waiting() -> None:
    assert match_requests([request(0)], [mentor(0, active=1)], lambda r, m: 1.0).unmatched == (
        request(0),
    )
    assert match_requests([], [mentor(0)], lambda r, m: 1.0).pairs == ()


# Rounds


def names(count: int) -> list[str]:
    return [f"m{index:02d}" for index in range(count)]


def outcomes(result: RoundResult) -> Counter[str]:
    return Counter([*(member for group in result.groups for member in group), *result.sat_out])


@st.composite
def round_cases(draw: st.DrawFn) -> tuple[list[str], list[frozenset[str]], int, str]:
    members = names(draw(st.integers(0, 13)))
    candidates = [pair_of(a, b) for a, b in itertools.combinations(members, 2)]
    blocked = draw(st.lists(st.sampled_from(candidates), max_size=8)) if candidates else []
    return members, blocked, draw(st.integers(0, 2**32)), draw(st.sampled_from(["trio", "sit_out"]))


@settings(max_examples=60, deadline=None)
@given(round_cases(), st.integers(1, 4))
def test_every_member_gets_exactly_one_outcome_and_no_blocked_pair_meets(
    case: tuple, rounds: int
) -> None:
    members, blocked, seed, odd = case
    history: list[RoundResult] = []
    for number in range(rounds):
        result = pair_round(members, history, blocked, seed + number, odd=odd)  # type: ignore[arg-type]
        assert outcomes(result) == Counter(members)
        for group in result.groups:
            assert 2 <= len(group) <= 3
            assert not any(
                pair_of(a, b) in set(blocked) for a, b in itertools.combinations(group, 2)
            )
        if not blocked:  # blocks may leave more without a partner
            alone = len(members) % 2 if odd == "sit_out" or len(members) < 3 else 0
            assert len(result.sat_out) == alone
        history.append(result)


def test_sit_outs_rotate_fairly_over_many_rounds() -> None:
    for size in (3, 5, 7, 17):
        history: list[RoundResult] = []
        for number in range(size * 3 + 2):
            history.append(pair_round(names(size), history, (), number, odd="sit_out"))
        counts = Counter(member for past in history for member in past.sat_out)
        assert sum(counts.values()) == size * 3 + 2
        spread = [counts[member] for member in names(size)]
        assert max(spread) - min(spread) <= 1


def test_who_joins_a_trio_rotates_fairly_too() -> None:
    history: list[RoundResult] = []
    for number in range(15):
        history.append(pair_round(names(5), history, (), number, odd="trio"))
    assert all(not past.sat_out for past in history)
    joined = Counter(group[-1] for past in history for group in past.groups if len(group) == 3)
    assert sorted(joined[member] for member in names(5)) == [3] * 5


def test_a_pair_from_the_last_round_is_not_repeated_when_another_pairing_exists() -> None:
    for size in (4, 6, 8, 10):
        history: list[RoundResult] = []
        for number in range(12):
            result = pair_round(names(size), history, (), number)
            if history:
                assert not {frozenset(g) for g in result.groups} & {
                    frozenset(g) for g in history[-1].groups
                }
            history.append(result)


def test_a_small_group_that_met_everyone_pairs_with_the_least_recently_met() -> None:
    a, b, c, d = names(4)
    history = [
        RoundResult(((a, b), (c, d))),
        RoundResult(((a, c), (b, d))),
        RoundResult(((a, d), (b, c))),
    ]
    result = pair_round([a, b, c, d], history, (), seed=7)
    assert {frozenset(g) for g in result.groups} == {frozenset((a, b)), frozenset((c, d))}


def test_seventeen_members_keep_pairing_long_after_everyone_has_met() -> None:
    history: list[RoundResult] = []
    for number in range(40):
        result = pair_round(names(17), history, (), number)
        assert outcomes(result) == Counter(names(17)) and not result.sat_out
        assert sorted(len(group) for group in result.groups) == [2] * 7 + [3]
        history.append(result)


def test_the_best_fitting_pairs_form_when_nobody_has_met() -> None:
    a, b, c, d = names(4)
    liked = {frozenset((a, d)), frozenset((b, c))}
    result = pair_round(
        [a, b, c, d], [], (), seed=1, fit=lambda x, y: 1.0 if pair_of(x, y) in liked else 0.0
    )
    assert {frozenset(g) for g in result.groups} == liked


def test_a_member_blocked_with_everyone_sits_out_instead_of_breaking_the_round() -> None:
    a, b, c, d = names(4)
    blocked = [pair_of(a, other) for other in (b, c, d)]
    result = pair_round([a, b, c, d], [], blocked, seed=3)
    assert result.sat_out == (a,) and outcomes(result) == Counter([a, b, c, d])


@given(st.integers(0, 25), st.integers(0, 2**32))
def test_the_same_seed_gives_the_same_round(size: int, seed: int) -> None:
    history = [pair_round(names(size), [], (), seed + 1)]
    assert pair_round(names(size), history, (), seed) == pair_round(
        list(reversed(names(size))), history, (), seed
    )
