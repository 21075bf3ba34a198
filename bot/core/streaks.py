"""Streak arithmetic: pure functions over the set of days a member studied."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta


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


def explain(status: StreakStatus, today: date, rules: ForgivenessRules | None = None) -> str:
    """Say in plain words why the streak is what it is."""
    rules = rules or ForgivenessRules()
    parts = []
    if status.current == 0:
        parts.append("You have no streak running yet." if status.longest == 0 else
                     f"Your streak ended on {status.broken_on:%a %d %b}, a day with no study "
                     "and no freeze left.")  # fmt: skip
    else:
        days = "day" if status.current == 1 else "days"
        parts.append(
            f"Your streak is {status.current} {days}, since {status.current_since:%a %d %b}."
        )
    if status.today_counted:
        parts.append("Today is already counted.")
    else:
        parts.append("Today is not counted yet: check in before your midnight to keep it going.")
    if status.frozen_days:
        used = ", ".join(f"{d:%a %d %b}" for d in status.frozen_days)
        parts.append(f"Freezes covered: {used}.")
    parts.append(
        f"Freezes banked: {status.freezes_banked} of {rules.max_freezes} "
        f"(you earn one for every {rules.days_per_freeze} days in a row)."
    )
    return " ".join(parts)
