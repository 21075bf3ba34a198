"""Weekly hours in a member's local time, and their overlap across timezones.

Hours are written as `Mon-Thu 18:00-20:00, Sat 10:00-12:00`: comma- or semicolon-separated
items, each a day part (a day, a range `Mon-Thu`, a list `Mon/Wed/Fri`, or `daily`,
`weekdays`, `weekends`) followed by one or more time ranges. An item of days alone carries
on to the next item (`Mon, Wed 18:00-20:00`); an item of times alone reuses the days before
it (`Sat 10:00-12:00, 14:00-16:00`). A range whose end is not after its start runs past
midnight (`Fri 22:00-01:00`); `24:00` ends a day.

Overlaps are computed for an actual reference week: each local window is converted with
zoneinfo on its own date, so a DST change inside that week moves only the windows after it.
The result is folded onto one UTC week (minutes since Monday 00:00 UTC), since the hours
repeat weekly. A wall time skipped by a spring-forward change counts from the end of the gap;
a repeated one (fall-back) from its first occurrence.

zoneinfo conversions are the slow part of matching a long queue, so the result is cached per
(availability, week) and each conversion per (zone, day, wall time): both are pure functions
of hashable values, and members of one zone share most wall times (18:00, 20:00, ...).
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

MINUTES_PER_DAY: Final = 24 * 60
MINUTES_PER_WEEK: Final = 7 * MINUTES_PER_DAY
DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAYS_BY_NAME: Final = {
    **{name.casefold(): index for index, name in enumerate(DAY_NAMES)},
    **{
        name: index
        for index, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_DAY_GROUPS: Final = {
    "daily": tuple(range(7)),
    "weekdays": tuple(range(5)),
    "weekends": (5, 6),
    "weekend": (5, 6),
}
_TIME_RANGE: Final = re.compile(r"^(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?$")

Interval = tuple[int, int]  # [start, end) in minutes since Monday 00:00 UTC


@dataclass(frozen=True, slots=True)
class LocalWindow:
    """One weekly window in local wall-clock minutes since that weekday's midnight."""

    weekday: int  # 0 = Monday
    start: int  # 0 <= start < 1440
    end: int  # start < end <= start + 1440; past 1440 it runs into the next day


@dataclass(frozen=True, slots=True)
class Availability:
    """A member's weekly hours in their own timezone."""

    timezone: str  # IANA name
    windows: tuple[LocalWindow, ...]

    def __post_init__(self) -> None:
        zoneinfo.ZoneInfo(self.timezone)  # an unknown name fails here, not while matching


@dataclass(frozen=True, slots=True)
class LocalSpan:
    """A stretch of time shown on one member's clock (aware datetimes in their zone)."""

    start: datetime
    end: datetime


def parse_availability(text: str, timezone: str) -> Availability:
    """Return the weekly hours text describes, read in timezone; ValueError says what is wrong."""
    windows: list[LocalWindow] = []
    pending_days: list[int] = []
    last_days: list[int] = []
    items = [item.strip() for item in re.split(r"[,;]", text)]
    if not any(items):
        raise ValueError("no hours given: write them like `Mon-Thu 18:00-20:00, Sat 10:00-12:00`")
    for item in items:
        if not item:
            continue
        words = item.split()
        day_words = [word for word in words if not word[0].isdigit()]
        time_words = [word for word in words if word[0].isdigit()]
        if words[: len(day_words)] != day_words:
            raise ValueError(f"`{item}`: put the days before the times")
        days = pending_days + [day for word in day_words for day in _parse_days(word)]
        if not time_words:
            pending_days = days
            continue
        days = days or last_days
        if not days:
            raise ValueError(f"`{item}`: which days? Start with a day, such as `Mon 18:00-20:00`")
        for word in time_words:
            start, end = _parse_time_range(word)
            windows.extend(LocalWindow(day, start, end) for day in days)
        pending_days, last_days = [], days
    if pending_days:
        raise ValueError("days without hours at the end: add a time range such as `18:00-20:00`")
    return Availability(timezone, tuple(dict.fromkeys(windows)))


def _parse_days(word: str) -> tuple[int, ...]:
    folded = word.casefold()
    if folded in _DAY_GROUPS:
        return _DAY_GROUPS[folded]
    if "/" in folded:
        return tuple(day for part in folded.split("/") for day in _parse_days(part))
    if "-" in folded:
        first, _, last = folded.partition("-")
        start, stop = _day(first, word), _day(last, word)
        return tuple((start + step) % 7 for step in range((stop - start) % 7 + 1))  # Sat-Mon wraps
    return (_day(folded, word),)


def _day(name: str, word: str) -> int:
    if name not in _DAYS_BY_NAME:
        raise ValueError(f"`{word}` is not a day: use Mon, Tue, Wed, Thu, Fri, Sat, Sun")
    return _DAYS_BY_NAME[name]


def _parse_time_range(word: str) -> tuple[int, int]:
    found = _TIME_RANGE.match(word)
    if found is None:
        raise ValueError(f"`{word}` is not a time range: write it like `18:00-20:00`")
    start = _minutes(found.group(1), found.group(2), word, may_be_midnight_end=False)
    end = _minutes(found.group(3), found.group(4), word, may_be_midnight_end=True)
    if start == end:
        raise ValueError(f"`{word}` is empty: its start and end are the same time")
    return start, end if end > start else end + MINUTES_PER_DAY


def _minutes(hours: str, minutes: str | None, word: str, *, may_be_midnight_end: bool) -> int:
    total = int(hours) * 60 + int(minutes or 0)
    if int(minutes or 0) > 59 or total > MINUTES_PER_DAY:
        raise ValueError(f"`{word}`: hours run from 00:00 to 24:00")
    if total == MINUTES_PER_DAY and not may_be_midnight_end:
        raise ValueError(f"`{word}`: a range cannot start at 24:00; use 00:00")
    return total % MINUTES_PER_DAY if not may_be_midnight_end else total


def week_start(week: date) -> datetime:
    """Return Monday 00:00 UTC of the week holding week (the origin of weekly minutes)."""
    monday = week - timedelta(days=week.weekday())
    return datetime.combine(monday, time(0), tzinfo=UTC)


def weekly_utc(availability: Availability, week: date) -> tuple[Interval, ...]:
    """Return the hours as sorted, merged UTC intervals of the given week (see the module)."""
    return _weekly_utc(availability, week_start(week).date())


# Sized for a queue of ten thousand learners and a thousand mentors, each with its own hours.
@functools.lru_cache(maxsize=32_768)
def _weekly_utc(availability: Availability, monday: date) -> tuple[Interval, ...]:
    pieces: list[Interval] = []
    for window in availability.windows:
        start = _utc_minute(availability.timezone, monday, window.weekday, window.start)
        end = _utc_minute(availability.timezone, monday, window.weekday, window.end)
        if end <= start:
            continue  # wholly inside a spring-forward gap
        pieces.extend(_fold_onto_week(start, end))
    return _merge(pieces)


@functools.lru_cache(maxsize=65_536)
def _utc_minute(timezone: str, monday: date, weekday: int, minute: int) -> int:
    """Return the minute since monday 00:00 UTC a local wall time of that week's day shows."""
    origin = datetime.combine(monday, time(0), tzinfo=UTC)
    day = monday + timedelta(days=weekday)
    return _minute_of(_instant(day, minute, zoneinfo.ZoneInfo(timezone)), origin)


def _instant(day: date, minute: int, zone: zoneinfo.ZoneInfo) -> datetime:
    """Return the UTC instant a local wall time shows on day (minute may pass midnight)."""
    wall = datetime.combine(day, time(0), tzinfo=zone) + timedelta(minutes=minute)
    wall = wall.replace(fold=0)  # aware + timedelta is wall-clock arithmetic in zoneinfo
    moment = wall.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return moment
    # Skipped by a spring-forward change: the gap ends between the two readings of the wall
    # time (after the fold=1 one, at or before the fold=0 one); transitions fall on minutes.
    low = wall.replace(fold=1).astimezone(UTC)
    high = moment
    offset_after = high.astimezone(zone).utcoffset()
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) // 2
        middle = middle.replace(second=0, microsecond=0)
        if middle <= low:
            break
        if middle.astimezone(zone).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    return high


def _minute_of(moment: datetime, origin: datetime) -> int:
    return (moment - origin) // timedelta(minutes=1)


def _fold_onto_week(start: int, end: int) -> list[Interval]:
    """Split [start, end) where it crosses a week boundary and shift it into [0, week)."""
    offset = (start // MINUTES_PER_WEEK) * MINUTES_PER_WEEK
    start, end = start - offset, end - offset
    if end <= MINUTES_PER_WEEK:
        return [(start, end)]
    return [(start, MINUTES_PER_WEEK), (0, min(end - MINUTES_PER_WEEK, start))]


def _merge(pieces: list[Interval]) -> tuple[Interval, ...]:
    merged: list[Interval] = []
    for start, end in sorted(pieces):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def intersect(a: tuple[Interval, ...], b: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """Return the intervals both sorted, merged interval lists cover."""
    shared: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            shared.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(shared)


def overlap_minutes(a: Availability, b: Availability, week: date) -> int:
    """Return how many minutes of the given week both members are available."""
    return sum(end - start for start, end in intersect(weekly_utc(a, week), weekly_utc(b, week)))


def overlap_in_local(
    a: Availability, b: Availability, week: date
) -> tuple[tuple[LocalSpan, ...], tuple[LocalSpan, ...]]:
    """Return the shared hours of the given week as each member's clock shows them (a's, b's).

    Each member's zone comes from their Availability. A span that wraps the UTC week edge
    shows as two spans, one at the end and one at the start of the week.
    """
    origin = week_start(week)
    shared = intersect(weekly_utc(a, week), weekly_utc(b, week))
    return _spans(shared, origin, a.timezone), _spans(shared, origin, b.timezone)


def _spans(shared: tuple[Interval, ...], origin: datetime, timezone: str) -> tuple[LocalSpan, ...]:
    zone = zoneinfo.ZoneInfo(timezone)
    return tuple(
        LocalSpan(
            (origin + timedelta(minutes=start)).astimezone(zone),
            (origin + timedelta(minutes=end)).astimezone(zone),
        )
        for start, end in shared
    )
