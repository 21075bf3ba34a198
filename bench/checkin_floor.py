"""The check-in floor: the batch writer's durable work done by a plain stdlib sqlite3 loop.

For the same check-ins the floor reads and writes what the batch writer reads and writes, in
one transaction per batch, on the same schema (the migrations) with the same pragmas (WAL,
synchronous=NORMAL, foreign_keys, busy_timeout):

1. each member's `members` row, sorted: INSERT ... ON CONFLICT DO UPDATE (the lock) RETURNING
   the privacy flag, one `execute` per member;
2. each event: INSERT ... ON CONFLICT (platform, source) DO NOTHING RETURNING id, one
   `execute` per event;
3. the minutes and events of each (member, local day) with new events (the daily cap): one
   grouped SELECT;
4. the members' member_stats rows with their space's rules and timezone, their stored totals
   and streak state (what a row is carried forward from): one SELECT;
5. each member's member_stats row with its final totals and state: one INSERT ... ON
   CONFLICT DO UPDATE (`executemany`), a new row taking the privacy flag read in step 1.

The totals it writes are computed before the clock starts (with the same pure functions), so
the floor has no streak arithmetic and no SQLAlchemy: what the batch writer spends beyond it
is our overhead. `same_rows` checks that both databases hold the same rows afterwards.

whole_history=True is the floor of the writer before it carried rows forward: steps 3 and 4
read every study day of the members (one grouped SELECT) and their rows' rules only. Without
totals given, it also computes them from the days it read (the whole job of that writer).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from bot.core.study.streaks import (
    ForgivenessRules,
    StreakState,
    StreakTotals,
    streak_state,
    streak_totals,
)

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000")
TOTALS = ("current_streak", "longest_streak", "alive_until", "last_day", "week_start",
          "week_days", "week_minutes", "month_start", "month_days", "month_minutes",
          "total_days", "total_minutes")  # fmt: skip
STATE = ("state_streak", "state_freezes", "state_run", "state_days_per_freeze",
         "state_max_freezes")  # fmt: skip
MEMBER = (
    "INSERT INTO members (platform, user_id, display_name, created_at, updated_at,"
    " leaderboard_hidden, reminders) VALUES (?, ?, ?, ?, ?, 0, 0)"
    " ON CONFLICT (platform, user_id) DO UPDATE SET updated_at = members.updated_at"
    " RETURNING leaderboard_hidden"
)
EVENT = (
    "INSERT INTO learning_events (platform, user_id, space_id, kind, source, occurred_at,"
    " local_date, minutes, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (platform, source) DO NOTHING RETURNING id"
)
DAYS = (
    "SELECT user_id, local_date, sum(minutes), count(*) FROM learning_events"
    " WHERE platform = ? AND user_id IN ({}) GROUP BY user_id, local_date"
    " ORDER BY user_id, local_date"
)
DAY = (
    "SELECT user_id, local_date, sum(minutes), count(*) FROM learning_events"
    " WHERE platform = ? AND user_id IN ({}) AND local_date IN ({})"
    " GROUP BY user_id, local_date"
)
_STORED = ", ".join(f"s.{c}" for c in (*TOTALS, *STATE))
STORED_ROWS = (
    "SELECT s.space_id, s.user_id, p.days_per_freeze, p.max_freezes, p.default_timezone,"  # noqa: S608
    f" m.timezone, {_STORED} FROM member_stats s"
    " LEFT JOIN spaces p ON p.platform = s.platform AND p.external_id = s.space_id"
    " LEFT JOIN members m ON m.platform = s.platform AND m.user_id = s.user_id"
    " WHERE s.platform = ? AND s.user_id IN ({}) ORDER BY s.user_id, s.space_id"
)
ROWS = (
    "SELECT s.space_id, s.user_id, p.days_per_freeze, p.max_freezes, p.default_timezone,"
    " m.timezone FROM member_stats s"
    " LEFT JOIN spaces p ON p.platform = s.platform AND p.external_id = s.space_id"
    " LEFT JOIN members m ON m.platform = s.platform AND m.user_id = s.user_id"
    " WHERE s.platform = ? AND s.user_id IN ({}) ORDER BY s.user_id, s.space_id"
)
_SET = ", ".join(f"{c} = excluded.{c}" for c in ("display_name", "updated_at", *TOTALS, *STATE))
STATS = (
    f"INSERT INTO member_stats (platform, space_id, user_id, display_name, hidden, updated_at, "  # noqa: S608
    f"{', '.join((*TOTALS, *STATE))}) VALUES (?, ?, ?, ?, ?, ?{', ?' * len((*TOTALS, *STATE))})"
    f" ON CONFLICT (platform, space_id, user_id) DO UPDATE SET {_SET}"
)


class CheckIn:
    """One check-in as the floor stores it (the columns the batch writer fills)."""

    __slots__ = ("at", "day", "minutes", "name", "note", "platform", "source", "space", "user")

    def __init__(
        self, platform: str, user: str, space: str, source: str, at: datetime, day: date,
        minutes: int, note: str, name: str,
    ) -> None:  # fmt: skip
        self.platform, self.user, self.space, self.source = platform, user, space, source
        self.at, self.day, self.minutes, self.note, self.name = at, day, minutes, note, name


def connect(path: Path) -> sqlite3.Connection:
    """Return a plain sqlite3 connection with the bot's durability settings."""
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        db.execute(f"PRAGMA {pragma}")
    return db


def stamp(moment: datetime) -> str:
    """Return a moment as SQLAlchemy stores it in SQLite (UTC, no offset)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


Totals = dict[str, tuple[StreakTotals, StreakState | None]]


def totals_for(
    history: dict[str, dict[date, int]], batch: Sequence[CheckIn], timezone: str = "UTC"
) -> Totals:
    """Add the batch to each member's known days; return their totals and state (not timed)."""
    for c in batch:
        days = history.setdefault(c.user, {})
        days[c.day] = days.get(c.day, 0) + c.minutes
    return {c.user: _totals(history[c.user], c.day, timezone) for c in batch}


def _totals(
    days: dict[date, int], today: date, timezone: str
) -> tuple[StreakTotals, StreakState | None]:
    totals = streak_totals(days, today, timezone, ForgivenessRules())
    state = streak_state(days, ForgivenessRules()) if totals.last_day <= today else None
    return totals, state


def store(
    db: sqlite3.Connection,
    batch: Sequence[CheckIn],
    totals: Totals | None = None,
    *,
    whole_history: bool = False,
) -> int:
    """Store a batch in one transaction, the floor's way (see the module docstring).

    whole_history: read every study day instead of the batch's days and the stored rows;
    then without totals it computes them itself, inside the transaction, from the days it
    read (dates parsed, the same streak_totals): the whole job, minus SQLAlchemy and asyncio.
    """
    platform = batch[0].platform
    at = stamp(max(c.at for c in batch))
    db.execute("BEGIN")
    hidden = {}
    for c in sorted(batch, key=lambda c: c.user):
        member = (c.platform, c.user, c.name, stamp(c.at), stamp(c.at))
        (hidden[c.user],) = db.execute(MEMBER, member).fetchone()
    new = 0
    for c in batch:
        row = (c.platform, c.user, c.space, "checkin", c.source, stamp(c.at), c.day.isoformat(),
               c.minutes, c.note)  # fmt: skip
        new += db.execute(EVENT, row).fetchone() is not None
    users = sorted({c.user for c in batch})
    marks = ", ".join("?" * len(users))
    if whole_history:
        days = db.execute(DAYS.format(marks), (platform, *users)).fetchall()
        db.execute(ROWS.format(marks), (platform, *users)).fetchall()
        if totals is None:
            totals = _totals_from(days, batch)
    else:
        dates = sorted({c.day.isoformat() for c in batch})
        day_marks = ", ".join("?" * len(dates))
        db.execute(DAY.format(marks, day_marks), (platform, *users, *dates)).fetchall()
        db.execute(STORED_ROWS.format(marks), (platform, *users)).fetchall()
    if totals is None:
        raise ValueError("the floor computes totals only from the whole history")
    db.executemany(
        STATS,
        [
            (platform, c.space, c.user, c.name, hidden[c.user], at,
             *(_plain(getattr(totals[c.user][0], name)) for name in TOTALS),
             *_state(totals[c.user][1]))
            for c in sorted(batch, key=lambda c: c.user)
        ],
    )  # fmt: skip
    db.execute("COMMIT")
    return new


def _state(state: StreakState | None) -> tuple[int | None, ...]:
    if state is None:
        return (None,) * len(STATE)
    rules = state.rules
    return (state.current, state.freezes, state.run, rules.days_per_freeze, rules.max_freezes)


def _totals_from(rows: Sequence[tuple[str, str, int, int]], batch: Sequence[CheckIn]) -> Totals:
    """Return each member's totals and state from the (user, date, minutes, events) rows read."""
    history: dict[str, dict[date, int]] = {}
    for user, day, minutes, _ in rows:
        history.setdefault(user, {})[date.fromisoformat(day)] = minutes
    return {c.user: _totals(history[c.user], c.day, "UTC") for c in batch}


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


SAME = {
    "members": "platform, user_id, display_name, created_at, updated_at, leaderboard_hidden",
    "learning_events": "platform, user_id, space_id, kind, source, occurred_at, local_date,"
    " minutes, note",
    "member_stats": "platform, space_id, user_id, display_name, hidden, updated_at, "
    + ", ".join((*TOTALS, *STATE)),
}


def same_rows(ours: Path, floor: Path) -> None:
    """Raise unless both databases hold the same members, events and member_stats rows."""
    for table, columns in SAME.items():
        query = f"SELECT {columns} FROM {table} ORDER BY {columns}"  # noqa: S608
        with sqlite3.connect(ours) as a, sqlite3.connect(floor) as b:
            mine, theirs = a.execute(query).fetchall(), b.execute(query).fetchall()
        if mine != theirs:
            first = next((m, t) for m, t in zip(mine, theirs, strict=False) if m != t)
            raise AssertionError(f"the floor wrote other {table} rows: {first}")
