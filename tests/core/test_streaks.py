"""Streak arithmetic: fixed clocks, every timezone, forgiveness, and properties."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.study.streaks import (
    ForgivenessRules,
    compute_streak,
    explain,
    local_date,
    streak_counts,
    streak_totals,
)

START = date(2026, 3, 1)


def run(first: int, length: int) -> list[date]:
    return [START + timedelta(days=first + i) for i in range(length)]


def test_no_days_no_streak() -> None:
    status = compute_streak([], START)
    assert (status.current, status.longest, status.freezes_banked) == (0, 0, 0)


def test_today_never_breaks_a_streak_before_it_is_over() -> None:
    status = compute_streak(run(0, 5), START + timedelta(days=5))
    assert status.current == 5 and not status.today_counted


def test_a_missed_day_without_a_freeze_breaks_it() -> None:
    status = compute_streak(run(0, 5), START + timedelta(days=6))
    assert status.current == 0 and status.longest == 5
    assert status.broken_on == START + timedelta(days=5)


def test_seven_days_earn_a_freeze_that_covers_a_missed_day() -> None:
    days = run(0, 7) + run(8, 3)  # day 7 missed
    status = compute_streak(days, START + timedelta(days=10))
    assert status.current == 10 and status.frozen_days == (START + timedelta(days=7),)
    assert status.freezes_banked == 0


def test_freezes_are_capped() -> None:
    status = compute_streak(run(0, 35), START + timedelta(days=34))
    assert status.freezes_banked == 2


def test_two_missed_days_need_two_freezes() -> None:
    days = run(0, 14) + run(16, 2)
    assert compute_streak(days, START + timedelta(days=17)).current == 16
    one_freeze = ForgivenessRules(days_per_freeze=7, max_freezes=1)
    assert compute_streak(days, START + timedelta(days=17), one_freeze).current == 2


def test_rules_are_configurable() -> None:
    strict = ForgivenessRules(days_per_freeze=1000, max_freezes=0)
    assert compute_streak(run(0, 7) + run(8, 2), START + timedelta(days=9), strict).current == 2


def test_explanation_names_the_reasons() -> None:
    days = run(0, 7) + run(8, 3)
    today = START + timedelta(days=11)
    text = explain(compute_streak(days, today), today)
    assert "10 days" in text and "Freezes covered" in text and "not counted yet" in text


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        # The same instant is three different days around the world.
        (datetime(2026, 6, 1, 11, 0, tzinfo=UTC), "Pacific/Kiritimati", date(2026, 6, 2)),  # +14
        (datetime(2026, 6, 1, 11, 0, tzinfo=UTC), "Etc/GMT+12", date(2026, 5, 31)),  # -12
        (datetime(2026, 6, 1, 11, 0, tzinfo=UTC), "UTC", date(2026, 6, 1)),
        # DST: 00:30 local on the night clocks go forward (Berlin, 29 March 2026).
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "Europe/Berlin", date(2026, 3, 29)),
        # ...and just before midnight on the night they go back (25 October 2026).
        (datetime(2026, 10, 24, 21, 59, tzinfo=UTC), "Europe/Berlin", date(2026, 10, 24)),
        (datetime(2026, 10, 25, 22, 59, tzinfo=UTC), "Europe/Berlin", date(2026, 10, 25)),
    ],
)
def test_local_date_in_every_timezone(moment: datetime, zone: str, expected: date) -> None:
    assert local_date(moment, zone) == expected


def test_a_travelling_member_keeps_every_day() -> None:
    """Each event's day is fixed when it happens, so moving zones neither adds nor drops days."""
    events = [
        (datetime(2026, 6, 1, 20, 0, tzinfo=UTC), "Europe/Berlin"),  # 22:00 Mon in Berlin
        (datetime(2026, 6, 2, 14, 0, tzinfo=UTC), "America/New_York"),  # 10:00 Tue in NY
        (datetime(2026, 6, 3, 23, 0, tzinfo=UTC), "Asia/Tokyo"),  # 08:00 Thu in Tokyo
    ]
    days = [local_date(moment, zone) for moment, zone in events]
    assert days == [date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 4)]
    today = date(2026, 6, 4)
    status = compute_streak(days, today)
    # Wednesday was missed with no freeze banked: the run restarts on Thursday.
    assert (status.current, status.longest) == (1, 2)


def test_a_study_day_after_today_still_counts() -> None:
    # Checked in from UTC+14 (already Tuesday), now in UTC-12 where it is still Monday.
    status = compute_streak([START, START + timedelta(days=1)], START)
    assert status.current == 2 and status.today_counted


day_offsets = st.lists(st.integers(min_value=0, max_value=60), max_size=40)


@given(day_offsets, st.integers(min_value=0, max_value=70))
def test_recording_a_day_twice_changes_nothing(offsets: list[int], today_offset: int) -> None:
    days = [START + timedelta(days=o) for o in offsets]
    today = START + timedelta(days=today_offset)
    assert compute_streak(days + days, today) == compute_streak(days, today)


@given(day_offsets, st.integers(min_value=0, max_value=70), st.randoms())
def test_the_order_of_events_does_not_matter(
    offsets: list[int], today_offset: int, rng: random.Random
) -> None:
    days = [START + timedelta(days=o) for o in offsets]
    shuffled = days[:]
    rng.shuffle(shuffled)
    today = START + timedelta(days=today_offset)
    assert compute_streak(shuffled, today) == compute_streak(days, today)


@given(day_offsets, st.integers(min_value=0, max_value=70))
def test_invariants(offsets: list[int], today_offset: int) -> None:
    days = [START + timedelta(days=o) for o in offsets]
    today = START + timedelta(days=today_offset)
    status = compute_streak(days, today)
    assert (
        0
        <= status.current
        <= status.longest
        <= len(set(days)) + 2 * 0 + len(status.frozen_days) + status.longest
    )
    assert 0 <= status.freezes_banked <= ForgivenessRules().max_freezes
    assert status.today_counted == (today in set(days))
    strict = compute_streak(days, today, ForgivenessRules(days_per_freeze=10**6, max_freezes=0))
    # Without forgiveness the streak is the run of days ending today or yesterday.
    expected, day = 0, today if today in set(days) else today - timedelta(days=1)
    while day in set(days):
        expected, day = expected + 1, day - timedelta(days=1)
    if max(set(days), default=today) <= today:
        assert strict.current == expected
    assert status.current >= strict.current  # forgiveness only ever helps


# --- stored totals (what leaderboards rank) ---------------------------------------------


def _minutes(days: list[date], each: int = 10) -> dict[date, int]:
    return dict.fromkeys(days, each)


def test_totals_count_the_week_month_and_all_time() -> None:
    today = date(2026, 3, 11)  # a Wednesday
    days = _minutes([date(2026, 2, 27), date(2026, 3, 2), date(2026, 3, 9), today], 15)
    totals = streak_totals(days, today, "UTC")
    assert (totals.week_start, totals.week_days, totals.week_minutes) == (date(2026, 3, 9), 2, 30)
    assert (totals.month_start, totals.month_days, totals.month_minutes) == (
        date(2026, 3, 1), 3, 45,
    )  # fmt: skip
    assert (totals.total_days, totals.total_minutes, totals.last_day) == (4, 60, today)


def test_a_streak_without_freezes_lives_until_the_end_of_tomorrow() -> None:
    totals = streak_totals(_minutes(run(0, 3)), START + timedelta(days=2), "Europe/Berlin")
    # Studied on day 2: day 3 may still be studied, so the streak ends when day 4 begins.
    assert totals.current_streak == 3
    assert totals.alive_until == datetime(2026, 3, 4, 23, tzinfo=UTC)  # midnight in Berlin


def test_each_banked_freeze_keeps_the_streak_alive_one_more_day() -> None:
    days = _minutes(run(0, 7))  # seven days earn one freeze
    totals = streak_totals(days, START + timedelta(days=6), "UTC")
    assert totals.alive_until == datetime(2026, 3, 10, tzinfo=UTC)


def test_a_broken_streak_is_already_over() -> None:
    today = START + timedelta(days=9)
    totals = streak_totals(_minutes(run(0, 3)), today, "Asia/Tokyo")
    assert totals.current_streak == 0 and totals.longest_streak == 3
    assert totals.alive_until <= datetime(2026, 3, 10, tzinfo=UTC)


@given(
    st.sets(st.integers(0, 60), min_size=1),
    st.integers(0, 70),
    st.sampled_from(["UTC", "Pacific/Kiritimati", "Etc/GMT+12"]),
)
def test_alive_until_agrees_with_compute_streak(
    offsets: set[int], today_offset: int, zone: str
) -> None:
    # Totals are computed when an event is recorded, so no study day lies after today.
    days = {START + timedelta(days=o): 5 for o in offsets if o <= today_offset}
    today = START + timedelta(days=today_offset)
    if not days:
        return
    totals = streak_totals(days, today, zone)
    if totals.current_streak == 0:
        return
    # On every later day before alive_until, with no more study, the streak still runs;
    # on the day alive_until begins, it is over.
    last_alive = (totals.alive_until - timedelta(seconds=1)).astimezone(ZoneInfo(zone)).date()
    assert compute_streak(days, last_alive).current == totals.current_streak
    assert compute_streak(days, last_alive + timedelta(days=1)).current == 0


@given(
    st.lists(st.integers(min_value=0, max_value=120), max_size=60),
    st.integers(min_value=0, max_value=130),
    st.integers(min_value=1, max_value=10),
    st.integers(min_value=0, max_value=4),
)
def test_streak_counts_agree_with_compute_streak(
    offsets: list[int], today_offset: int, per_freeze: int, most: int
) -> None:
    # Days after today included: a member who moved west can have one.
    days = [START + timedelta(days=o) for o in offsets]
    today = START + timedelta(days=today_offset)
    rules = ForgivenessRules(per_freeze, most)
    status = compute_streak(days, today, rules)
    assert streak_counts(days, today, rules) == (
        status.current,
        status.longest,
        status.freezes_banked,
    )
