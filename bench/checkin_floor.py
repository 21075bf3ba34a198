"""The check-in floor: the batch writer's durable work done by a plain stdlib sqlite3 loop.

For the same check-ins the floor writes exactly the rows the batch writer writes, in one
transaction per batch, on the same schema (the migrations) with the same pragmas (WAL,
synchronous=NORMAL, foreign_keys, busy_timeout):

1. each member's `members` row, sorted: INSERT ... ON CONFLICT DO UPDATE (the lock) RETURNING
   the privacy flag, one `execute` per member;
2. each event: INSERT ... ON CONFLICT (platform, source) DO NOTHING RETURNING id, one
   `execute` per event;
3. the members' study days: one grouped SELECT (what the daily cap and the totals need);
4. the members' member_stats rows with their space's rules and timezone: one SELECT;
5. each member's member_stats row with its final totals: one INSERT ... ON CONFLICT DO UPDATE
   (`executemany`), a new row taking the privacy flag read in step 1.

The totals it writes are computed before the clock starts (with the same pure function), so
the floor has no streak arithmetic and no SQLAlchemy: what the batch writer spends beyond it
is our overhead. `same_rows` checks that both databases hold the same rows afterwards.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from bot.core.study.streaks import ForgivenessRules, StreakTotals, streak_totals

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000")
TOTALS = ("current_streak", "longest_streak", "alive_until", "last_day", "week_start",
          "week_days", "week_minutes", "month_start", "month_days", "month_minutes",
          "total_days", "total_minutes")  # fmt: skip
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
ROWS = (
    "SELECT s.space_id, s.user_id, p.days_per_freeze, p.max_freezes, p.default_timezone,"
    " m.timezone FROM member_stats s"
    " LEFT JOIN spaces p ON p.platform = s.platform AND p.external_id = s.space_id"
    " LEFT JOIN members m ON m.platform = s.platform AND m.user_id = s.user_id"
    " WHERE s.platform = ? AND s.user_id IN ({}) ORDER BY s.user_id, s.space_id"
)
_SET = ", ".join(f"{c} = excluded.{c}" for c in ("display_name", "updated_at", *TOTALS))
STATS = (
    f"INSERT INTO member_stats (platform, space_id, user_id, display_name, hidden, updated_at, "  # noqa: S608
    f"{', '.join(TOTALS)}) VALUES (?, ?, ?, ?, ?, ?{', ?' * len(TOTALS)})"
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


def totals_for(
    history: dict[str, dict[date, int]], batch: Sequence[CheckIn], timezone: str = "UTC"
) -> dict[str, StreakTotals]:
    """Add the batch to each member's known days and return their totals (not timed)."""
    for c in batch:
        days = history.setdefault(c.user, {})
        days[c.day] = days.get(c.day, 0) + c.minutes
    return {
        c.user: streak_totals(history[c.user], c.day, timezone, ForgivenessRules()) for c in batch
    }


def store(
    db: sqlite3.Connection,
    batch: Sequence[CheckIn],
    totals: dict[str, StreakTotals] | None = None,
) -> int:
    """Store a batch in one transaction, the floor's way (see the module docstring).

    Without totals it computes them itself, inside the transaction, from the days it reads
    (dates parsed, the same streak_totals): the whole job, minus SQLAlchemy and asyncio.
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
    days = db.execute(DAYS.format(marks), (platform, *users)).fetchall()
    db.execute(ROWS.format(marks), (platform, *users)).fetchall()
    if totals is None:
        totals = _totals_from(days, batch)
    db.executemany(
        STATS,
        [
            (platform, c.space, c.user, c.name, hidden[c.user], at,
             *(_plain(getattr(totals[c.user], name)) for name in TOTALS))
            for c in sorted(batch, key=lambda c: c.user)
        ],
    )  # fmt: skip
    db.execute("COMMIT")
    return new


def _totals_from(
    rows: Sequence[tuple[str, str, int, int]], batch: Sequence[CheckIn]
) -> dict[str, StreakTotals]:
    """Return each member's totals from the (user, date, minutes, events) rows read."""
    history: dict[str, dict[date, int]] = {}
    for user, day, minutes, _ in rows:
        history.setdefault(user, {})[date.fromisoformat(day)] = minutes
    return {c.user: streak_totals(history[c.user], c.day, "UTC", ForgivenessRules()) for c in batch}


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
    + ", ".join(TOTALS),
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
