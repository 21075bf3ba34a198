"""Incremental totals: a day at a time from the stored state, against all the days at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.study.streaks import (
    ForgivenessRules,
    StreakState,
    StreakTotals,
    advance,
    next_totals,
    settle,
    streak_counts,
    streak_state,
    streak_totals,
)

START = date(2026, 1, 26)  # a Monday, five days before a month ends
ZONES = ["UTC", "Pacific/Kiritimati", "Etc/GMT+12", "Europe/Berlin"]
rules = st.builds(ForgivenessRules, st.integers(1, 8), st.integers(0, 3))
# One check-in: days after the member's last (0: the same day), minutes, and how many days
# the row's today is past the event's day (the event's space may keep another timezone).
checkins = st.lists(
    st.tuples(st.sampled_from([0, 0, 1, 1, 1, 2, 3, 5, 9, 40]), st.integers(0, 300),
              st.sampled_from([0, 0, 0, 1, 2, 8])),
    min_size=1, max_size=40,
)  # fmt: skip


@settings(max_examples=300)
@given(checkins, rules, st.sampled_from(ZONES), st.data())
def test_a_day_at_a_time_gives_what_all_the_days_give(
    steps: list[tuple[int, int, int]],
    first_rules: ForgivenessRules,
    zone: str,
    data: st.DataObject,
) -> None:
    minutes: dict[date, int] = {}
    day, today = START, START
    rule = first_rules
    totals: StreakTotals | None = None
    state: StreakState | None = None
    for gap, spent, ahead in steps:
        day += timedelta(days=gap)
        # Today never goes back for a row here (except by the random rule below), so every
        # step but a rule change must be taken incrementally.
        before = today
        today = max(today, day + timedelta(days=ahead))
        changed = data.draw(st.sampled_from([False] * 9 + [True]))
        if changed:
            rule = data.draw(rules)
        minutes[day] = minutes.get(day, 0) + spent
        expected = streak_totals(minutes, today, zone, rule)
        if totals is None or state is None:
            step = None
        else:
            step = next_totals(totals, state, day, spent, today, zone, rule)
            if state.rules == rule:
                assert step is not None, (before, today)
        if step is None:  # what the writer does: count from all the days
            totals, state = expected, streak_state(minutes, rule)
        else:
            totals, state = step
        assert totals == expected
        assert state == streak_state(minutes, rule)
        assert settle(state, today) == streak_counts(minutes, today, rule)


@settings(max_examples=200)
@given(
    st.sets(st.integers(0, 80), min_size=1, max_size=30),
    rules,
    st.integers(0, 20),
)
def test_settling_the_state_is_streak_counts(
    offsets: set[int], rule: ForgivenessRules, after: int
) -> None:
    days = [START + timedelta(days=o) for o in offsets]
    today = max(days) + timedelta(days=after)
    assert settle(streak_state(days, rule), today) == streak_counts(days, today, rule)


def _start() -> tuple[StreakTotals, StreakState]:
    rule = ForgivenessRules()
    minutes = {START: 10, START + timedelta(days=1): 20}
    today = START + timedelta(days=1)
    return streak_totals(minutes, today, "UTC", rule), streak_state(minutes, rule)


def test_an_earlier_day_is_left_to_a_full_count() -> None:
    totals, state = _start()
    assert next_totals(totals, state, START, 5, START + timedelta(1), "UTC", state.rules) is None


def test_a_day_after_today_is_left_to_a_full_count() -> None:
    totals, state = _start()
    later = START + timedelta(days=3)
    assert next_totals(totals, state, later, 5, later - timedelta(1), "UTC", state.rules) is None


def test_other_rules_are_left_to_a_full_count() -> None:
    totals, state = _start()
    today = START + timedelta(days=2)
    assert next_totals(totals, state, today, 5, today, "UTC", ForgivenessRules(3, 1)) is None
    assert next_totals(totals, state, today, 5, today, "UTC", state.rules) is not None


def test_a_today_back_in_an_earlier_week_is_left_to_a_full_count() -> None:
    # Stored on the next Monday (a new week, no day in it yet); today is now back on Tuesday.
    minutes = {START: 10, START + timedelta(days=1): 20}
    totals = streak_totals(minutes, START + timedelta(days=7), "UTC")
    state = streak_state(minutes)
    tuesday = START + timedelta(days=1)
    assert next_totals(totals, state, tuesday, 5, tuesday, "UTC", state.rules) is None


def test_advance_refuses_an_earlier_day() -> None:
    _, state = _start()
    with pytest.raises(ValueError, match="after"):
        advance(state, START)
