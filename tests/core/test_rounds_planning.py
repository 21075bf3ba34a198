"""Who is in a round, with in-memory fakes: opted in, snoozed, skipping, paused, left, blocked."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time

from bot.core.mentoring.fit import Pair, pair_of
from bot.core.mentoring.matching import RoundResult
from bot.core.mentoring.rounds.planning import IGNORED_LIMIT, RoundPlanner
from bot.core.mentoring.rounds.ports import PairingChannel, PairingSettings, Participant
from bot.core.mentoring.rounds.schedule import RoundSchedule, due_at
from bot.core.messages import Platform
from bot.solvers import LibrarySolver

NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
DAY = date(2026, 6, 1)
SCHEDULE = RoundSchedule(1, 0, time(18, 0), "Europe/Berlin")
CHANNEL = PairingChannel(1, PairingSettings(Platform.DISCORD, "g1", "c1", SCHEDULE), True, 3,
                         DAY, due_at(SCHEDULE, DAY))  # fmt: skip


@dataclass
class FakeMembers:
    """PairingMembers in a dict (only what the planner uses)."""

    people: dict[str, Participant]
    paused: list[str] = field(default_factory=list)

    async def opted_in(self, channel_id: int) -> list[Participant]:
        return [p for p in self.people.values() if p.opted_in]

    async def pause(self, channel_id: int, user_id: str, now: datetime) -> bool:
        if self.people[user_id].paused_at is not None:
            return False
        self.people[user_id] = replace(self.people[user_id], paused_at=now)
        self.paused.append(user_id)
        return True


@dataclass
class FakeRounds:
    """PairingRounds' history and ignored counts (only what the planner uses)."""

    ignored_by: dict[str, int] = field(default_factory=dict)
    past: list[RoundResult] = field(default_factory=list)

    async def ignored(self, channel_id: int, user_id: str, since: datetime | None) -> int:
        return self.ignored_by.get(user_id, 0)

    async def history(self, channel_id: int, rounds: int) -> list[RoundResult]:
        return self.past[-rounds:]


@dataclass
class FakeBlocks:
    pairs: set[Pair] = field(default_factory=set)

    async def pairs_among(self, platform: Platform, member_ids: Collection[str]) -> set[Pair]:
        return {pair for pair in self.pairs if pair <= set(member_ids)}


@dataclass
class FakeMembership:
    answers: dict[str, bool | None] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    async def is_member(self, space_id: str, user_id: str) -> bool | None:
        self.asked.append(user_id)
        return self.answers.get(user_id, True)


def person(user: str, **standing: object) -> Participant:
    return Participant(user, user.title(), True, **standing)  # type: ignore[arg-type]


def planner(members: FakeMembers, rounds: FakeRounds | None = None,
            membership: FakeMembership | None = None,
            blocks: FakeBlocks | None = None) -> RoundPlanner:  # fmt: skip
    checks = {Platform.DISCORD: membership or FakeMembership()}
    return RoundPlanner(members, rounds or FakeRounds(), blocks or FakeBlocks(),  # type: ignore[arg-type]
                        checks, LibrarySolver())  # fmt: skip


def test_taking_part_is_opted_in_not_snoozed_not_skipping_not_paused() -> None:
    assert person("a").takes_part(3, DAY)
    assert not replace(person("a"), opted_in=False).takes_part(3, DAY)
    assert not person("a", snoozed_until=date(2026, 6, 2)).takes_part(3, DAY)
    assert person("a", snoozed_until=DAY).takes_part(3, DAY)  # ends by itself on its date
    assert not person("a", skip_number=3).takes_part(3, DAY)
    assert person("a", skip_number=2).takes_part(3, DAY)  # a skip is for one round only
    assert not person("a", paused_at=NOW).takes_part(3, DAY)


async def test_eligibility_leaves_out_who_left_and_keeps_who_is_unknown() -> None:
    members = FakeMembers({u: person(u) for u in ("a", "b", "c", "d")})
    membership = FakeMembership({"b": False, "c": None})
    found = await planner(members, membership=membership).eligible(CHANNEL, 3, DAY, NOW,
                                                                   dry_run=False)  # fmt: skip
    assert [m.user_id for m in found.members] == ["a", "c", "d"]
    assert found.left_server == ("b",)


async def test_ignoring_three_rounds_pauses_once_and_a_dry_run_pauses_nobody() -> None:
    members = FakeMembers({u: person(u) for u in ("a", "b", "c")})
    rounds = FakeRounds({"b": IGNORED_LIMIT, "c": IGNORED_LIMIT - 1})
    dry = await planner(members, rounds).eligible(CHANNEL, 3, DAY, NOW, dry_run=True)
    assert [m.user_id for m in dry.members] == ["a", "c"] and members.paused == []
    assert [m.user_id for m in dry.paused] == ["b"]
    real = await planner(members, rounds).eligible(CHANNEL, 3, DAY, NOW, dry_run=False)
    assert [m.user_id for m in real.newly_paused] == ["b"]
    again = await planner(members, rounds).eligible(CHANNEL, 3, DAY, NOW, dry_run=False)
    assert again.newly_paused == () and members.paused == ["b"]  # told once


async def test_the_plan_honours_blocks_among_those_in_and_moves_the_channel_on() -> None:
    members = FakeMembers({u: person(u) for u in ("a", "b", "c", "d")})
    blocks = FakeBlocks({pair_of("a", "b"), pair_of("a", "c"), pair_of("x", "y")})
    plan = planner(members, blocks=blocks)
    eligibility = await plan.eligible(CHANNEL, 3, DAY, NOW, dry_run=True)
    planned = await plan.plan(CHANNEL, eligibility, seed=5)
    assert planned.blocked == {pair_of("a", "b"), pair_of("a", "c")}  # only those in the round
    assert {frozenset(g) for g in planned.result.groups} == {pair_of("a", "d"), pair_of("b", "c")}
    assert planned.next_day == date(2026, 6, 8) and planned.members == ("a", "b", "c", "d")
