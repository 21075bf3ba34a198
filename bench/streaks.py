"""Streak speed: check-ins against a plain sqlite3 floor, leaderboard and streak p99.

Run: .venv/bin/python bench/streaks.py [--members 100000] [--checkin-members 1000]
[--only checkins]. Targets (issues 6 and 10, on the 2-core machine): a batch of check-ins
within 1.5x of a plain sqlite3 floor storing the same rows (bench/checkin_floor.py); one
sequential stream of check-ins p50 <= 2 ms; leaderboard p99 <= 50 ms, the asker's place on
every board p99 <= 5 ms and `streak` p99 <= 10 ms for a space of 100,000 members with a year
of history; a reminder tick with 100,000 opted-in members and nobody due <= 100 ms; heatmap
render <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.streak_checkins import (
    NOW,
    QUERIES,
    SPACE,
    actor,
    batch_against_floor,
    checkin_throughput,
    floor_per_row,
    percentile,
    sequential_stream,
    services,
)
from bot.core.clock import FixedClock
from bot.core.messages import Platform
from bot.core.requests import Request
from bot.core.study.commands import LEADERBOARD, STREAK
from bot.core.study.context import StreakReader, StudyContexts
from bot.core.study.heatmap import heatmap_png
from bot.core.study.ports import Board
from bot.core.study.reminders import ReminderService
from bot.core.study.streaks import week_start
from bot.storage.db import create_sessionmaker
from bot.storage.repositories import SqlMemberRepository
from bot.storage.spaces import SqlSpaceRepository
from bot.storage.study.leaderboard import SqlReminderLog
from bot.storage.study.streaks import SqlLearningEventRepository
from bot.storage.tables import MemberRow

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
    users = sorted({int(r[1]) for r in rows})  # type: ignore[call-overload]
    events = len(rows)
    # Freed before the timed part: walking 3 million live tuples, the garbage collector
    # stalled the loop (~150 ms a pass) on the benchmark's own memory, not the bot's.
    del rows
    started = time.perf_counter()
    async with watching_the_loop() as backfill_stall:
        totals = await boards.backfill(NOW, "UTC")  # the real path: streak_totals per member
    backfilled = time.perf_counter() - started
    started = time.perf_counter()
    async with watching_the_loop() as refresh_stall:
        await boards.refresh_space(Platform.DISCORD, SPACE, NOW, "UTC")  # a rule change
    refreshed = time.perf_counter() - started
    with sqlite3.connect(path) as db:
        db.execute("ANALYZE")
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
    places = await standings(boards, users)
    tick = await reminder_tick(engine, members)
    await engine.dispose()  # type: ignore[attr-defined]
    return {
        "refresh_s": refreshed,
        "stall_ms": (max(backfill_stall), max(refresh_stall)),
        "places": places,
        "tick": tick,
        "events": events,
        "members": totals,
        "load_s": loaded,
        "backfill_s": backfilled,
        "boards": boards_measured,
        "streak": streak_times,
    }


@contextlib.asynccontextmanager
async def watching_the_loop() -> AsyncIterator[list[float]]:
    """Collect how late a 5 ms sleep wakes up (ms) while the block runs: the loop's stalls."""
    stalls = [0.0]
    done = asyncio.Event()

    async def beat() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            stalls.append((time.perf_counter() - started - 0.005) * 1000)

    task = asyncio.create_task(beat())
    try:
        yield stalls
    finally:
        done.set()
        await task


async def standings(boards: object, users: list[int]) -> dict[str, list[float]]:
    """Time SqlLeaderboard.standing (the asker's place) for random members on every board."""
    rng = random.Random(8)
    measured: dict[str, list[float]] = {}
    for period in ("week", "month", "all"):
        for metric in ("streak", "minutes"):
            start = week_start(NOW.date()) if period == "week" else NOW.date().replace(day=1)
            board = Board(Platform.DISCORD, SPACE, period, metric, start, NOW)
            times = []
            for index in range(QUERIES + 20):
                user = str(rng.choice(users))
                started = time.perf_counter()
                await boards.standing(board, user)  # type: ignore[attr-defined]
                if index >= 20:
                    times.append((time.perf_counter() - started) * 1000)
            measured[f"{period} {metric}"] = times
    return measured


class _Nobody:
    async def post(self, *args: object) -> None:
        raise AssertionError("no posts")

    async def direct(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("nobody is due")


async def reminder_tick(engine: object, members: int) -> list[float]:
    """Opt every member in, due tomorrow; return ms per ReminderService.send_due tick."""
    sessions = create_sessionmaker(engine)  # type: ignore[arg-type]
    tomorrow = NOW + timedelta(days=1)
    async with sessions.begin() as session:
        for first in range(0, members, 10_000):
            await session.execute(
                insert(MemberRow),
                [
                    {"platform": "discord", "user_id": f"r{u}", "display_name": f"r{u}",
                     "created_at": NOW, "updated_at": NOW, "reminders": True,
                     "reminder_space_id": SPACE, "next_reminder_at": tomorrow}
                    for u in range(first, min(members, first + 10_000))
                ],
            )  # fmt: skip
    clock = FixedClock(NOW)
    people = SqlMemberRepository(sessions, clock)
    service = ReminderService(
        people,
        StudyContexts(people, SqlSpaceRepository(sessions, clock), "UTC"),
        StreakReader(SqlLearningEventRepository(sessions, "UTC"), clock),
        SqlReminderLog(sessions),
        clock,
        {Platform.DISCORD: _Nobody()},
    )
    times = []
    for index in range(120):
        started = time.perf_counter()
        assert await service.send_due() == 0
        if index >= 20:
            times.append((time.perf_counter() - started) * 1000)
    return times


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
    parser.add_argument("--only", choices=("checkins",), help="stop after the check-in figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rate, wall, rows = await checkin_throughput(folder, args.checkin_members)
        floor = await floor_per_row(folder, args.checkin_members)
        print(f"check-ins: {args.checkin_members} members x 20, concurrently, through "
              f"CheckinService.checkin on SQLite: {rows} stored once each")  # fmt: skip
        print(f"  {rate:,.0f} check-ins/s ({wall:.1f} s); plain sqlite3, event rows only, a "
              f"commit each: {floor:,.0f} rows/s (ratio {floor / rate:.1f}x)")  # fmt: skip
        batch = await batch_against_floor(folder)
        ours = batch["ours_ms"]
        print(f"  one batch of 256 check-ins (256 members), median: ours {ours:.1f} ms; floor "
              f"(plain sqlite3, the same reads and rows: members, events, the day's minutes, "
              f"member_stats with state) {batch['floor_ms']:.2f} ms: ratio "
              f"{ours / batch['floor_ms']:.2f}x (target <= 1.5x)")  # fmt: skip
        whole, complete = batch["whole_history_floor_ms"], batch["complete_floor_ms"]
        print(f"  the previous writer's floor (every study day read): {whole:.2f} ms (ratio "
              f"{ours / whole:.2f}x); that floor also computing the totals from the days it "
              f"read: {complete:.2f} ms (ratio {ours / complete:.2f}x)")  # fmt: skip
        print(f"    for reference, plain sqlite3 inserting only the 256 event rows: "
              f"{batch['events_only_ms']:.2f} ms (ours "
              f"{batch['ours_ms'] / batch['events_only_ms']:.1f}x; not the same work)")  # fmt: skip
        stream = await sequential_stream(folder)
        print(f"  one sequential stream through CheckinService.checkin: p50 "
              f"{percentile(stream['ours'], 0.5):.2f} ms  p99 "
              f"{percentile(stream['ours'], 0.99):.2f} ms (target p50 <= 2 ms); floor p50 "
              f"{percentile(stream['floor'], 0.5):.2f} ms")  # fmt: skip
        if args.only == "checkins":
            return
        space = await big_space(folder, args.members)
        print(f"big space: {space['members']:,} members, {space['events']:,} events over a year "
              f"(loaded in {space['load_s']:.0f} s; totals computed in "
              f"{space['backfill_s']:.0f} s)")  # fmt: skip
        boards = space["boards"]
        assert isinstance(boards, dict)
        for name, times in boards.items():
            print(f"  leaderboard {name:<13} p50 {percentile(times, 0.5):5.1f} ms  "
                  f"p99 {percentile(times, 0.99):5.1f} ms  (target p99 50 ms)")  # fmt: skip
        places = space["places"]
        assert isinstance(places, dict)
        for name, times in places.items():
            print(f"  asker's place {name:<13} p50 {percentile(times, 0.5):5.2f} ms  "
                  f"p99 {percentile(times, 0.99):5.2f} ms  (target p99 5 ms)")  # fmt: skip
        tick = space["tick"]
        assert isinstance(tick, list)
        print(f"  reminder tick, {args.members:,} opted in, nobody due: p50 "
              f"{percentile(tick, 0.5):.2f} ms  max {max(tick):.2f} ms"
              "  (target 100 ms)")  # fmt: skip
        stall = space["stall_ms"]
        assert isinstance(stall, tuple)
        print(f"  refresh_space (a rule change) {space['refresh_s']:.0f} s; longest event-loop "
              f"stall: backfill {stall[0]:.0f} ms, refresh {stall[1]:.0f} ms")  # fmt: skip
        streak = space["streak"]
        assert isinstance(streak, list)
        print(f"  streak (with heatmap)   p50 {percentile(streak, 0.5):5.1f} ms  "
              f"p99 {percentile(streak, 0.99):5.1f} ms  (target p99 10 ms)")  # fmt: skip
    heat = heatmap_ms()
    print(f"heatmap render: median {statistics.median(heat):.2f} ms  max {max(heat):.2f} ms"
          "  (target 50 ms)")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
