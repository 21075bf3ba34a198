"""Choosing the next daily prompt: pools, cycles without repeats, rotation and determinism."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.knowledge import Stage
from bot.core.prompts.bank import DIFFICULTIES, Difficulty, Prompt
from bot.core.prompts.selection import (
    Choice,
    CycleState,
    NoMatch,
    PromptFilter,
    advance,
    choose_prompt,
    pool,
    remaining,
)

STAGES = (
    Stage("foundations", "Foundations", ("basics", "git", "linux")),
    Stage("web", "Web", ("http", "html")),
    Stage("backend", "Backend", ("sql", "apis", "caching")),
)
TOPICS = [topic for stage in STAGES for topic in stage.topics]


def prompt(id: str, difficulty: Difficulty, *topics: str) -> Prompt:
    return Prompt(id, id.title(), f"Do {id}.", difficulty, tuple(topics))


BANK = (
    prompt("git-log", "easy", "git"),
    prompt("git-bisect", "hard", "git", "linux"),
    prompt("bash-loop", "easy", "linux", "basics"),
    prompt("curl-headers", "easy", "http"),
    prompt("http-cache", "medium", "http", "caching"),
    prompt("sql-join", "medium", "sql"),
    prompt("rest-design", "hard", "apis", "http"),
    prompt("hello-world", "easy", "basics"),
)


def run(
    prompts: Sequence[Prompt],
    wanted: PromptFilter,
    days: int,
    *,
    channel: str = "c1",
    state: CycleState | None = None,
) -> list[Choice]:
    """Choose and post for `days` days, storing the history the way the caller would."""
    state = state or CycleState()
    choices = []
    for _ in range(days):
        choice = choose_prompt(prompts, wanted, state, channel=channel, stages=STAGES)
        assert isinstance(choice, Choice)
        choices.append(choice)
        state = advance(state, choice)
    return choices


def test_the_pool_filters_by_difficulty_topic_and_retired_ids() -> None:
    wanted = PromptFilter(frozenset({"easy", "medium"}), frozenset({"http", "linux"}))
    ids = [p.id for p in pool(BANK, wanted, retired={"curl-headers"})]
    assert ids == ["bash-loop", "http-cache"]  # a secondary topic matches too
    assert len(pool(BANK, PromptFilter())) == len(BANK)


def test_an_empty_pool_says_why() -> None:
    wanted = PromptFilter(frozenset({"hard"}), frozenset({"sql"}))
    result = choose_prompt(BANK, wanted, CycleState(), channel="c1", stages=STAGES)
    assert result == NoMatch("no prompts match difficulty hard and topic sql")
    wanted = PromptFilter(frozenset({"hard", "easy"}), frozenset({"sql", "basics"}))
    result = choose_prompt(BANK[:1], wanted, CycleState(), channel="c1", stages=STAGES)
    assert result == NoMatch("no prompts match difficulty easy or hard and topics basics or sql")


def test_an_empty_pool_names_retired_prompts_and_an_empty_bank() -> None:
    wanted = PromptFilter(topics=frozenset({"sql"}))
    result = choose_prompt(
        BANK, wanted, CycleState(), channel="c1", stages=STAGES, retired={"sql-join"}
    )
    assert result == NoMatch("no prompts match topic sql (the ones that did are retired)")
    result = choose_prompt((), PromptFilter(), CycleState(), channel="c1", stages=STAGES)
    assert result == NoMatch("the prompt bank has no prompts")


def test_a_cycle_uses_every_prompt_once_then_a_new_one_is_flagged() -> None:
    choices = run(BANK, PromptFilter(), len(BANK) * 3)
    for n in range(3):
        cycle = choices[n * len(BANK) : (n + 1) * len(BANK)]
        assert sorted(c.prompt.id for c in cycle) == sorted(p.id for p in BANK)
        assert {c.cycle for c in cycle} == {n}
        assert [c.new_cycle for c in cycle] == [n > 0] + [False] * (len(BANK) - 1)


def test_remaining_counts_what_is_left_before_the_pool_repeats() -> None:
    choices = run(BANK, PromptFilter(), 5)
    used = {c.prompt.id for c in choices}
    assert remaining(BANK, used) == len(BANK) - 5
    assert remaining(BANK, used | {"not-in-the-pool"}) == len(BANK) - 5


def test_without_topics_the_turn_goes_round_the_stages() -> None:
    choices = run(BANK, PromptFilter(), 6)
    assert [c.turn for c in choices] == ["foundations", "web", "backend"] * 2


def test_topics_take_turns_in_the_path_order() -> None:
    wanted = PromptFilter(topics=frozenset({"http", "git", "sql"}))
    choices = run(BANK, wanted, 3)
    assert [c.turn for c in choices] == ["git", "http", "sql"]
    # git has two prompts, sql one, http three (one as a second topic): when a topic runs
    # out the round skips it.
    rest = run(BANK, wanted, 6)
    assert [c.turn for c in rest] == ["git", "http", "sql", "git", "http", "http"]


def test_the_rotation_continues_from_the_last_prompt() -> None:
    state = CycleState(cycle=4, used=frozenset({"curl-headers"}), last_id="curl-headers")
    choice = choose_prompt(BANK, PromptFilter(), state, channel="c1", stages=STAGES)
    assert isinstance(choice, Choice) and choice.turn == "backend" and choice.cycle == 4


def test_a_new_cycle_does_not_open_with_the_prompt_that_closed_the_last() -> None:
    two = BANK[:2]  # both git prompts: the same turn
    for channel in (f"c{n}" for n in range(30)):
        choices = run(two, PromptFilter(), 10, channel=channel)
        ids = [c.prompt.id for c in choices]
        assert all(a != b for a, b in itertools.pairwise(ids))


def test_the_same_inputs_choose_the_same_prompt_and_channels_differ() -> None:
    shuffled = sorted(BANK, key=lambda p: p.title, reverse=True)
    first = [c.prompt.id for c in run(BANK, PromptFilter(), 20)]
    assert first == [c.prompt.id for c in run(tuple(shuffled), PromptFilter(), 20)]
    others = {
        tuple(c.prompt.id for c in run(BANK, PromptFilter(), 20, channel=f"c{n}"))
        for n in range(10)
    }
    assert len(others) > 1


# Property tests over random banks.

ids = st.sampled_from([f"p{n}" for n in range(40)])
prompts_strategy = (
    st.lists(
        st.builds(
            prompt,
            ids,
            st.sampled_from(DIFFICULTIES),
            st.sampled_from(TOPICS),
        ),
        max_size=25,
        unique_by=lambda p: p.id,
    )
    .flatmap(
        lambda ps: st.tuples(
            st.just(ps),
            st.lists(
                st.lists(st.sampled_from(TOPICS), max_size=2), min_size=len(ps), max_size=len(ps)
            ),
        )
    )
    .map(
        lambda pair: tuple(
            Prompt(p.id, p.title, p.body, p.difficulty, tuple(dict.fromkeys((*p.topics, *extra))))
            for p, extra in zip(*pair, strict=True)
        )
    )
)
filters = st.builds(
    PromptFilter,
    st.frozensets(st.sampled_from(DIFFICULTIES)),
    st.frozensets(st.sampled_from(TOPICS), max_size=4),
)


@settings(max_examples=150, deadline=None)
@given(prompts_strategy, filters, st.integers(1, 60), st.text(min_size=1, max_size=8))
def test_cycles_never_repeat_and_use_the_whole_pool(
    prompts: tuple[Prompt, ...], wanted: PromptFilter, days: int, channel: str
) -> None:
    matching = pool(prompts, wanted)
    state = CycleState()
    if not matching:
        result = choose_prompt(prompts, wanted, state, channel=channel, stages=STAGES)
        assert isinstance(result, NoMatch) and result.reason.startswith(("no prompts", "the"))
        return
    choices = run(prompts, wanted, days, channel=channel)
    size = len(matching)
    for n, choice in enumerate(choices):
        assert choice.cycle == n // size
        assert choice.new_cycle == (n > 0 and n % size == 0)
        assert choice.prompt in matching
    for start in range(0, days, size):
        cycle = [c.prompt.id for c in choices[start : start + size]]
        assert len(set(cycle)) == len(cycle)  # no repeat within a cycle
        if len(cycle) == size:
            assert set(cycle) == {p.id for p in matching}
    if size > 1:  # not even across a cycle boundary does a prompt follow itself
        posted = [c.prompt.id for c in choices]
        assert all(a != b for a, b in itertools.pairwise(posted))
    # Deterministic: the same inputs, in any order, choose the same prompts.
    again = run(tuple(reversed(prompts)), wanted, days, channel=channel)
    assert [c.prompt.id for c in again] == [c.prompt.id for c in choices]


@settings(max_examples=150, deadline=None)
@given(prompts_strategy, st.frozensets(st.sampled_from(TOPICS), min_size=1, max_size=5))
def test_the_round_robin_visits_each_topic_with_prompts_in_turn(
    prompts: tuple[Prompt, ...], topics: frozenset[str]
) -> None:
    wanted = PromptFilter(topics=topics)
    matching = pool(prompts, wanted)
    if not matching:
        return
    choices = run(prompts, wanted, len(matching))
    # Within one cycle, each choice takes the next topic (in path order) that has prompts
    # left: a topic is skipped only when none of its prompts is unused.
    order = [t for t in TOPICS if t in topics]
    left = {
        t: [p for p in matching if next(x for x in p.topics if x in topics) == t] for t in order
    }
    previous = None
    for choice in choices:
        start = 0 if previous is None else order.index(previous) + 1
        turns = [order[(start + k) % len(order)] for k in range(len(order))]
        expected = next(t for t in turns if left[t])
        assert choice.turn == expected
        assert choice.prompt in left[expected]
        left[expected].remove(choice.prompt)
        previous = choice.turn


CHOOSE_IN_A_NEW_PROCESS = """
from bot.core.prompts.selection import CycleState, PromptFilter, advance, choose_prompt
from tests.core.test_prompt_selection import BANK, STAGES
wanted = PromptFilter(frozenset({"easy", "medium", "hard"}), frozenset({"git", "http", "sql"}))
state, ids = CycleState(), []
for _ in range(12):
    choice = choose_prompt(BANK, wanted, state, channel="c1", stages=STAGES)
    ids.append(choice.prompt.id)
    state = advance(state, choice)
print(" ".join(ids))
"""


def test_two_processes_agree_whatever_their_hash_seed() -> None:
    # str hashes (and so set order) differ per process: the choice must not depend on them.
    outputs = {
        subprocess.run(
            [sys.executable, "-c", CHOOSE_IN_A_NEW_PROCESS],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
