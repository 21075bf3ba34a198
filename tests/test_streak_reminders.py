"""The reminder timer: one indexed query per tick, schedules that follow every setting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event

from bot.core.study.reminders import reminder_time

# `running` is the composed bot on each database, with a recording notifier (a fixture).
from tests.test_streak_features import ADA, BOB, MOD, Running, member
from tests.test_streak_features import running as running


@contextmanager
def statements(bot: Running) -> Iterator[list[str]]:
    """Collect the SQL statements the bot runs inside the block."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        seen.append(sql)

    engine = bot.bot.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_a_tick_with_nobody_due_is_one_query(running: Running) -> None:
    for user in range(30):
        await running.say(member(str(500 + user)), "reminders on")  # noon: 20:00 is ahead
    assert (
        await running.bot.timers["streak-reminders"].run() == 0
    )  # looks once at each, schedules 20:00

    with statements(running) as seen:
        assert await running.bot.timers["streak-reminders"].run() == 0
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1, seen

    running.advance(hours=8)  # 20:00 UTC: everybody's hour
    assert await running.bot.timers["streak-reminders"].run() == 30
    with statements(running) as seen:
        assert await running.bot.timers["streak-reminders"].run() == 0  # next look: tomorrow 20:00
    assert len(seen) == 1


async def test_a_timezone_change_moves_a_scheduled_reminder(running: Running) -> None:
    await running.say(ADA, "reminders on")
    assert (
        await running.bot.timers["streak-reminders"].run() == 0
    )  # 12:00 UTC; scheduled for 20:00 UTC
    await running.say(ADA, "timezone Asia/Tokyo")  # it is 21:00 there: due now
    assert await running.bot.timers["streak-reminders"].run() == 1


async def test_a_reminder_hour_change_moves_scheduled_reminders(running: Running) -> None:
    await running.say(ADA, "reminders on")
    await running.say(BOB, "reminders on")
    await running.say(BOB, "checkin")
    assert await running.bot.timers["streak-reminders"].run() == 0
    await running.say(MOD, "config streaks reminder-hour 13")
    running.advance(hours=1)  # 13:00 UTC
    assert await running.bot.timers["streak-reminders"].run() == 1  # Ada; Bob studied today
    assert [key.user_id for key, _ in running.sent.direct_messages] == ["1"]


def test_reminder_time_is_never_before_the_hour_across_dst_changes() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 02:00 does not exist on 29 March 2026 in Berlin: the first instant after the gap.
    spring = reminder_time(date(2026, 3, 29), 2, "Europe/Berlin")
    assert spring == datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert spring.astimezone(berlin).hour == 3
    # 02:00 happens twice on 25 October 2026: the first one.
    autumn = reminder_time(date(2026, 10, 25), 2, "Europe/Berlin")
    assert autumn == datetime(2026, 10, 25, 0, tzinfo=UTC)
    assert autumn.astimezone(berlin).hour == 2
    assert reminder_time(date(2026, 7, 1), 20, "America/New_York") == datetime(
        2026, 7, 2, 0, tzinfo=UTC
    )
