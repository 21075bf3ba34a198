"""Pairing rounds' schedule: due instants in local time across DST, the heads-up, the next day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.core.converters import BadValue, ConvertContext
from bot.core.mentoring.rounds.kinds import RoundCode, RoundCodeKind, WeekdayTime, WeeklyTime
from bot.core.mentoring.rounds.schedule import (
    RoundSchedule,
    due_at,
    first_day,
    following_day,
    heads_up_at,
)
from bot.core.messages import NO_REFERENCES

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
CONTEXT = ConvertContext(NO_REFERENCES)


def schedule(at: time, zone: str = BERLIN, weekday: int = 6, every: int = 1) -> RoundSchedule:
    return RoundSchedule(every, weekday, at, zone)


def test_a_round_is_due_at_its_local_time_in_summer_and_winter() -> None:
    monday = schedule(time(18, 0), weekday=0)
    assert due_at(monday, date(2026, 6, 1)) == datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
    assert due_at(monday, date(2026, 12, 7)) == datetime(2026, 12, 7, 17, 0, tzinfo=UTC)


def test_a_time_in_the_spring_gap_is_due_when_the_gap_ends() -> None:
    # 2026-03-29: Berlin jumps from 02:00 to 03:00 (01:00 UTC); 02:30 does not exist.
    gap = schedule(time(2, 30))
    assert due_at(gap, date(2026, 3, 29)) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    # Never later than a round set to a time after the gap.
    assert due_at(gap, date(2026, 3, 29)) <= due_at(schedule(time(3, 0)), date(2026, 3, 29))


def test_a_doubled_time_is_due_at_its_first_occurrence() -> None:
    # 2026-11-01: New York goes back from 02:00 EDT to 01:00 EST; 01:30 happens twice.
    doubled = schedule(time(1, 30), NEW_YORK)
    assert due_at(doubled, date(2026, 11, 1)) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    # Even a time given as the second occurrence is held at the first: once, never twice.
    second = schedule(time(1, 30, fold=1), NEW_YORK)
    assert due_at(second, date(2026, 11, 1)) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_the_heads_up_is_a_day_before_and_the_next_round_every_n_weeks() -> None:
    fortnightly = schedule(time(18, 0), weekday=0, every=2)
    day = date(2026, 6, 1)
    assert due_at(fortnightly, day) - heads_up_at(fortnightly, day) == timedelta(days=1)
    assert following_day(fortnightly, day) == date(2026, 6, 15)


def test_the_first_day_is_the_next_weekday_whose_time_is_still_ahead() -> None:
    monday = schedule(time(18, 0), weekday=0)
    before = datetime(2026, 6, 1, 15, 59, tzinfo=UTC)  # Monday 17:59 in Berlin
    after = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
    assert first_day(monday, before) == date(2026, 6, 1)
    assert first_day(monday, after) == date(2026, 6, 8)
    with pytest.raises(ValueError, match="aware"):
        first_day(monday, datetime(2026, 6, 1, 12, 0))  # noqa: DTZ001 - the refusal is tested


def test_a_bad_schedule_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match="every_weeks"):
        RoundSchedule(3, 0, time(18, 0), BERLIN)
    with pytest.raises(ValueError, match="weekday"):
        RoundSchedule(1, 7, time(18, 0), BERLIN)


def test_weekly_times_and_round_codes_as_people_and_buttons_write_them() -> None:
    kind = WeeklyTime()
    assert kind.convert("mon 18:00", CONTEXT) == WeekdayTime(0, time(18, 0))
    assert kind.convert("Friday 6pm", CONTEXT) == WeekdayTime(4, time(18, 0))
    assert kind.convert("sun@07:30", CONTEXT) == WeekdayTime(6, time(7, 30))
    assert kind.span(["mon", "18:00", "odd:trio"]) == 2
    for bad in ("18:00", "funday 18:00", "mon", "mon 25:00", "mo 18:00"):
        with pytest.raises(BadValue):
            kind.convert(bad, CONTEXT)
    assert RoundCodeKind().convert("3-12", CONTEXT) == RoundCode(3, 12)
    assert str(RoundCode(3, 12)) == "3-12"
    with pytest.raises(BadValue):
        RoundCodeKind().convert("3/12", CONTEXT)
