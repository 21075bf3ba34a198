"""Mentoring hours: parsing good and bad text, DST weeks, overlaps shown on each clock."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.mentoring.availability import (
    MINUTES_PER_WEEK,
    Availability,
    LocalWindow,
    overlap_in_local,
    overlap_minutes,
    parse_availability,
    weekly_utc,
)

H = 60


def hours(text: str, zone: str = "UTC") -> set[tuple[int, int, int]]:
    found = parse_availability(text, zone).windows
    return {(w.weekday, w.start, w.end) for w in found}


def test_the_issue_example_parses_into_five_windows() -> None:
    assert hours("Mon-Thu 18:00-20:00, Sat 10:00-12:00") == {
        *((day, 18 * H, 20 * H) for day in range(4)),
        (5, 10 * H, 12 * H),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon/Wed/Fri 9-10", {(0, 540, 600), (2, 540, 600), (4, 540, 600)}),
        ("Mon, Wed 18:00-19:00", {(0, 1080, 1140), (2, 1080, 1140)}),
        ("Sat 10:00-12:00, 14:00-16:00", {(5, 600, 720), (5, 840, 960)}),
        ("Sun 08:00-09:00 20:00-21:00", {(6, 480, 540), (6, 1200, 1260)}),
        ("Fri 22:00-01:00", {(4, 1320, 1500)}),
        ("Sat-Mon 10:00-11:00", {(5, 600, 660), (6, 600, 660), (0, 600, 660)}),
        ("weekends 10:00-11:00", {(5, 600, 660), (6, 600, 660)}),
        ("monday 23:00-24:00; TUESDAY 00:00-01:00", {(0, 1380, 1440), (1, 0, 60)}),
    ],
)
def test_day_ranges_lists_and_several_windows(text: str, expected: set[tuple[int, ...]]) -> None:
    assert hours(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "no hours given"),
        ("Funday 10:00-11:00", "is not a day"),
        ("Mon 10:00-25:00", "00:00 to 24:00"),
        ("Mon 10:61-11:00", "00:00 to 24:00"),
        ("Mon 10:00-10:00", "is empty"),
        ("Mon 24:00-01:00", "cannot start at 24:00"),
        ("Mon ten-eleven", "is not a day"),
        ("Mon 10am-11am", "is not a time range"),
        ("10:00-11:00", "which days?"),
        ("Mon 10:00-11:00, Tue", "days without hours"),
        ("10:00-11:00 Mon", "put the days before the times"),
    ],
)
def test_bad_text_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_availability(text, "UTC")


def test_an_unknown_timezone_fails_at_parse_time() -> None:
    with pytest.raises(Exception, match="Mars"):
        parse_availability("Mon 10:00-11:00", "Mars/Olympus")


def test_berlin_evening_moves_an_hour_in_utc_across_the_spring_change() -> None:
    berlin = parse_availability("Mon 18:00-20:00", "Europe/Berlin")
    assert weekly_utc(berlin, date(2026, 3, 23)) == ((17 * H, 19 * H),)  # CET, UTC+1
    assert weekly_utc(berlin, date(2026, 3, 30)) == ((16 * H, 18 * H),)  # CEST, UTC+2


def test_a_dst_change_inside_the_week_moves_only_the_windows_after_it() -> None:
    berlin = parse_availability("Sat 10:00-11:00, Mon 10:00-11:00", "Europe/Berlin")
    # Week of 2026-03-23: Monday still CET, Sunday 29 March is the change; Saturday too is CET.
    assert weekly_utc(berlin, date(2026, 3, 25)) == (
        (9 * H, 10 * H),
        (5 * 1440 + 9 * H, 5 * 1440 + 10 * H),
    )
    sunday = parse_availability("Sun 10:00-11:00", "Europe/Berlin")
    assert weekly_utc(sunday, date(2026, 3, 25)) == ((6 * 1440 + 8 * H, 6 * 1440 + 9 * H),)


def test_a_window_in_the_spring_gap_counts_from_the_end_of_the_gap() -> None:
    night = parse_availability("Sun 02:00-04:00", "Europe/Berlin")
    sunday = 6 * 1440
    assert weekly_utc(night, date(2026, 3, 29)) == ((sunday + 1 * H, sunday + 2 * H),)
    inside = parse_availability("Sun 02:15-02:45", "Europe/Berlin")
    assert weekly_utc(inside, date(2026, 3, 29)) == ()


def test_a_repeated_hour_on_the_fall_back_day_lasts_two_real_hours() -> None:
    night = parse_availability("Sun 01:00-02:00", "America/New_York")
    sunday = 6 * 1440
    # 01:00 EDT (05:00 UTC) to 02:00 EST (07:00 UTC) on 2026-11-01.
    assert weekly_utc(night, date(2026, 10, 26)) == ((sunday + 5 * H, sunday + 7 * H),)


def test_overlap_vanishes_in_the_weeks_only_one_side_has_switched() -> None:
    berlin = parse_availability("Mon 18:00-19:00", "Europe/Berlin")  # 17-18 UTC, summer 16-17
    new_york = parse_availability("Mon 12:00-13:00", "America/New_York")  # 17-18, summer 16-17
    assert overlap_minutes(berlin, new_york, date(2026, 3, 2)) == 60  # both on winter time
    assert overlap_minutes(berlin, new_york, date(2026, 3, 9)) == 0  # only New York switched
    assert overlap_minutes(berlin, new_york, date(2026, 3, 30)) == 60  # both on summer time


def test_the_overlap_in_each_members_local_time() -> None:
    berlin = parse_availability("Mon-Thu 18:00-20:00", "Europe/Berlin")
    kolkata = parse_availability("Tue 22:00-23:30", "Asia/Kolkata")  # 16:30-18:00 UTC
    mine, theirs = overlap_in_local(berlin, kolkata, date(2026, 6, 1))  # CEST: 16-18 UTC
    at_berlin, at_kolkata = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Kolkata")
    assert [(span.start, span.end) for span in mine] == [
        (datetime(2026, 6, 2, 18, 30, tzinfo=at_berlin), datetime(2026, 6, 2, 20, tzinfo=at_berlin))
    ]
    assert [
        (span.start.hour, span.start.minute, span.end.hour, span.end.minute) for span in theirs
    ] == [(22, 0, 23, 30)]
    assert theirs[0].start.tzinfo == at_kolkata and mine[0].start.tzinfo == at_berlin


def test_a_window_across_the_week_edge_wraps_to_its_start() -> None:
    tokyo = parse_availability("Mon 08:00-10:00", "Asia/Tokyo")  # Sunday 23:00-01:00 UTC
    assert weekly_utc(tokyo, date(2026, 6, 1)) == ((0, H), (MINUTES_PER_WEEK - H, MINUTES_PER_WEEK))


zones = st.sampled_from(
    ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]
)
windows = st.builds(
    lambda day, start, length: LocalWindow(day, start, start + length),
    st.integers(0, 6),
    st.integers(0, 1439),
    st.integers(1, 1440),
)
weeks = st.dates(date(2020, 1, 1), date(2030, 12, 31))


@given(st.lists(windows, max_size=6), st.lists(windows, max_size=6), zones, zones, weeks)
def test_overlap_is_symmetric_and_bounded(
    a: list, b: list, zone_a: str, zone_b: str, week: date
) -> None:
    first, second = Availability(zone_a, tuple(a)), Availability(zone_b, tuple(b))
    shared = overlap_minutes(first, second, week)
    assert shared == overlap_minutes(second, first, week)
    assert (
        0
        <= shared
        <= min(overlap_minutes(first, first, week), overlap_minutes(second, second, week))
    )
    for start, end in weekly_utc(first, week):
        assert 0 <= start < end <= MINUTES_PER_WEEK
