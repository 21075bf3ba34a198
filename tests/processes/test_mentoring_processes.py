"""Two real bot processes on one database run mentoring and pairing rounds at once.

Each test seeds the tables, starts two tests/processes/mentor_driver.py processes (the whole
bot, on a clock the test sets), releases them together, and counts the outcome in the tables
and in what the processes sent: what must happen once happens once, and no mentor is offered
more than their capacity. On PostgreSQL and on SQLite (one file, two processes).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.mentoring.ports import MentorKey, MentorProfile
from bot.core.mentoring.records import DEFAULT_FOLLOWUP, NewRequest
from bot.core.mentoring.rounds.engine import FOLLOW_UP_AFTER
from bot.core.mentoring.rounds.ports import PairingSettings
from bot.core.mentoring.rounds.schedule import RoundSchedule, due_at, first_day
from bot.core.messages import Platform
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.mentoring.profiles import PROFILES, SqlMentorProfiles
from bot.storage.mentoring.requests import SqlMentorRequests
from bot.storage.mentoring.rows import FOLLOWUPS, OFFERS, PAIRINGS, REQUESTS
from bot.storage.migrate import upgrade
from bot.storage.rounds.channels import SqlPairingChannels
from bot.storage.rounds.members import SqlPairingMembers
from bot.storage.tables import (
    HeldNoticeRow,
    LearningEventRow,
    PairingOutcomeRow,
    PairingRoundRow,
)

DRIVER = Path(__file__).with_name("mentor_driver.py")
SPACE = "guild-1"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
TOPICS = ("git", "http", "databases", "sql-databases")
CONTEXT = "my branch history is a mess after a rebase and I do not know how to recover it"
TIMEOUT = 120.0

Sessions = async_sessionmaker[AsyncSession]


class Driver:
    """A running mentor_driver.py, spoken to one JSON line at a time."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, url: str, data_dir: Path, now: datetime, out: Path, hold: bool) -> Driver:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(DRIVER), url, str(data_dir), now.isoformat(), str(out),
            *(["hold"] if hold else []),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        driver = cls(process)
        assert await driver.read() == {"ready": True}
        return driver

    def send(self, command: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(command) + "\n").encode())

    async def read(self) -> Any:
        assert self.process.stdout is not None and self.process.stdin is not None
        await self.process.stdin.drain()
        line = await asyncio.wait_for(self.process.stdout.readline(), TIMEOUT)
        assert line, f"the driver ended (exit code {self.process.returncode})"
        return json.loads(line)

    async def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), TIMEOUT)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        assert self.process.returncode == 0


@dataclass
class Pair:
    """Two bot processes on one database."""

    drivers: tuple[Driver, Driver]

    async def together(self, *commands: dict[str, Any]) -> list[list[Any]]:
        """Give each process its command (one for both, or one each) at once; their results."""
        per = commands if len(commands) == 2 else commands * 2
        for driver, command in zip(self.drivers, per, strict=True):
            driver.send(command)  # both are written before either is awaited
        answers = await asyncio.gather(*(driver.read() for driver in self.drivers))
        return [answer["results"] for answer in answers]


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(database_url: str) -> AsyncIterator[Sessions]:
    """Return sessions on this test's migrated database."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


@asynccontextmanager
async def two_processes(
    url: str, tmp_path: Path, now: datetime, out: Path, *, hold: bool = False
) -> AsyncIterator[Pair]:
    """Start two bot processes on url at now (DMs to out, or held with hold); stop them."""
    drivers = await asyncio.gather(
        *(Driver.start(url, tmp_path / f"p{n}", now, out, hold) for n in range(2))
    )
    try:
        yield Pair((drivers[0], drivers[1]))
    finally:
        for driver in drivers:
            await driver.close()


def mentor(user: str, capacity: int) -> MentorProfile:
    key = MentorKey(Platform.DISCORD, SPACE, user)
    return MentorProfile(key, user.title(), frozenset(TOPICS), 20, "UTC", "daily 18:00-22:00",
                         capacity)  # fmt: skip


def new_request(learner: str, topic: str, at: datetime) -> NewRequest:
    return NewRequest(Platform.DISCORD, SPACE, learner, learner.title(), "chan-1", topic,
                      CONTEXT, "daily 18:00-22:00", "UTC", 0, at)  # fmt: skip


async def seed(sessions: Sessions, mentors: dict[str, int], learners: Sequence[str]) -> list[int]:
    """Store mentors (id -> capacity) and one waiting request per learner; the request ids."""
    profiles, store = SqlMentorProfiles(sessions), SqlMentorRequests(sessions)
    for user, capacity in mentors.items():
        await profiles.save(mentor(user, capacity))
    ids = []
    for n, learner in enumerate(learners):
        stored = await store.add(new_request(learner, TOPICS[n % len(TOPICS)], START))
        assert stored is not None
        ids.append(stored.id)
    return ids


async def rows(sessions: Sessions, query: Any) -> list[Any]:
    async with sessions() as session:
        return list((await session.execute(query)).all())


async def assert_within_capacity(sessions: Sessions) -> Counter[str]:
    """Assert no mentor holds more offers and pairings than capacity; return places taken."""
    taken: Counter[str] = Counter()
    pending = OFFERS.c.state == "pending"
    for (user,) in await rows(sessions, select(OFFERS.c.mentor_id).where(pending)):
        taken[user] += 1
    active = PAIRINGS.c.state == "active"
    for (user,) in await rows(sessions, select(PAIRINGS.c.mentor_id).where(active)):
        taken[user] += 1
    capacity = dict(await rows(sessions, select(PROFILES.c.user_id, PROFILES.c.capacity)))
    over = {user: n for user, n in taken.items() if n > capacity[user]}
    assert over == {}, f"mentors offered beyond capacity: {over}"
    # One pending offer per request, and an offered request has exactly one.
    per_request = Counter(r for (r,) in await rows(sessions, select(OFFERS.c.request_id)
                                                      .where(pending)))  # fmt: skip
    assert set(per_request.values()) <= {1}
    offered = await rows(sessions, select(REQUESTS.c.id).where(REQUESTS.c.state == "offered"))
    assert {r for (r,) in offered} == set(per_request)
    return taken


def sent(out: Path, tag: str, kind: str = "direct") -> list[dict[str, Any]]:
    """Return what both processes sent under tag."""
    if not out.exists():
        return []
    records = [json.loads(line) for line in out.read_text().splitlines()]
    return [r for r in records if r["tag"] == tag and r["kind"] == kind]


def accept_ids(replies: Iterable[dict[str, Any] | None]) -> Counter[int]:
    """Return how many times each offer's Accept button was sent."""
    return Counter(
        int(button["command"].split()[-1])
        for reply in replies
        if reply is not None
        for button in reply["buttons"]
        if (button["command"] or "").startswith("mentor accept ")
    )


async def test_two_timers_expire_each_offer_once_and_rematch_within_capacity(
    database_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    # 24 mentors: capacity 1 (m00-m11), 2 (m12-m21), 3 (m22, m23); 60 learners waiting.
    mentors = {f"m{n:02}": 1 if n < 12 else 2 if n < 22 else 3 for n in range(24)}
    learners = [f"l{n:02}" for n in range(60)]
    requests = await seed(sessions, mentors, learners)
    store = SqlMentorRequests(sessions)
    # 28 pending offers past their deadline: three each to m22 and m23 (they will be paused),
    # one to each of the others.
    targets = ["m22"] * 3 + ["m23"] * 3 + [f"m{n:02}" for n in range(22)]
    for request_id, user in zip(requests, targets, strict=False):
        assert await store.offer(request_id, user, START, START + timedelta(hours=1))
    expired_per_mentor = Counter(targets)
    expired_requests = set(requests[: len(targets)])
    now = START + timedelta(days=1, hours=2)  # the requests have waited more than a day
    out = tmp_path / "sent.jsonl"

    async with two_processes(database_url, tmp_path, now, out, hold=True) as pair:
        tick = {"tag": "tick", "steps": [{"timer": "mentoring"}, {"timer": "mentoring"}]}
        await pair.together(tick)
        # One more run in one process fills any place a refused race left empty.
        pair.drivers[0].send(tick)
        await pair.drivers[0].read()

    old = await rows(sessions, select(OFFERS.c.state, OFFERS.c.mentor_id)
                     .where(OFFERS.c.offered_at == START))  # fmt: skip
    assert Counter(state for state, _ in old) == {"expired": len(targets)}
    in_row = dict(await rows(sessions, select(PROFILES.c.user_id, PROFILES.c.expired_in_row)))
    assert in_row == {user: expired_per_mentor[user] for user in mentors}  # once per expiry
    paused = await rows(sessions, select(PROFILES.c.user_id, PROFILES.c.paused_until)
                        .where(PROFILES.c.paused_until.is_not(None)))  # fmt: skip
    assert dict(paused) == {"m22": date.max, "m23": date.max}

    taken = await assert_within_capacity(sessions)
    new = await rows(sessions, select(OFFERS.c.id, OFFERS.c.request_id, OFFERS.c.mentor_id)
                     .where(OFFERS.c.offered_at == now))  # fmt: skip
    # Every free place was filled (the paused mentors' places stay empty), each request once.
    assert sum(taken.values()) == len(new) == 12 + 2 * 10
    assert not {m for _, _, m in new} & {"m22", "m23"}
    expired_pairs = {(r, m) for r, m in zip(requests, targets, strict=False)}
    assert not {(r, m) for _, r, m in new} & expired_pairs  # not re-offered to who let it go

    # Told once: each expiry and each new offer is one held notice to the mentor and one to
    # the learner; the Accept button of each new offer is in exactly one notice.
    held = await rows(sessions, select(HeldNoticeRow.user_id, HeldNoticeRow.body))
    learner_of = dict(zip(requests, learners, strict=True))
    expected = Counter(targets) + Counter(m for _, _, m in new)
    expected += Counter(learner_of[r] for r in expired_requests)
    expected += Counter(learner_of[r] for _, r, _ in new)
    assert Counter(user for user, _ in held) == expected
    buttons = accept_ids(
        {"buttons": [{"command": b[1]} for b in json.loads(body)["buttons"]]} for _, body in held
    )
    assert buttons == Counter(offer_id for offer_id, _, _ in new)
    # The moderators hear of each request waiting over a day once (none is matched yet).
    reminded = Counter(
        int(field["name"].split()[0].lstrip("#"))
        for record in sent(out, "tick", "moderators")
        for field in record["reply"]["fields"]
    )
    assert reminded == Counter(requests)


async def test_two_processes_taking_one_accept_then_one_follow_up_act_once(
    database_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    mentors = {f"m{n}": 1 for n in range(8)}
    learners = [f"l{n}" for n in range(8)]
    requests = await seed(sessions, mentors, learners)
    store = SqlMentorRequests(sessions)
    offers = []
    for request_id, user in zip(requests, mentors, strict=True):
        offer = await store.offer(request_id, user, START, START + timedelta(days=1))
        assert offer is not None
        offers.append((offer.id, user))
    out = tmp_path / "sent.jsonl"

    def clicks(side: str) -> dict[str, Any]:
        # Half the clicks are one event redelivered to both processes, half two clicks.
        steps = [
            {"say": {"user": user, "name": user.title(), "text": f"mentor accept {offer_id}",
                     "id": f"click-{offer_id}" + (f"-{side}" if n % 2 else "")}}
            for n, (offer_id, user) in enumerate(offers)
        ]  # fmt: skip
        return {"tag": "accept", "steps": steps}

    def met(side: str) -> dict[str, Any]:
        # Both members answer "did you meet?" in both processes (two clicks each).
        steps = [
            {"say": {"user": user, "name": user.title(), "text": f"mentor met {pairing_id} yes",
                     "id": f"met-{pairing_id}-{user}-{side}"}}
            for pairing_id, mentor_id, learner_id in paired
            for user in (mentor_id, learner_id)
        ]  # fmt: skip
        return {"tag": "met", "now": later.isoformat(), "steps": steps}

    later = START + DEFAULT_FOLLOWUP + timedelta(days=1)
    async with two_processes(database_url, tmp_path, START + timedelta(hours=1), out) as pair:
        replies = await pair.together(clicks("a"), clicks("b"))
        query = select(PAIRINGS.c.id, PAIRINGS.c.mentor_id, PAIRINGS.c.learner_id)
        paired = await rows(sessions, query)
        # A week on both timers ask the follow-up; then every answer is clicked twice.
        ticks = [{"timer": "mentoring"}, {"timer": "mentoring"}]
        await pair.together({"tag": "follow-up", "now": later.isoformat(), "steps": ticks})
        answers = await pair.together(met("a"), met("b"))

    # For each click exactly one process answers "taken"; the other refuses or drops it.
    for first, second in zip(*replies, strict=True):
        answered = [r for r in (first, second) if r is not None and r["error"] is None]
        assert len(answered) == 1, (first, second)
        assert all(r is None or r["error"] != "internal" for r in (first, second))
    pairings = await rows(sessions, select(PAIRINGS.c.request_id, PAIRINGS.c.mentor_id))
    assert sorted(pairings) == sorted(zip(requests, mentors, strict=True))
    states = await rows(sessions, select(OFFERS.c.state))
    assert Counter(state for (state,) in states) == {"accepted": len(offers)}
    # One introduction each, to the mentor and to the learner.
    introduced = Counter(record["user"] for record in sent(out, "accept"))
    assert introduced == Counter([*mentors, *learners])
    await assert_within_capacity(sessions)

    # The follow-up once to each; each member's answer counted once; one session per pairing.
    asked = Counter(record["user"] for record in sent(out, "follow-up"))
    assert asked == Counter([*mentors, *learners])
    for first, second in zip(*answers, strict=True):
        assert [first["error"], second["error"]].count(None) == 1, (first, second)
    answered = await rows(sessions, select(FOLLOWUPS.c.pairing_id, FOLLOWUPS.c.member_id))
    assert sorted(answered) == sorted((p, u) for p, m, lr in paired for u in (m, lr))
    ended = await rows(sessions, select(PAIRINGS.c.state, PAIRINGS.c.met_at))
    assert all(state == "ended" and met_at is not None for state, met_at in ended)
    held = await rows(sessions, select(LearningEventRow.user_id, LearningEventRow.source))
    assert sorted(held) == sorted(
        (learner_id, f"mentoring:{SPACE}:{pairing_id}") for pairing_id, _, learner_id in paired
    )


REQUESTS_EACH = 30
RACES = 20
LEAVERS = 6
ROUNDS_START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # a Monday morning
MONDAY_18 = RoundSchedule(1, 0, time(18, 0), "Europe/Berlin")  # due 16:00 UTC in summer


async def test_two_processes_ticking_rounds_hold_each_round_once(
    database_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    channels, members = SqlPairingChannels(sessions), SqlPairingMembers(sessions)
    people: dict[int, list[str]] = {}
    day = first_day(MONDAY_18, ROUNDS_START)
    due = due_at(MONDAY_18, day)
    for n in range(10):
        settings = PairingSettings(Platform.DISCORD, SPACE, f"c{n}", MONDAY_18,
                                   "trio" if n % 2 else "sit_out")  # fmt: skip
        channel = await channels.configure(settings, day, due, ROUNDS_START)
        people[channel.id] = [f"c{n}u{k}" for k in range(5 + n % 3)]
        for user in people[channel.id]:
            await members.join(channel.id, user, user.title(), ROUNDS_START)
    everyone = [user for users in people.values() for user in users]
    out = tmp_path / "sent.jsonl"
    ticks = [{"timer": "pairing-rounds"}, {"timer": "pairing-rounds"}]

    async with two_processes(database_url, tmp_path, ROUNDS_START, out) as pair:
        # A day before: the heads-ups; then at the due minute: the rounds.
        await pair.together({"tag": "heads-up", "now": ROUNDS_START.isoformat(), "steps": ticks})
        at_due = (due + timedelta(seconds=20)).isoformat()
        await pair.together({"tag": "round", "now": at_due, "steps": ticks})
        # Three days on: "did you meet?" to each member who was grouped.
        later = (due + FOLLOW_UP_AFTER + timedelta(minutes=1)).isoformat()
        await pair.together({"tag": "follow-up", "now": later, "steps": ticks})

    assert Counter(r["user"] for r in sent(out, "heads-up")) == Counter(everyone)
    assert Counter(r["user"] for r in sent(out, "round")) == Counter(everyone)
    rosters = Counter(r["channel"] for r in sent(out, "round", "moderators"))
    assert rosters == Counter(f"c{n}" for n in range(10))
    held = await rows(sessions, select(PairingRoundRow.id, PairingRoundRow.channel_id,
                                       PairingRoundRow.number))  # fmt: skip
    assert sorted((c, number) for _, c, number in held) == sorted((c, 1) for c in people)
    round_of = {round_id: channel_id for round_id, channel_id, _ in held}
    outcome = PairingOutcomeRow
    outcomes = await rows(
        sessions, select(outcome.round_id, outcome.user_id, outcome.told_at, outcome.kind)
    )
    grouped = [user for _, user, _, kind in outcomes if kind != "sat_out"]
    assert len(grouped) >= len(everyone) - len(people)  # at most one sits out per channel
    assert Counter(r["user"] for r in sent(out, "follow-up")) == Counter(grouped)
    by_channel: dict[int, list[str]] = {}
    for round_id, user, told_at, _ in outcomes:
        assert told_at is not None
        by_channel.setdefault(round_of[round_id], []).append(user)
    assert {c: sorted(users) for c, users in by_channel.items()} == {
        c: sorted(users) for c, users in people.items()
    }
    for channel_id in people:
        found = await channels.by_id(channel_id)
        assert found is not None and found.next_number == 2


async def test_two_processes_matching_one_queue_never_overfill_a_mentor(
    database_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    mentors = {f"k{n:02}": 1 + n % 2 for n in range(16)}  # 24 places
    await seed(sessions, mentors, [])
    out = tmp_path / "sent.jsonl"

    def asks(side: str) -> dict[str, Any]:
        # New requests arrive in both processes, each matched at once, the queue every 3.
        steps: list[dict[str, Any]] = []
        for n in range(REQUESTS_EACH):
            user, topic = f"{side}{n}", ("git", "http")[n % 2]
            steps.append({"say": {"user": user, "name": user.title(), "id": f"ask-{user}",
                                  "text": f"mentor request {topic} {CONTEXT}"}})  # fmt: skip
            if n % 3 == 2:
                steps.append({"timer": "mentoring"})
        return {"tag": "ask", "steps": steps}

    async with two_processes(database_url, tmp_path, START, out) as pair:
        results = await pair.together(asks("a"), asks("b"))
        for side in results:
            assert all(r is None or isinstance(r, int) or r["error"] is None for r in side), side
        await assert_within_capacity(sessions)
        # One more run in one process fills any place a refused race left empty.
        pair.drivers[0].send({"tag": "last", "steps": [{"timer": "mentoring"}]})
        await pair.drivers[0].read()

    taken = await assert_within_capacity(sessions)
    assert taken == Counter(mentors)  # every place filled, none beyond
    states = Counter(s for (s,) in await rows(sessions, select(REQUESTS.c.state)))
    assert states == {"offered": 24, "waiting": 2 * REQUESTS_EACH - 24}
    # Each offer was sent once, to its mentor, with its Accept button.
    offers = await rows(sessions, select(OFFERS.c.id, OFFERS.c.mentor_id))
    dms = [r for tag in ("ask", "last") for r in sent(out, tag)]
    assert accept_ids([r["reply"] for r in dms]) == Counter(offer_id for offer_id, _ in offers)
    to_mentors = Counter(r["user"] for r in dms if r["user"] in mentors)
    assert to_mentors == Counter(mentor_id for _, mentor_id in offers)


async def test_a_learner_cancelling_while_the_mentor_accepts_ends_one_way(
    database_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    mentors = {f"m{n:02}": 1 for n in range(RACES)}
    learners = [f"l{n:02}" for n in range(RACES)]
    requests = await seed(sessions, mentors, learners)
    store = SqlMentorRequests(sessions)
    offers = []
    for request_id, user in zip(requests, mentors, strict=True):
        offer = await store.offer(request_id, user, START, START + timedelta(days=1))
        assert offer is not None
        offers.append((offer.id, user))
    cancels = [
        {"say": {"user": learner, "name": learner.title(), "text": "mentor cancel",
                 "id": f"cancel-{learner}"}}
        for learner in learners
    ]  # fmt: skip
    accepts = [
        {"say": {"user": user, "name": user.title(), "text": f"mentor accept {offer_id}",
                 "id": f"accept-{offer_id}"}}
        for offer_id, user in offers
    ]  # fmt: skip

    out = tmp_path / "sent.jsonl"
    async with two_processes(database_url, tmp_path, START + timedelta(hours=1), out) as pair:
        cancelled, accepted = await pair.together(
            {"tag": "race", "steps": cancels}, {"tag": "race", "steps": accepts}
        )

    # Each race ends one way: the learner cancelled (the offer withdrawn), or the mentor took
    # it (a pairing); the other side is told so, and nobody sees an internal error.
    for cancel, accept in zip(cancelled, accepted, strict=True):
        assert cancel["error"] != "internal" and accept["error"] != "internal", (cancel, accept)
        assert [cancel["error"], accept["error"]].count(None) == 1, (cancel, accept)
    ended = dict(await rows(sessions, select(REQUESTS.c.id, REQUESTS.c.state)))
    offer_states = dict(await rows(sessions, select(OFFERS.c.request_id, OFFERS.c.state)))
    paired = {r for (r,) in await rows(sessions, select(PAIRINGS.c.request_id))}
    for request_id in requests:
        if request_id in paired:
            assert (ended[request_id], offer_states[request_id]) == ("matched", "accepted")
        else:
            assert (ended[request_id], offer_states[request_id]) == ("cancelled", "withdrawn")


async def test_a_mentor_leaving_while_another_process_matches_keeps_no_offer(
    database_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    leavers = [f"x{n}" for n in range(LEAVERS)]
    mentors = {**dict.fromkeys(leavers, 2), **{f"s{n}": 1 for n in range(4)}}
    await seed(sessions, mentors, [f"l{n:02}" for n in range(40)])
    out = tmp_path / "sent.jsonl"
    leave = [
        {"say": {"user": user, "name": user.title(), "text": "mentor leave confirm",
                 "id": f"leave-{user}"}}
        for user in leavers
    ]  # fmt: skip
    tick = {"timer": "mentoring"}

    async with two_processes(database_url, tmp_path, START, out) as pair:
        await pair.together({"tag": "fill", "steps": [tick]})  # every place taken
        # One process takes the leavers' clicks while the other matches the queue again and
        # again: each leave frees places the other process sees.
        left, _ = await pair.together(
            {"tag": "leave", "steps": leave}, {"tag": "leave", "steps": [tick] * 6 * LEAVERS}
        )
        assert all(reply["error"] is None for reply in left), left

    still = {user for (user,) in await rows(sessions, select(PROFILES.c.user_id))}
    assert still == set(mentors) - set(leavers)
    pending = await rows(sessions, select(OFFERS.c.mentor_id, OFFERS.c.request_id)
                         .where(OFFERS.c.state == "pending"))  # fmt: skip
    assert {user for user, _ in pending} <= still, "an offer to a mentor who left"
    assert not await rows(sessions, select(PAIRINGS.c.id).where(PAIRINGS.c.state == "active"))
    await assert_within_capacity(sessions)
