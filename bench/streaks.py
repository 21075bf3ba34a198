"""Streak speed: check-in throughput against a bare aiosqlite floor, leaderboard and streak p99.

Run: .venv/bin/python bench/streaks.py [--members 100000] [--checkin-members 1000]
Targets (issue 6, on the 2-core machine): check-ins >= 2,000/s and within 2x the floor;
leaderboard p99 <= 50 ms and `streak` p99 <= 10 ms for a space of 100,000 members with a
year of history; heatmap render <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.clock import FixedClock
from bot.core.commands import CHECKIN, LEADERBOARD, STREAK
from bot.core.heatmap import heatmap_png
from bot.core.leaderboard import LeaderboardService
from bot.core.messages import Actor, Platform
from bot.core.requests import Request
from bot.core.study import StudyService
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.leaderboard import SqlLeaderboard
from bot.storage.migrate import upgrade
from bot.storage.repositories import SqlMemberRepository, SqlSpaceRepository
from bot.storage.streaks import SqlLearningEventRepository

NOW = datetime(2026, 11, 20, 18, tzinfo=UTC)
SPACE = "guild-bench"
CHECKINS_EACH = 20
QUERIES = 300  # per measured command, after a warm-up


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def actor(user: int) -> Actor:
    return Actor(Platform.DISCORD, SPACE, "c1", str(user), f"member {user}", False, "Bench")


async def services(url: str) -> tuple[StudyService, LeaderboardService, SqlLeaderboard, object]:
    engine = create_engine(url)
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    clock = FixedClock(NOW)
    members = SqlMemberRepository(sessions, clock)
    study = StudyService(
        SqlLearningEventRepository(sessions),
        members,
        SqlSpaceRepository(sessions, clock),
        clock,
        "UTC",
    )
    boards = SqlLeaderboard(sessions)
    return study, LeaderboardService(boards, members, study, clock), boards, engine


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


async def bare_floor(folder: Path, members: int) -> float:
    """Insert the same rows with bare aiosqlite, one commit per check-in; return rows/s."""
    path = folder / "floor.db"
    url = f"sqlite+aiosqlite:///{path}"
    _, _, _, engine = await services(url)  # the same schema, indexes and constraints
    await engine.dispose()  # type: ignore[attr-defined]
    async with aiosqlite.connect(path) as db:
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
            await db.execute(f"PRAGMA {pragma}")  # the bot's durability settings
        started = time.perf_counter()
        for user in range(members):
            for n in range(CHECKINS_EACH):
                await db.execute(
                    "INSERT INTO learning_events (platform, user_id, space_id, kind, source,"
                    " occurred_at, local_date, minutes, note) VALUES (?,?,?,?,?,?,?,?,?)",
                    ("discord", str(user), SPACE, "checkin", f"evt-{user}-{n}",
                     NOW.isoformat(), NOW.date().isoformat(), 15, "sql"),
                )  # fmt: skip
                await db.commit()
        elapsed = time.perf_counter() - started
    return members * CHECKINS_EACH / elapsed


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


# --- a big space -------------------------------------------------------------------------


def history(members: int, seed: int = 6) -> list[tuple[object, ...]]:
    """Return a year of learning events: a few daily learners, more casual ones, many rare."""
    rng = random.Random(seed)
    first = NOW.date() - timedelta(days=364)
    rows: list[tuple[object, ...]] = []
    for user in range(members):
        share = rng.random()
        chance = 0.7 if share < 0.05 else 0.15 if share < 0.30 else 0.02
        for offset in range(365):
            if rng.random() < chance:
                day = first + timedelta(days=offset)
                at = datetime.combine(day, NOW.timetz()).isoformat()
                rows.append(("discord", str(user), SPACE, "checkin", f"h-{user}-{offset}", at,
                             day.isoformat(), rng.choice((0, 15, 30, 60)), ""))  # fmt: skip
    return rows


async def big_space(folder: Path, members: int) -> dict[str, object]:
    path = folder / "space.db"
    url = f"sqlite+aiosqlite:///{path}"
    study, ranking, boards, engine = await services(url)
    started = time.perf_counter()
    rows = history(members)
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO learning_events (platform, user_id, space_id, kind, source,"
            " occurred_at, local_date, minutes, note) VALUES (?,?,?,?,?,?,?,?,?)",
            rows,
        )
        db.execute(
            "INSERT INTO spaces (platform, external_id, name, created_at) VALUES (?,?,?,?)",
            ("discord", SPACE, "Bench", NOW.isoformat()),
        )
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    totals = await boards.backfill(NOW, "UTC")  # the real path: streak_totals per member
    backfilled = time.perf_counter() - started
    with sqlite3.connect(path) as db:
        db.execute("ANALYZE")
    users = sorted({int(r[1]) for r in rows})  # type: ignore[call-overload]
    rng = random.Random(7)
    boards_measured: dict[str, list[float]] = {}
    for period in ("week", "month", "all"):
        for metric in ("streak", "minutes"):
            times = []
            for index in range(QUERIES + 20):
                asker = actor(rng.choice(users))
                started = time.perf_counter()
                await ranking.leaderboard(
                    Request(asker, LEADERBOARD, {"period": period, "metric": metric})
                )
                if index >= 20:
                    times.append((time.perf_counter() - started) * 1000)
            boards_measured[f"{period} {metric}"] = times
    streak_times = []
    for index in range(QUERIES + 20):
        asker = actor(rng.choice(users))
        started = time.perf_counter()
        await study.streak(Request(asker, STREAK))
        if index >= 20:
            streak_times.append((time.perf_counter() - started) * 1000)
    await engine.dispose()  # type: ignore[attr-defined]
    return {
        "events": len(rows),
        "members": totals,
        "load_s": loaded,
        "backfill_s": backfilled,
        "boards": boards_measured,
        "streak": streak_times,
    }


def heatmap_ms() -> list[float]:
    today = NOW.date()
    days = {today - timedelta(days=i): (i * 7) % 120 for i in range(0, 182) if i % 3}
    times = []
    for _ in range(200):
        started = time.perf_counter()
        heatmap_png(days, today)
        times.append((time.perf_counter() - started) * 1000)
    return times


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--checkin-members", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rate, wall, rows = await checkin_throughput(folder, args.checkin_members)
        floor = await bare_floor(folder, args.checkin_members)
        print(f"check-ins: {args.checkin_members} members x {CHECKINS_EACH}, concurrently, "
              f"through StudyService.checkin on SQLite: {rows} stored once each")  # fmt: skip
        print(f"  {rate:,.0f} check-ins/s ({wall:.1f} s)  floor (bare aiosqlite, a commit "
              f"each): {floor:,.0f} rows/s  ratio floor/ours {floor / rate:.2f}x  "
              "(target >= 2,000/s and <= 2x)")  # fmt: skip
        space = await big_space(folder, args.members)
        print(f"big space: {space['members']:,} members, {space['events']:,} events over a year "
              f"(loaded in {space['load_s']:.0f} s; totals computed in "
              f"{space['backfill_s']:.0f} s)")  # fmt: skip
        boards = space["boards"]
        assert isinstance(boards, dict)
        for name, times in boards.items():
            print(f"  leaderboard {name:<13} p50 {percentile(times, 0.5):5.1f} ms  "
                  f"p99 {percentile(times, 0.99):5.1f} ms  (target p99 50 ms)")  # fmt: skip
        streak = space["streak"]
        assert isinstance(streak, list)
        print(f"  streak (with heatmap)   p50 {percentile(streak, 0.5):5.1f} ms  "
              f"p99 {percentile(streak, 0.99):5.1f} ms  (target p99 10 ms)")  # fmt: skip
    heat = heatmap_ms()
    print(f"heatmap render: median {statistics.median(heat):.2f} ms  max {max(heat):.2f} ms"
          "  (target 50 ms)")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
