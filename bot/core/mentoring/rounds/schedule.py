"""When a channel's pairing round is due: pure functions over a schedule and aware datetimes.

A round is due at the first instant at which the channel's clock shows the configured weekday
and time or later. So a wall time inside a spring-forward gap (02:30 in Europe/Berlin on the
last Sunday of March) is due when the gap ends (03:00 local), and a wall time that occurs twice
on a fall-back day (01:30 in America/New_York in November) is due at its first occurrence.
The heads-up goes out one day (24 hours) before the due instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

CADENCES: Final = (1, 2, 4)  # every 1, 2 or 4 weeks
HEADS_UP: Final = timedelta(days=1)
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class RoundSchedule:
    """Every few weeks, on a weekday at a local time, in a timezone."""

    every_weeks: int
    weekday: int  # 0 = Monday
    at: time  # local wall-clock time, without tzinfo
    timezone: str  # IANA name

    def __post_init__(self) -> None:
        if self.every_weeks not in CADENCES:
            raise ValueError(f"every_weeks must be one of {CADENCES}, not {self.every_weeks}")
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6, not {self.weekday}")
        if self.at.tzinfo is not None:
            raise ValueError("RoundSchedule.at is a local wall-clock time: give it no tzinfo")
        ZoneInfo(self.timezone)  # an unknown name fails now, not at round time

    @property
    def zone(self) -> ZoneInfo:
        """Return the schedule's timezone."""
        return ZoneInfo(self.timezone)


def due_at(schedule: RoundSchedule, day: date) -> datetime:
    """Return the instant (aware, UTC) a round on local date day is due (DST: see module)."""
    zone = schedule.zone
    wall = datetime.combine(day, schedule.at.replace(fold=0), tzinfo=zone)
    due = wall.astimezone(UTC)
    if due.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return due  # the time exists; fold=0 is its first occurrence when it has two
    return _gap_end(wall, zone)


def heads_up_at(schedule: RoundSchedule, day: date) -> datetime:
    """Return when the members of a round on day hear that they are in (a day before)."""
    return due_at(schedule, day) - HEADS_UP


def first_day(schedule: RoundSchedule, now: datetime) -> date:
    """Return the first local date on the schedule's weekday whose round is still ahead."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    today = now.astimezone(schedule.zone).date()
    day = today + timedelta(days=(schedule.weekday - today.weekday()) % 7)
    while due_at(schedule, day) <= now:
        day += timedelta(days=7)
    return day


def following_day(schedule: RoundSchedule, day: date) -> date:
    """Return the local date of the round after the one on day."""
    return day + timedelta(weeks=schedule.every_weeks)


def _gap_end(wall: datetime, zone: ZoneInfo) -> datetime:
    """Return the instant the clock jumps forward, for a wall time that falls in the jump."""
    # fold=1 reads the wall time with the offset after the jump (an instant before it), fold=0
    # with the offset before (an instant after it): bisect whole seconds between the two.
    second = timedelta(seconds=1)
    low = (wall.replace(fold=1) - _EPOCH) // second
    high = -((_EPOCH - wall.replace(fold=0)) // second)
    after = (_EPOCH + high * second).astimezone(zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if (_EPOCH + middle * second).astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return _EPOCH + high * second
