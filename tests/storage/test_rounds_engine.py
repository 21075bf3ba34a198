"""The rounds engine on SQLite and PostgreSQL: one outcome each, fair rotation, exactly once.

Each anchor's reported bug has a test here: the same partner three rounds in a row, the odd
person dropped without a word, one person in two pairs, people who left the server matched,
matches on days someone snoozed or turned rounds off, and two processes running one round.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.clock import FixedClock
from bot.core.mentoring.matching import OddCount, pair_round
from bot.core.mentoring.rounds.engine import FOLLOW_UP_AFTER, RoundEngine
from bot.core.mentoring.rounds.planning import HISTORY_ROUNDS, RoundPlanner
from bot.core.mentoring.rounds.ports import PairingChannel, PairingSettings
from bot.core.mentoring.rounds.schedule import RoundSchedule, due_at, first_day
from bot.core.messages import Platform, Reply
from bot.core.ports import MemberKey
from bot.solvers import LibrarySolver
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.rounds.channels import SqlPairingChannels
from bot.storage.rounds.members import SqlPairingMembers
from bot.storage.rounds.rounds import SqlPairingRounds
from bot.storage.tables import PairingOutcomeRow, PairingRoundRow
from tests.mentoring_fakes import FakeMentorBlocks

Sessions = async_sessionmaker[AsyncSession]
START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # a Monday morning
MONDAY_18 = RoundSchedule(1, 0, time(18, 0), "Europe/Berlin")  # due 16:00 UTC in summer


@dataclass
class Inbox:
    """The PrivateMessenger: what each member was told, in order."""

    sent: list[tuple[str, Reply]] = field(default_factory=list)

    async def send(self, key: MemberKey, reply: Reply, *, space_id: str) -> bool:
        assert space_id == "g1"
        self.sent.append((key.user_id, reply))
        return True

    def to(self, user: str) -> list[Reply]:
        return [reply for who, reply in self.sent if who == user]

    def outcome(self, user: str, number: int) -> Reply:
        """Return the member's outcome of a round (not a heads-up nor a follow-up)."""
        (found,) = [r for r in self.to(user) if f"round {number}" in r.text.casefold()
                    and not any("pairing met" in (b.command or "") for b in r.buttons)]  # fmt: skip
        return found

    def commands(self, user: str) -> list[str]:
        return [b.command or "" for r in self.to(user) for b in r.buttons]


@dataclass
class Moderators:
    told: list[Reply] = field(default_factory=list)

    async def tell_moderators(self, space_id: str, channel_id: str, reply: Reply) -> bool:
        self.told.append(reply)
        return True


@dataclass
class Membership:
    """Who left the server; None for everyone else when unknown is asked for."""

    left: set[str] = field(default_factory=set)
    unknown: bool = False

    async def is_member(self, space_id: str, user_id: str) -> bool | None:
        if user_id in self.left:
            return False
        return None if self.unknown else True


@dataclass
class World:
    sessions: Sessions
    clock: FixedClock
    inbox: Inbox = field(default_factory=Inbox)
    moderators: Moderators = field(default_factory=Moderators)
    membership: Membership = field(default_factory=Membership)

    @property
    def channels(self) -> SqlPairingChannels:
        return SqlPairingChannels(self.sessions)

    @property
    def members(self) -> SqlPairingMembers:
        return SqlPairingMembers(self.sessions)

    @property
    def rounds(self) -> SqlPairingRounds:
        return SqlPairingRounds(self.sessions)

    def engine(self, sessions: Sessions | None = None) -> RoundEngine:
        sessions = sessions or self.sessions
        rounds = SqlPairingRounds(sessions)
        planner = RoundPlanner(SqlPairingMembers(sessions), rounds, FakeMentorBlocks(),
                               {Platform.DISCORD: self.membership}, LibrarySolver())  # fmt: skip
        moderators = {Platform.DISCORD: self.moderators}
        return RoundEngine(SqlPairingChannels(sessions), rounds, planner, self.inbox,
                           moderators, lambda: (Platform.DISCORD,))  # fmt: skip

    async def setup(self, schedule: RoundSchedule = MONDAY_18, odd: OddCount = "trio",
                    people: int = 4) -> PairingChannel:  # fmt: skip
        settings = PairingSettings(Platform.DISCORD, "g1", "c1", schedule, odd)
        now = self.clock.now()
        day = first_day(schedule, now)
        channel = await self.channels.configure(settings, day, due_at(schedule, day), now)
        for user in names(people):
            await self.members.join(channel.id, user, user.title(), now)
        return channel

    async def channel(self) -> PairingChannel:
        found = await self.channels.get(Platform.DISCORD, "c1")
        assert found is not None
        return found

    async def run_round(self, *, answer: bool = True) -> int:
        """Move the clock to the next round's due instant and tick; return the round's number.

        With answer, everyone grouped says they met (so nobody is paused for ignoring rounds).
        """
        channel = await self.channel()
        assert channel.next_due_at is not None
        self.clock.advance(channel.next_due_at - self.clock.now())
        await self.engine().tick(self.clock.now())
        if answer:
            await self.answer_all(channel.next_number)
        return channel.next_number

    async def answer_all(self, number: int) -> None:
        channel = await self.channel()
        record = await self.rounds.get(channel.id, number)
        assert record is not None
        for group in record.result.groups:
            for user in group:
                await self.rounds.answer(channel.id, number, user, True, self.clock.now())


def names(count: int) -> list[str]:
    return [f"u{index:02d}" for index in range(1, count + 1)]


@pytest_asyncio.fixture(loop_scope="function")
async def world(engine: AsyncEngine) -> AsyncIterator[World]:
    await upgrade(engine)
    yield World(create_sessionmaker(engine), FixedClock(START))


async def test_everyone_gets_exactly_one_outcome_the_odd_one_too(world: World) -> None:
    await world.setup(people=5)
    number = await world.run_round()
    record = await world.rounds.get((await world.channel()).id, number)
    assert record is not None
    seated = [m for g in record.result.groups for m in g] + list(record.result.sat_out)
    assert sorted(seated) == names(5)  # nobody dropped, nobody in two groups
    assert sorted(len(g) for g in record.result.groups) == [2, 3]  # odd:trio
    for user in names(5):  # each told once, privately, with their partners
        (told,) = world.inbox.to(user)
        assert told.fields and all(f"@{o.title()}" in told.text for g in record.result.groups
                                   if user in g for o in g if o != user)  # fmt: skip
    assert len(world.moderators.told) == 1  # the roster, once
    assert "u01".title() in world.moderators.told[0].fields[0].value


async def test_the_odd_one_sitting_out_is_told_and_has_priority_next_round(world: World) -> None:
    await world.setup(odd="sit_out", people=5)
    sat_out: list[str] = []
    for _ in range(5):
        number = await world.run_round()
        record = await world.rounds.get((await world.channel()).id, number)
        assert record is not None and len(record.result.sat_out) == 1
        (out,) = record.result.sat_out
        assert "not paired" in world.inbox.outcome(out, number).text.casefold()
        sat_out.append(out)
    # Rotated fairly: five rounds, five different members sat out.
    assert sorted(sat_out) == names(5)


async def test_the_same_partner_never_three_times_in_a_row_when_others_are_there(
    world: World,
) -> None:
    await world.setup(people=4)
    partners: dict[str, list[str]] = {user: [] for user in names(4)}
    for _ in range(6):
        number = await world.run_round()
        record = await world.rounds.get((await world.channel()).id, number)
        assert record is not None
        assert len(record.result.groups) == 2
        for first, second in record.result.groups:
            partners[first].append(second)
            partners[second].append(first)
    for user, met in partners.items():
        # Four people: three possible partners, each met before anyone is met again.
        assert len(set(met[:3])) == 3, (user, met)
        assert all(a != b for a, b in itertools.pairwise(met)), (user, met)


async def test_members_who_left_the_server_are_not_matched(world: World) -> None:
    await world.setup(people=5)
    world.membership.left = {"u03"}
    number = await world.run_round()
    record = await world.rounds.get((await world.channel()).id, number)
    assert record is not None and "u03" not in record.members
    assert world.inbox.to("u03") == []
    # Unknown (the platform could not tell) keeps a member in.
    world.membership = Membership(unknown=True)
    number = await world.run_round()
    record = await world.rounds.get((await world.channel()).id, number)
    assert record is not None and "u03" in record.members


async def test_no_match_while_snoozed_skipping_gone_or_turned_off(world: World) -> None:
    channel = await world.setup(people=6)
    now = world.clock.now()
    assert await world.members.snooze(channel.id, "u01", date(2026, 6, 9), now)  # past round 2
    assert await world.members.skip(channel.id, "u02", 1, now)
    assert await world.members.leave(channel.id, "u03", now)
    first = await world.rounds.get(channel.id, await world.run_round())
    assert first is not None and set(first.members) == {"u04", "u05", "u06"}
    second = await world.rounds.get(channel.id, await world.run_round())
    # The skip was for round 1 only; the snooze ended by itself on its date (round 2: 06-08 <
    # 06-09, still snoozed), and leaving holds.
    assert second is not None and set(second.members) == {"u02", "u04", "u05", "u06"}
    third = await world.rounds.get(channel.id, await world.run_round())
    assert third is not None and "u01" in third.members and "u03" not in third.members
    # Rounds turned off: the day comes and goes with no round and no message (the follow-up
    # of the round held before is asked first).
    world.clock.advance(FOLLOW_UP_AFTER)
    await world.engine().tick(world.clock.now())
    assert await world.channels.turn_off(Platform.DISCORD, "c1", world.clock.now())
    told = len(world.inbox.sent)
    world.clock.advance(timedelta(days=5))
    assert await world.engine().tick(world.clock.now()) == 0
    assert len(world.inbox.sent) == told
    assert await world.rounds.get(channel.id, 4) is None


async def test_the_heads_up_goes_once_a_day_before_with_skip_and_leave(world: World) -> None:
    channel = await world.setup(people=3)
    assert channel.next_due_at is not None
    await world.members.snooze(channel.id, "u03", date(2026, 7, 1), world.clock.now())
    world.clock.advance(channel.next_due_at - timedelta(days=1, minutes=1) - world.clock.now())
    assert await world.engine().tick(world.clock.now()) == 0  # not yet
    world.clock.advance(timedelta(minutes=1))
    assert await world.engine().tick(world.clock.now()) == 2
    assert await world.engine().tick(world.clock.now()) == 0  # once
    code = f"{channel.id}-1"
    assert world.inbox.commands("u01") == [f"pairing skip round:{code}",
                                           f"pairing leave round:{code}"]  # fmt: skip
    assert world.inbox.to("u03") == []  # snoozed: not in, so no heads-up


async def test_follow_up_once_answers_stored_and_ignoring_three_rounds_pauses(world: World) -> None:
    channel = await world.setup(people=2)
    for number in (1, 2, 3):
        assert await world.run_round(answer=False) == number
        world.clock.advance(FOLLOW_UP_AFTER)
        engine = world.engine()
        await engine.tick(world.clock.now())
        await engine.tick(world.clock.now())
        asked = [c for c in world.inbox.commands("u01") if c.startswith("pairing met")]
        assert asked[-2:] == [f"pairing met yes round:{channel.id}-{number}",
                              f"pairing met no round:{channel.id}-{number}"]  # fmt: skip
        assert len(asked) == 2 * number  # asked once per round
        if number == 1:
            assert (
                await world.rounds.answer(channel.id, 1, "u01", False, world.clock.now()) is False
            )
            # A second click replaces the first; still one row, one answer.
            assert await world.rounds.answer(channel.id, 1, "u01", True, world.clock.now())
    # u01 answered round 1; u02 ignored rounds 1-3 and is paused at round 4, and told once.
    number = await world.run_round(answer=False)
    record = await world.rounds.get(channel.id, number)
    assert record is not None and record.members == ("u01",)
    assert (await world.members.get(channel.id, "u02")).paused_at is not None  # type: ignore[union-attr]
    paused_notices = [r for r in world.inbox.to("u02") if "pairing join" in r.text]
    assert len(paused_notices) == 1
    # One command brings them back, and ignored rounds count afresh from then.
    assert await world.members.join(channel.id, "u02", "U02", world.clock.now())
    record = await world.rounds.get(channel.id, await world.run_round())
    assert record is not None and set(record.members) == {"u01", "u02"}


async def test_a_round_reruns_from_its_stored_inputs_and_seed(world: World) -> None:
    channel = await world.setup(people=7)
    for _ in range(4):
        await world.run_round()
    history = await world.rounds.history(channel.id, HISTORY_ROUNDS)
    last = await world.rounds.get(channel.id, 4)
    assert last is not None
    again = pair_round(last.members, history[:-1], last.blocked, last.seed,
                       solver=LibrarySolver(), odd=last.odd)  # fmt: skip
    assert again == last.result == history[-1]
    groups_per_member = Counter(m for g in last.result.groups for m in g)
    assert set(groups_per_member.values()) == {1}


async def test_two_processes_racing_one_round_hold_it_once(database_url: str, world: World) -> None:
    await world.setup(people=6)
    channel = await world.channel()
    assert channel.next_due_at is not None
    world.clock.advance(channel.next_due_at - world.clock.now())
    # A second process: its own engine, its own connections, on the same database.
    other = create_engine(database_url)
    try:
        first, second = world.engine(), world.engine(create_sessionmaker(other))
        await asyncio.gather(first.tick(world.clock.now()), second.tick(world.clock.now()))
    finally:
        await other.dispose()
    async with world.sessions() as session:
        held = (await session.execute(select(func.count()).select_from(PairingRoundRow))).scalar()
        outcomes = (
            await session.execute(select(func.count()).select_from(PairingOutcomeRow))
        ).scalar()
    assert (held, outcomes) == (1, 6)
    assert Counter(user for user, _ in world.inbox.sent) == dict.fromkeys(names(6), 1)
    assert len(world.moderators.told) == 1
    assert (await world.channel()).next_number == 2


async def test_a_round_stored_by_a_process_that_stopped_is_told_by_the_next_tick(
    world: World,
) -> None:
    channel = await world.setup(people=4)
    assert channel.next_due_at is not None and channel.next_day is not None
    world.clock.advance(channel.next_due_at - world.clock.now())
    # A process stores the round, then stops before telling anyone.
    planner = RoundPlanner(world.members, world.rounds, FakeMentorBlocks(), {}, LibrarySolver())
    eligibility = await planner.eligible(channel, 1, channel.next_day, world.clock.now(),
                                         dry_run=False)  # fmt: skip
    planned = await planner.plan(channel, eligibility, seed=7)
    assert await world.rounds.record(planned, world.clock.now()) is not None
    assert world.inbox.sent == []
    # The next tick (any process) tells each member once, and the moderators once.
    world.clock.advance(timedelta(minutes=1))
    assert await world.engine().tick(world.clock.now()) == 4
    assert await world.engine().tick(world.clock.now()) == 0
    assert Counter(user for user, _ in world.inbox.sent) == dict.fromkeys(names(4), 1)
    assert len(world.moderators.told) == 1
