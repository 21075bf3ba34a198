"""Check-in speed: the batch writer against a plain sqlite3 floor, and one sequential stream.

Used by bench/streaks.py, which prints the figures (see docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import checkin_floor as floor
from bot.core.clock import FixedClock
from bot.core.messages import Actor, Platform
from bot.core.ports import MemberKey
from bot.core.requests import Request
from bot.core.router import Handler
from bot.core.study.checkin import CheckinService
from bot.core.study.commands import CHECKIN
from bot.core.study.context import StreakReader, StudyContexts
from bot.core.study.leaderboard import LeaderboardService
from bot.core.study.ports import LearningEvent
from bot.core.study.recording import StudyRecorder
from bot.core.study.streak import StreakService
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.repositories import SqlMemberRepository
from bot.storage.spaces import SqlSpaceRepository
from bot.storage.study.leaderboard import SqlLeaderboard
from bot.storage.study.streaks import SqlLearningEventRepository

NOW = datetime(2026, 11, 20, 18, tzinfo=UTC)
SPACE = "guild-bench"
CHECKINS_EACH = 20
QUERIES = 300  # per measured command, after a warm-up


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def actor(user: int) -> Actor:
    return Actor(Platform.DISCORD, SPACE, "c1", str(user), f"member {user}", False, "Bench")


@dataclass(frozen=True)
class Study:
    """The study job's two commands, wired as the app wires them."""

    checkin: Handler
    streak: Handler


async def services(url: str) -> tuple[Study, LeaderboardService, SqlLeaderboard, object]:
    engine = create_engine(url)
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    clock = FixedClock(NOW)
    members = SqlMemberRepository(sessions, clock)
    events = SqlLearningEventRepository(sessions, "UTC")
    contexts = StudyContexts(members, SqlSpaceRepository(sessions, clock), "UTC")
    streaks = StreakReader(events, clock)
    recorder = StudyRecorder(events, contexts, clock)
    study = Study(
        CheckinService(recorder, contexts, streaks, {}).checkin,
        StreakService(contexts, streaks, members).streak,
    )
    boards = SqlLeaderboard(sessions)
    return study, LeaderboardService(boards, members, contexts, clock), boards, engine


# --- check-in throughput -----------------------------------------------------------------


def checkin(user: int, event_id: str, minutes: int = 0) -> Request:
    """Return the typed request of `checkin <minutes> sql` from user."""
    values = {"minutes": timedelta(minutes=minutes), "note": "sql"} if minutes else {}
    return Request(actor(user), CHECKIN, values, event_id)


async def checkin_throughput(folder: Path, members: int) -> tuple[float, float, int]:
    """Return (service check-ins/s, wall seconds, rows stored)."""
    url = f"sqlite+aiosqlite:///{folder / 'checkins.db'}"
    study, _, _, engine = await services(url)

    async def member_sends(user: int) -> None:
        for n in range(CHECKINS_EACH):
            reply = await study.checkin(checkin(user, f"evt-{user}-{n}", minutes=15))
            if reply.title != "Check-in saved":
                raise AssertionError(f"check-in {user}/{n} was not stored once: {reply.title}")

    started = time.perf_counter()
    await asyncio.gather(*(member_sends(u) for u in range(members)))
    elapsed = time.perf_counter() - started
    # Every one recorded exactly once, and a redelivery of each is refused.
    again = await asyncio.gather(*(study.checkin(checkin(u, f"evt-{u}-0")) for u in range(members)))
    if any(r.title != "Already counted" for r in again):
        raise AssertionError("a redelivered check-in was counted twice")
    await engine.dispose()  # type: ignore[attr-defined]
    rows = _count(folder / "checkins.db", "learning_events")
    if rows != members * CHECKINS_EACH:
        raise AssertionError(f"{rows} rows stored for {members * CHECKINS_EACH} check-ins")
    return members * CHECKINS_EACH / elapsed, elapsed, rows


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


INSERT = ("INSERT INTO learning_events (platform, user_id, space_id, kind, source, occurred_at,"
          " local_date, minutes, note) VALUES (?,?,?,?,?,?,?,?,?)")  # fmt: skip


def _event_row(user: int, source: str) -> tuple[object, ...]:
    return ("discord", str(user), SPACE, "checkin", source, NOW.isoformat(),
            NOW.date().isoformat(), 15, "sql")  # fmt: skip


async def _schema(path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)  # the same schema, indexes and constraints as the bot's
    await engine.dispose()


async def floor_per_row(folder: Path, members: int) -> float:
    """Insert the throughput run's rows with plain sqlite3, a commit each; return rows/s."""
    path = folder / "floor_rows.db"
    await _schema(path)
    db = floor.connect(path)
    started = time.perf_counter()
    for user in range(members):
        for n in range(CHECKINS_EACH):
            db.execute("BEGIN")
            db.execute(INSERT, _event_row(user, f"evt-{user}-{n}"))
            db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return members * CHECKINS_EACH / elapsed


async def batch_against_floor(folder: Path, size: int = 256, rounds: int = 30) -> dict[str, float]:
    """Median ms to store one batch of size check-ins (distinct members): ours and the floors'.

    Ours: SqlLearningEventRepository.record for size members at once (one transaction).
    Floor: plain sqlite3 doing the same durable work (bench/checkin_floor.py), checked to
    leave the same rows. Whole-history floor: the same, reading what the writer read before it
    carried rows forward (every study day); complete: that one also computing the totals from
    the days it read. Events only: plain sqlite3 inserting just the event rows (the old
    floor, kept for comparison; it does a fraction of the work).
    """
    path = folder / "batch.db"
    await _schema(path)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    events = SqlLearningEventRepository(create_sessionmaker(engine), "UTC")
    ours = []
    for round_ in range(rounds + 3):
        batch = [
            LearningEvent(MemberKey(Platform.DISCORD, c.user), c.space, "checkin", c.source,
                          c.at, c.day, c.minutes, c.note)
            for c in _floor_batch(round_, rounds, size)
        ]  # fmt: skip
        started = time.perf_counter()
        results = await asyncio.gather(
            *(events.record(e, f"member {i}") for i, e in enumerate(batch))
        )
        if round_ >= 3:
            ours.append((time.perf_counter() - started) * 1000)
        assert all(r.stored for r in results)
    await engine.dispose()
    floor_path = folder / "batch_floor.db"
    await _schema(floor_path)
    db = floor.connect(floor_path)
    same_work = []
    history: dict[str, dict[date, int]] = {}
    for round_ in range(rounds + 3):
        checkins = _floor_batch(round_, rounds, size)
        totals = floor.totals_for(history, checkins)  # before the clock: no arithmetic timed
        started = time.perf_counter()
        assert floor.store(db, checkins, totals) == size
        if round_ >= 3:
            same_work.append((time.perf_counter() - started) * 1000)
    db.close()
    floor.same_rows(path, floor_path)
    whole = []  # the floor of the writer before it carried rows forward (every day read)
    for name, computed in (("batch_whole_floor.db", True), ("batch_complete_floor.db", False)):
        whole_path = folder / name
        await _schema(whole_path)
        db = floor.connect(whole_path)
        times: list[float] = []
        history = {}
        for round_ in range(rounds + 3):
            checkins = _floor_batch(round_, rounds, size)
            given = floor.totals_for(history, checkins) if computed else None
            started = time.perf_counter()
            # Without totals given, computed inside, from the days read: that writer's whole job.
            assert floor.store(db, checkins, given, whole_history=True) == size
            if round_ >= 3:
                times.append((time.perf_counter() - started) * 1000)
        db.close()
        floor.same_rows(path, whole_path)
        whole.append(statistics.median(times))
    events_path = folder / "batch_events_only.db"
    await _schema(events_path)
    db = floor.connect(events_path)
    events_only = []
    for round_ in range(rounds + 3):
        started = time.perf_counter()
        db.execute("BEGIN")
        db.executemany(INSERT, [_event_row(u, f"b-{round_}-{u}") for u in range(size)])
        db.execute("COMMIT")
        if round_ >= 3:
            events_only.append((time.perf_counter() - started) * 1000)
    db.close()
    return {
        "ours_ms": statistics.median(ours),
        "floor_ms": statistics.median(same_work),
        "whole_history_floor_ms": whole[0],
        "complete_floor_ms": whole[1],
        "events_only_ms": statistics.median(events_only),
    }


def _floor_batch(round_: int, rounds: int, size: int) -> list[floor.CheckIn]:
    """Return round_'s check-ins: one by each of size members, a day later each round."""
    at = NOW + timedelta(days=round_ - rounds)
    return [
        floor.CheckIn("discord", str(u), SPACE, f"b-{round_}-{u}", at, at.date(), 15, "sql",
                      f"member {u}")
        for u in range(size)
    ]  # fmt: skip


async def sequential_stream(folder: Path, count: int = 600) -> dict[str, list[float]]:
    """Return ms per check-in for one member after another, each awaited before the next.

    "ours" goes through CheckinService.checkin; "floor" stores the same check-ins with the
    plain sqlite3 floor (bench/checkin_floor.py), one transaction each, checked to leave the
    same rows.
    """
    path = folder / "stream.db"
    study, _, _, engine = await services(f"sqlite+aiosqlite:///{path}")
    times = []
    for n in range(count + 50):
        started = time.perf_counter()
        await study.checkin(checkin(n % 200, f"s-{n}", minutes=5))
        if n >= 50:
            times.append((time.perf_counter() - started) * 1000)
    await engine.dispose()  # type: ignore[attr-defined]
    floor_path = folder / "stream_floor.db"
    await _schema(floor_path)
    db = floor.connect(floor_path)
    floor_times = []
    history: dict[str, dict[date, int]] = {}
    for n in range(count + 50):
        one = [floor.CheckIn("discord", str(n % 200), SPACE, f"s-{n}", NOW, NOW.date(), 5,
                             "sql", f"member {n % 200}")]  # fmt: skip
        totals = floor.totals_for(history, one)
        started = time.perf_counter()
        floor.store(db, one, totals)
        if n >= 50:
            floor_times.append((time.perf_counter() - started) * 1000)
    db.close()
    floor.same_rows(path, floor_path)
    return {"ours": times, "floor": floor_times}
