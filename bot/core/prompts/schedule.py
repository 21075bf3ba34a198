"""When a channel's daily prompt is due: pure functions over a schedule and aware datetimes.

A channel's local date is the key of its post (one post per channel and local date), so every
function here maps a local date to at most one due instant, and due instants grow with the date.

DST rule, in one sentence: a day's post is due at the first instant at which the channel's
clock shows the configured time or later. So:

- On a spring-forward day a time inside the gap (02:30 in Europe/Berlin on the last Sunday of
  March) is due when the gap ends (03:00 local, 01:00 UTC): once, never later than a channel
  set to a time after the gap.
- On a fall-back day a time that occurs twice (01:30 in America/New_York on the first Sunday of
  November) is due at its first occurrence (fold=0, still on summer time): once.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

EVERY_DAY: Final = frozenset(range(7))  # Monday is 0, as in date.weekday()
DEFAULT_GRACE: Final = timedelta(hours=3)
# How far next_post and due_day look for a posting day before giving up: more than a year,
# so a schedule whose skip dates cover every allowed day answers None instead of looping.
HORIZON_DAYS: Final = 400
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a channel gets its prompt: a local time on some weekdays, minus skips and pauses."""

    at: time  # local wall-clock time, without tzinfo
    timezone: str  # IANA name, such as Europe/Berlin
    weekdays: frozenset[int] = EVERY_DAY  # 0 = Monday; skipping a weekday means leaving it out
    skip_dates: frozenset[date] = frozenset()  # local dates with no post (holidays)
    paused_until: date | None = None  # no post before this local date; it posts again on it
    grace: timedelta = DEFAULT_GRACE  # how late a missed post may still go out after a restart

    def __post_init__(self) -> None:
        if self.at.tzinfo is not None:
            raise ValueError("Schedule.at is a local wall-clock time: give it no tzinfo")
        if not self.weekdays <= EVERY_DAY:
            raise ValueError(f"weekdays must be within 0 (Monday) to 6: {sorted(self.weekdays)}")
        if self.grace < timedelta(0):
            raise ValueError("grace cannot be negative")
        _zone(self)  # an unknown name raises ZoneInfoNotFoundError now, not at posting time


def post_moment(schedule: Schedule, local_day: date) -> datetime:
    """Return the instant (aware, UTC) local_day's post is due; see the module for DST."""
    # fold=0 even if `at` came with fold=1, which combine() would copy: the first occurrence.
    wall = datetime.combine(local_day, schedule.at.replace(fold=0), tzinfo=_zone(schedule))
    due = wall.astimezone(UTC)
    if due.astimezone(_zone(schedule)).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return due  # the time exists; fold=0 picked its first occurrence if it has two
    return _gap_end(wall, _zone(schedule))


def _gap_end(wall: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """Return the instant the clock jumps forward, for a wall time that falls in the jump."""
    # fold=1 reads the wall time with the offset after the jump, fold=0 with the one before,
    # so the jump lies after the first reading and at or before the second one. Transitions
    # fall on whole seconds: bisect over whole seconds since the epoch.
    second = timedelta(seconds=1)
    low = (wall.replace(fold=1) - _EPOCH) // second  # floor: still before the jump
    high = -((_EPOCH - wall.replace(fold=0)) // second)  # ceiling: at or after it
    offset_after = _at_second(high).astimezone(zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if _at_second(middle).astimezone(zone).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    return _at_second(high)


def _at_second(seconds: int) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)


def posting_day(schedule: Schedule, day: date) -> bool:
    """Return whether the local date day gets a post: an allowed weekday, not skipped or paused."""
    if schedule.paused_until is not None and day < schedule.paused_until:
        return False
    return day.weekday() in schedule.weekdays and day not in schedule.skip_dates


def next_post(schedule: Schedule, after: datetime) -> tuple[date, datetime] | None:
    """Return the first posting day whose post is due strictly after `after`, and that instant.

    None when no weekday is allowed, or no day within HORIZON_DAYS (counted from the later of
    `after` and the end of a pause) posts. Called with the previous due instant it returns the
    next local date, never the same one again.
    """
    _require_aware(after, "next_post")
    if not schedule.weekdays:
        return None
    # A day's post is due no earlier than its local midnight, but a whole-day gap in the clock
    # (Pacific/Apia skipped 2011-12-30) can push it into the next day: start one day back.
    day = _local_date(schedule, after) - timedelta(days=1)
    if schedule.paused_until is not None:
        day = max(day, schedule.paused_until)
    for _ in range(HORIZON_DAYS + 2):
        if posting_day(schedule, day):
            due = post_moment(schedule, day)
            if due > after:
                return day, due
        day += timedelta(days=1)
    return None


def due_day(schedule: Schedule, now: datetime) -> date | None:
    """Return the latest posting day whose post is due at or before now (None within the horizon).

    Whether it should still go out is within_grace's question; this only says which day it is.
    """
    _require_aware(now, "due_day")
    if not schedule.weekdays:
        return None
    # A fall-back at midnight can show yesterday's date after today's post was due.
    day = _local_date(schedule, now) + timedelta(days=1)
    for _ in range(HORIZON_DAYS + 2):
        if posting_day(schedule, day) and post_moment(schedule, day) <= now:
            return day
        day -= timedelta(days=1)
    return None


def within_grace(schedule: Schedule, day: date, now: datetime) -> bool:
    """Return whether day's post may still go out at now: due, and late by at most the grace.

    Both ends count: at the due instant itself, and at exactly due + grace, the post goes out;
    a moment later it is missed (and now before the due instant is not due yet).
    """
    _require_aware(now, "within_grace")
    due = post_moment(schedule, day)
    return due <= now <= due + schedule.grace


def pending_post(schedule: Schedule, now: datetime) -> tuple[date, datetime] | None:
    """Return the post to wait for at now: a due day still within grace, else the next one.

    Used when a schedule changes and after a missed day, so a post that is late but within
    the grace goes out at once instead of waiting a day.
    """
    day = due_day(schedule, now)
    if day is not None and within_grace(schedule, day, now):
        return day, post_moment(schedule, day)
    return next_post(schedule, now)


def _zone(schedule: Schedule) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(schedule.timezone)  # ZoneInfo keeps its own cache per name


def _local_date(schedule: Schedule, moment: datetime) -> date:
    return moment.astimezone(_zone(schedule)).date()


def _require_aware(moment: datetime, caller: str) -> None:
    # A naive datetime would be read in the host's zone by astimezone(): refuse it instead.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{caller} needs a timezone-aware datetime, got {moment!r}")
