"""Which prompt a channel gets next: its pool, a rotation over topics or stages, no repeats.

The caller stores the history (the cycle number, the ids posted in it, the last id posted);
everything here is a pure function of it, so two processes, and `prompt preview`, agree on
the choice. A cycle ends when every prompt of the pool has been posted once; the next choice
starts a new cycle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from bot.core.knowledge import Stage
from bot.core.prompts.bank import DIFFICULTIES, Difficulty, Prompt

# Warn moderators when this many prompts (days) or fewer are left before the pool repeats.
LOW_POOL_DAYS: Final = 7


@dataclass(frozen=True, slots=True)
class PromptFilter:
    """Which prompts a channel wants; an empty set means any."""

    difficulties: frozenset[Difficulty] = frozenset()
    topics: frozenset[str] = frozenset()  # a prompt matches if any of its topics is here


@dataclass(frozen=True, slots=True)
class CycleState:
    """What the caller stored about a channel's posts (the state before the next choice)."""

    cycle: int = 0  # the number of the current cycle
    used: frozenset[str] = frozenset()  # ids posted in the current cycle
    last_id: str | None = None  # the last prompt posted, in this cycle or an earlier one


@dataclass(frozen=True, slots=True)
class Choice:
    """The prompt to post next, and where it puts the channel's rotation."""

    prompt: Prompt
    cycle: int  # the cycle this post belongs to
    new_cycle: bool  # every prompt of the pool had been used: this one starts `cycle`
    turn: str  # the topic (or, with no topics configured, the stage) whose turn it is


@dataclass(frozen=True, slots=True)
class NoMatch:
    """No prompt can be chosen; reason says why, in words a moderator can act on."""

    reason: str


def pool(
    prompts: Iterable[Prompt], wanted: PromptFilter, retired: Collection[str] = ()
) -> tuple[Prompt, ...]:
    """Return the prompts matching wanted, minus retired ids, in the order given."""
    return tuple(p for p in prompts if p.id not in retired and _matches(p, wanted))


def remaining(pool: Iterable[Prompt], used: Collection[str]) -> int:
    """Return how many prompts of the pool the current cycle has not posted yet."""
    return sum(1 for p in pool if p.id not in used)


def choose_prompt(
    prompts: Iterable[Prompt],
    wanted: PromptFilter,
    state: CycleState,
    *,
    channel: str,
    stages: Sequence[Stage],
    retired: Collection[str] = (),
) -> Choice | NoMatch:
    """Return the prompt channel gets next, or why there is none.

    The turn goes round the configured topics (in the path's order), or round the stages when
    none are configured, starting after the last prompt's turn and skipping a turn with no
    unused prompt. Within a turn the pick is a shuffle seeded by channel and cycle, so the
    order of `prompts` does not matter.
    """
    everything = tuple(prompts)
    chosen_from = pool(everything, wanted, retired)
    if not chosen_from:
        return NoMatch(_no_match_reason(everything, wanted, stages))
    cycle, new_cycle = state.cycle, False
    unused = [p for p in chosen_from if p.id not in state.used]
    if not unused:
        cycle, new_cycle = cycle + 1, True
        # Do not open a cycle with the prompt that closed the last one, if there is another.
        unused = [p for p in chosen_from if p.id != state.last_id] or list(chosen_from)
    turn_of = _turn_function(wanted, stages)
    order = _turn_order({turn_of(p) for p in chosen_from}, wanted, stages)
    last = next((p for p in everything if p.id == state.last_id), None)
    start = (order.index(turn_of(last)) + 1) if last and turn_of(last) in order else 0
    for step in range(len(order)):
        turn = order[(start + step) % len(order)]
        candidates = [p for p in unused if turn_of(p) == turn]
        if candidates:
            prompt = min(candidates, key=lambda p: _rank(channel, cycle, p.id))
            return Choice(prompt, cycle, new_cycle, turn)
    raise AssertionError("every unused prompt has a turn in the order")  # pragma: no cover


def advance(state: CycleState, choice: Choice) -> CycleState:
    """Return the state to store once choice has been posted."""
    used = frozenset() if choice.new_cycle else state.used
    return CycleState(choice.cycle, used | {choice.prompt.id}, choice.prompt.id)


def _matches(prompt: Prompt, wanted: PromptFilter) -> bool:
    if wanted.difficulties and prompt.difficulty not in wanted.difficulties:
        return False
    return not wanted.topics or not wanted.topics.isdisjoint(prompt.topics)


def _turn_function(wanted: PromptFilter, stages: Sequence[Stage]) -> Callable[[Prompt], str]:
    """Return the function giving a prompt's turn: a configured topic, or a stage."""
    if wanted.topics:
        # The main topic when it is configured, else the first of its topics that is: a
        # prompt's turn is one topic, so the round-robin can tell where it stands.
        return lambda p: next((t for t in p.topics if t in wanted.topics), p.topics[0])
    stage_of = {topic: stage.id for stage in stages for topic in stage.topics}
    # A topic outside the path (a custom prompt's, later) takes its own turn after the stages.
    return lambda p: stage_of.get(p.topics[0], p.topics[0])


def _turn_order(turns: set[str], wanted: PromptFilter, stages: Sequence[Stage]) -> list[str]:
    """Return the turns in the path's order; sets are never iterated for an order."""
    if wanted.topics:
        path = [topic for stage in stages for topic in stage.topics]
    else:
        path = [stage.id for stage in stages]
    known = [turn for turn in path if turn in turns]
    return known + sorted(turns.difference(known))


def _rank(channel: str, cycle: int, prompt_id: str) -> bytes:
    # A stable hash (not hash(), which changes per process) ranks each prompt per cycle.
    return hashlib.sha256(f"{channel}\0{cycle}\0{prompt_id}".encode()).digest()


def _no_match_reason(
    prompts: Sequence[Prompt], wanted: PromptFilter, stages: Sequence[Stage]
) -> str:
    parts = []
    if wanted.difficulties:
        levels = [d for d in DIFFICULTIES if d in wanted.difficulties]
        parts.append("difficulty " + " or ".join(levels))
    if wanted.topics:
        topics = _turn_order(set(wanted.topics), wanted, stages)
        parts.append(("topic " if len(topics) == 1 else "topics ") + " or ".join(topics))
    if not parts:
        reason = "the prompt bank has no prompts"
    else:
        reason = "no prompts match " + " and ".join(parts)
    if any(_matches(p, wanted) for p in prompts):
        reason += " (the ones that did are retired)"
    return reason
