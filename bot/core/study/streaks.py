"""Streak arithmetic: pure functions over the set of days a member studied."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache


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


@lru_cache(maxsize=4096)
def local_midnight(day: date, timezone: str) -> datetime:
    """Return the moment day starts in timezone (cached: a batch asks for a few days only)."""
    return datetime.combine(day, time(0), tzinfo=zoneinfo.ZoneInfo(timezone))


def streak_counts(
    days: Iterable[date], today: date, rules: ForgivenessRules | None = None
) -> tuple[int, int, int]:
    """Return compute_streak's (current, longest, freezes_banked), in one pass over the days.

    The same rules as compute_streak, but a run of missed days is settled at once instead of
    day by day, so a sparse year costs its study days, not its 365 dates.
    """
    rules = rules or ForgivenessRules()
    ordinals = sorted({d.toordinal() for d in days})
    if not ordinals:
        return 0, 0, 0
    end = today.toordinal()  # missed days from today on are not over yet
    current, longest, freezes, _, previous = _walk(ordinals, end, rules)
    missed = end - previous - 1
    if missed > 0:
        if freezes >= missed:
            freezes -= missed
        else:
            current = freezes = 0
    return current, longest, freezes


def _walk(ordinals: list[int], end: int, rules: ForgivenessRules) -> tuple[int, int, int, int, int]:
    """Walk sorted study days (ordinals) up to the last: (current, longest, freezes, run, last).

    Missed days settle at once: freezes cover them, or the streak ends. Days from end on are
    not over yet, so they never break a streak. Plain ints on purpose: a recount of 100,000
    members walks millions of days.
    """
    per_freeze, most = rules.days_per_freeze, rules.max_freezes
    current = longest = freezes = run = 0
    previous = ordinals[0] - 1
    for day in ordinals:
        # After the first day a streak is always running here (a break is followed by
        # this study day), so the missed days before end use freezes or end it.
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
    return current, longest, freezes, run, previous


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
        alive_until=alive_until(current, freezes, last, today, timezone),
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


@dataclass(frozen=True, slots=True)
class StreakState:
    """A streak as it stands at the end of its last study day, before the days after it.

    It depends on the study days and the rules only, never on today, so it can be stored
    with a member's totals and carried forward a day at a time (next_totals) instead of
    counting every day again. settle() gives streak_counts' numbers from it for any today
    on or after last_day.
    """

    last_day: date
    current: int  # the streak at the end of last_day
    longest: int
    freezes: int  # banked at the end of last_day
    run: int  # days in a row toward the next freeze
    rules: ForgivenessRules  # the rules it was counted under


def streak_state(days: Iterable[date], rules: ForgivenessRules | None = None) -> StreakState:
    """Return the state of a streak at the end of its last study day (days: not empty)."""
    rules = rules or ForgivenessRules()
    ordinals = sorted({d.toordinal() for d in days})
    if not ordinals:
        raise ValueError("streak_state needs at least one study day")
    # No day is "not over yet" here: every missed day between study days is settled.
    current, longest, freezes, run, previous = _walk(ordinals, ordinals[-1] + 1, rules)
    return StreakState(date.fromordinal(previous), current, longest, freezes, run, rules)


def advance(state: StreakState, day: date) -> StreakState:
    """Return the state after one more study day, later than state.last_day.

    The missed days between use banked freezes or end the streak, as in streak_counts.
    """
    missed = (day - state.last_day).days - 1
    if missed < 0:
        raise ValueError("advance needs a day after the state's last day")
    current, freezes, run, rules = state.current, state.freezes, state.run, state.rules
    if missed > 0:
        if freezes >= missed:
            freezes -= missed
        else:
            current = run = freezes = 0
    current += 1
    run += 1
    if run == rules.days_per_freeze:
        run = 0
        if freezes < rules.max_freezes:
            freezes += 1
    return StreakState(day, current, max(state.longest, current), freezes, run, rules)


def settle(state: StreakState, today: date) -> tuple[int, int, int]:
    """Return (current, longest, freezes_banked) as of today (on or after state.last_day).

    The missed days after the last study day and before today use freezes or end the streak.
    """
    current, freezes = state.current, state.freezes
    missed = (today - state.last_day).days - 1
    if missed > 0:
        if freezes >= missed:
            freezes -= missed
        else:
            current = freezes = 0
    return current, state.longest, freezes


def next_totals(
    totals: StreakTotals,
    state: StreakState,
    day: date,
    minutes: int,
    today: date,
    timezone: str,
    rules: ForgivenessRules,
) -> tuple[StreakTotals, StreakState] | None:
    """Return the totals and state after minutes more study on day, or None if they can't be.

    totals and state are of the same study days, the totals computed on a today on or
    after their last day (so they count every day). Without the days themselves, only an
    event on or after the last day and on or before today, under the same rules, can be
    added; a new week or month is only known to hold no earlier day when it starts after the
    last day. None means: count from all the days (streak_totals, streak_state).
    """
    last = totals.last_day
    if state.rules != rules or state.last_day != last or not last <= day <= today:
        return None
    monday, first_of_month = week_start(today), today.replace(day=1)
    if monday == totals.week_start:
        week_days, week_minutes = totals.week_days, totals.week_minutes
    elif monday > last:
        week_days = week_minutes = 0
    else:
        return None
    if first_of_month == totals.month_start:
        month_days, month_minutes = totals.month_days, totals.month_minutes
    elif first_of_month > last:
        month_days = month_minutes = 0
    else:
        return None
    new = day > last
    if new:
        state = advance(state, day)
    if monday <= day:
        week_days += new
        week_minutes += minutes
    if first_of_month <= day:
        month_days += new
        month_minutes += minutes
    current, longest, freezes = settle(state, today)
    after = StreakTotals(
        current_streak=current,
        longest_streak=longest,
        alive_until=alive_until(current, freezes, state.last_day, today, timezone),
        last_day=state.last_day,
        week_start=monday,
        week_days=week_days,
        week_minutes=week_minutes,
        month_start=first_of_month,
        month_days=month_days,
        month_minutes=month_minutes,
        total_days=totals.total_days + new,
        total_minutes=totals.total_minutes + minutes,
    )
    return after, state


def alive_until(current: int, freezes: int, last: date, today: date, timezone: str) -> datetime:
    """Return the moment a streak is over unless the member studies (see StreakTotals)."""
    if current:
        # The first day that may go unstudied is the day after the last study day, or today;
        # each banked freeze covers one more day, and the day after those ends the streak
        # once it is over.
        ends = max(last + timedelta(days=1), today) + timedelta(days=freezes)
        return local_midnight(ends + timedelta(days=1), timezone)
    return local_midnight(today, timezone)
