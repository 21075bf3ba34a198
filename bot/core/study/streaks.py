"""Streak arithmetic: pure functions over the set of days a member studied."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True, slots=True)
class ForgivenessRules:
    """How a space forgives missed days (moderators can change both numbers)."""

    days_per_freeze: int = 7  # a freeze is earned for every this many days in a row
    max_freezes: int = 2  # at most this many are banked


@dataclass(frozen=True, slots=True)
class StreakStatus:
    """Where a member's streak stands on a given day, and why."""

    current: int
    longest: int
    freezes_banked: int
    today_counted: bool
    current_since: date | None
    frozen_days: tuple[date, ...]  # missed days a freeze covered, in the current streak
    broken_on: date | None  # the last missed day that ended a streak


def local_date(moment: datetime, timezone: str) -> date:
    """Return the calendar date of moment in timezone (the day an event counts for)."""
    if moment.tzinfo is None:
        raise ValueError("local_date needs a timezone-aware datetime")
    return moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()


def compute_streak(
    days: Iterable[date], today: date, rules: ForgivenessRules | None = None
) -> StreakStatus:
    """Return the streak for the given study days as seen on today.

    A day counts once however many events it has, so the result depends only on the set of
    days: recording an event twice, or in another order, changes nothing. Today never breaks a
    streak before it is over. A missed day uses a banked freeze when there is one.
    """
    rules = rules or ForgivenessRules()
    active = set(days)
    if not active:
        return StreakStatus(0, 0, 0, False, None, (), None)
    # A member who moved west can have a study day "after" today; it still counts.
    last = max(max(active), today)
    current = longest = freezes = run = 0
    since: date | None = None
    frozen: list[date] = []
    broken: date | None = None
    day = min(active)
    while day <= last:
        if day in active:
            current += 1
            since = since or day
            run += 1
            if run == rules.days_per_freeze:
                freezes, run = min(rules.max_freezes, freezes + 1), 0
        elif day >= today:
            pass  # today (or a later day) is not over yet
        elif current and freezes:
            freezes -= 1
            frozen.append(day)
        elif current:
            current, run, since, broken = 0, 0, None, day
            frozen = []
        longest = max(longest, current)
        day += timedelta(days=1)
    return StreakStatus(current, longest, freezes, today in active, since, tuple(frozen), broken)


def explain(
    status: StreakStatus, today: date, rules: ForgivenessRules | None = None, *, own: bool = True
) -> str:
    """Say in plain words why the streak is what it is (own=False: about another member)."""
    rules = rules or ForgivenessRules()
    you, your = ("You", "Your") if own else ("They", "Their")
    parts = []
    if status.current == 0:
        parts.append(f"{you} have no streak running yet." if status.longest == 0 else
                     f"{your} streak ended on {status.broken_on:%a %d %b}, a day with no study "
                     "and no freeze left.")  # fmt: skip
    else:
        days = "day" if status.current == 1 else "days"
        parts.append(
            f"{your} streak is {status.current} {days}, since {status.current_since:%a %d %b}."
        )
    if status.today_counted:
        parts.append("Today is already counted.")
    elif own:
        parts.append("Today is not counted yet: check in before your midnight to keep it going.")
    else:
        parts.append("Today is not counted yet.")
    if status.frozen_days:
        used = ", ".join(f"{d:%a %d %b}" for d in status.frozen_days)
        parts.append(f"Freezes covered: {used}.")
    parts.append(
        f"Freezes banked: {status.freezes_banked} of {rules.max_freezes} "
        f"(one is earned for every {rules.days_per_freeze} days in a row)."
    )
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class StreakTotals:
    """A member's numbers as of one day, stored so that leaderboards are plain SQL."""

    current_streak: int
    longest_streak: int
    alive_until: datetime  # from this moment on the streak is over unless they study
    last_day: date
    week_start: date
    week_days: int
    week_minutes: int
    month_start: date
    month_days: int
    month_minutes: int
    total_days: int
    total_minutes: int


def week_start(day: date) -> date:
    """Return the Monday of day's week."""
    return day - timedelta(days=day.weekday())


def local_midnight(day: date, timezone: str) -> datetime:
    """Return the moment day starts in timezone."""
    return datetime.combine(day, time(0), tzinfo=zoneinfo.ZoneInfo(timezone))


def streak_counts(
    days: Iterable[date], today: date, rules: ForgivenessRules | None = None
) -> tuple[int, int, int]:
    """Return compute_streak's (current, longest, freezes_banked), in one pass over the days.

    The same rules as compute_streak, but a run of missed days is settled at once instead of
    day by day, so a sparse year costs its study days, not its 365 dates.
    """
    rules = rules or ForgivenessRules()
    per_freeze, most = rules.days_per_freeze, rules.max_freezes
    ordinals = sorted({d.toordinal() for d in days})
    if not ordinals:
        return 0, 0, 0
    end = today.toordinal()  # missed days from today on are not over yet
    current = longest = freezes = run = 0
    previous = ordinals[0] - 1
    for day in ordinals:
        # After the first day a streak is always running here (a break is followed by
        # this study day), so the missed days before today use freezes or end it.
        missed = (day if day < end else end) - previous - 1
        if missed > 0:
            if freezes >= missed:
                freezes -= missed
            else:
                current = run = freezes = 0
        current += 1
        run += 1
        if run == per_freeze:
            run = 0
            if freezes < most:
                freezes += 1
        if current > longest:
            longest = current
        previous = day
    missed = end - previous - 1
    if missed > 0:
        if freezes >= missed:
            freezes -= missed
        else:
            current = freezes = 0
    return current, longest, freezes


def streak_totals(
    minutes: Mapping[date, int],
    today: date,
    timezone: str,
    rules: ForgivenessRules | None = None,
) -> StreakTotals:
    """Return the leaderboard numbers for study days (date -> minutes) as seen on today."""
    if not minutes:
        raise ValueError("streak_totals needs at least one study day")
    current, longest, freezes = streak_counts(minutes, today, rules)
    last = max(minutes)
    if current:
        # The first day that may go unstudied is the day after the last study day, or today;
        # each banked freeze covers one more day, and the day after those ends the streak
        # once it is over.
        ends = max(last + timedelta(days=1), today) + timedelta(days=freezes)
        alive_until = local_midnight(ends + timedelta(days=1), timezone)
    else:
        alive_until = local_midnight(today, timezone)
    monday = week_start(today)
    first_of_month = today.replace(day=1)
    week_days = week_minutes = month_days = month_minutes = 0
    for day, spent in minutes.items():
        if first_of_month <= day <= today:
            month_days += 1
            month_minutes += spent
        if monday <= day <= today:
            week_days += 1
            week_minutes += spent
    return StreakTotals(
        current_streak=current,
        longest_streak=longest,
        alive_until=alive_until,
        last_day=last,
        week_start=monday,
        week_days=week_days,
        week_minutes=week_minutes,
        month_start=first_of_month,
        month_days=month_days,
        month_minutes=month_minutes,
        total_days=len(minutes),
        total_minutes=sum(minutes.values()),
    )
