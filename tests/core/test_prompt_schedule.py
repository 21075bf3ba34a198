"""Daily-prompt schedule: both DST changes in five zones, a 400-day walk, grace, regressions."""

from __future__ import annotations

import itertools
import time as host_time
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.prompts.schedule import (
    HORIZON_DAYS,
    Schedule,
    due_day,
    next_post,
    post_moment,
    posting_day,
    within_grace,
)

ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "UTC",
    "Asia/Tokyo",
)
MON_FRI = frozenset(range(5))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


# (zone, spring-forward day, a time in its gap, due instant = the end of the gap)
SPRING_FORWARD = [
    ("Europe/Berlin", date(2024, 3, 31), time(2, 30), utc(2024, 3, 31, 1, 0)),
    ("America/New_York", date(2024, 3, 10), time(2, 30), utc(2024, 3, 10, 7, 0)),
    ("Australia/Sydney", date(2024, 10, 6), time(2, 30), utc(2024, 10, 5, 16, 0)),
    ("Pacific/Chatham", date(2024, 9, 29), time(3, 0), utc(2024, 9, 28, 14, 0)),
]
# (zone, fall-back day, a time that occurs twice, due instant = its first occurrence)
FALL_BACK = [
    ("Europe/Berlin", date(2024, 10, 27), time(2, 30), utc(2024, 10, 27, 0, 30)),
    ("America/New_York", date(2024, 11, 3), time(1, 30), utc(2024, 11, 3, 5, 30)),
    ("Australia/Sydney", date(2024, 4, 7), time(2, 30), utc(2024, 4, 6, 15, 30)),
    ("Pacific/Chatham", date(2024, 4, 7), time(3, 0), utc(2024, 4, 6, 13, 15)),
]


def due_dates(schedule: Schedule, start: datetime, end: datetime) -> list[tuple[date, datetime]]:
    """Walk next_post from start to end, feeding each due instant back in."""
    walked: list[tuple[date, datetime]] = []
    after = start
    while (found := next_post(schedule, after)) is not None and found[1] <= end:
        walked.append(found)
        after = found[1]
    return walked


@pytest.mark.parametrize(("zone", "day", "at", "expected"), SPRING_FORWARD)
def test_a_time_in_the_spring_forward_gap_posts_once_when_the_gap_ends(
    zone: str, day: date, at: time, expected: datetime
) -> None:
    schedule = Schedule(at, zone)
    assert post_moment(schedule, day) == expected
    posts = due_dates(schedule, expected - timedelta(days=3), expected + timedelta(days=3))
    assert [due for d, due in posts if d == day] == [expected]
    days = [d for d, _ in posts]
    assert days == [days[0] + timedelta(days=n) for n in range(len(days))]
    assert len(days) in (6, 7)


@pytest.mark.parametrize(("zone", "day", "at", "expected"), FALL_BACK)
def test_a_time_that_occurs_twice_posts_once_at_its_first_occurrence(
    zone: str, day: date, at: time, expected: datetime
) -> None:
    schedule = Schedule(at, zone)
    assert post_moment(schedule, day) == expected
    assert expected.astimezone(ZoneInfo(zone)).fold == 0
    second = datetime.combine(day, at, tzinfo=ZoneInfo(zone)).replace(fold=1)
    assert second.astimezone(UTC) > expected  # the repeat exists, and is not used
    assert next_post(schedule, expected) == (
        day + timedelta(days=1),
        post_moment(schedule, day + timedelta(days=1)),
    )
    # At the second 01:30 (or 02:30) the day's post is already due, not due again.
    assert due_day(schedule, second) == day


def test_a_fold_on_the_configured_time_is_ignored() -> None:
    schedule = Schedule(time(1, 30, fold=1), "America/New_York")
    assert post_moment(schedule, date(2024, 11, 3)) == utc(2024, 11, 3, 5, 30)


def test_a_gap_day_does_not_move_the_days_around_it() -> None:
    schedule = Schedule(time(2, 30), "Europe/Berlin")
    assert post_moment(schedule, date(2024, 3, 30)) == utc(2024, 3, 30, 1, 30)  # CET
    assert post_moment(schedule, date(2024, 4, 1)) == utc(2024, 4, 1, 0, 30)  # CEST


def test_gap_times_never_post_after_a_later_time_the_same_day() -> None:
    day = date(2024, 3, 31)
    in_gap = post_moment(Schedule(time(2, 45), "Europe/Berlin"), day)
    after_gap = post_moment(Schedule(time(3, 15), "Europe/Berlin"), day)
    assert in_gap == utc(2024, 3, 31, 1, 0) < after_gap


def test_kolkata_has_no_dst_and_a_half_hour_offset() -> None:
    schedule = Schedule(time(9, 0), "Asia/Kolkata")
    for day in (date(2024, 1, 15), date(2024, 3, 31), date(2024, 7, 1), date(2024, 11, 3)):
        assert post_moment(schedule, day) == datetime.combine(day, time(3, 30), UTC)


def test_chatham_quarter_hour_offsets_both_seasons() -> None:
    schedule = Schedule(time(9, 0), "Pacific/Chatham")
    assert post_moment(schedule, date(2024, 7, 1)) == utc(2024, 6, 30, 20, 15)  # +12:45
    assert post_moment(schedule, date(2024, 12, 1)) == utc(2024, 11, 30, 19, 15)  # +13:45


def test_a_city_timezone_is_not_read_as_utc() -> None:
    schedule = Schedule(time(9, 0), "Asia/Tokyo")
    assert post_moment(schedule, date(2024, 5, 10)) == utc(2024, 5, 10, 0, 0)
    assert next_post(schedule, utc(2024, 5, 9, 23, 59)) == (
        date(2024, 5, 10),
        utc(2024, 5, 10, 0, 0),
    )


@pytest.mark.parametrize("host", ["UTC", "America/Los_Angeles", "Asia/Kathmandu", "Etc/GMT+12"])
def test_the_host_timezone_changes_nothing(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    schedule = Schedule(time(0, 0), "Europe/Berlin", weekdays=MON_FRI)
    monkeypatch.setenv("TZ", host)
    host_time.tzset()
    try:
        assert post_moment(schedule, date(2024, 5, 10)) == utc(2024, 5, 9, 22, 0)
        assert next_post(schedule, utc(2024, 5, 10, 12)) == (
            date(2024, 5, 13),
            utc(2024, 5, 12, 22, 0),
        )
        assert due_day(schedule, utc(2024, 5, 11, 12)) == date(2024, 5, 10)
    finally:
        monkeypatch.undo()
        host_time.tzset()


@pytest.mark.parametrize(
    "call",
    [
        lambda s, naive: next_post(s, naive),
        lambda s, naive: due_day(s, naive),
        lambda s, naive: within_grace(s, date(2024, 5, 10), naive),
    ],
)
def test_naive_datetimes_are_refused(call: object) -> None:
    schedule = Schedule(time(9, 0), "Europe/Berlin")
    with pytest.raises(ValueError, match="timezone-aware"):
        call(schedule, datetime(2024, 5, 10, 9, 0))  # type: ignore[operator]  # noqa: DTZ001


def test_a_schedule_refuses_bad_settings() -> None:
    with pytest.raises(ValueError, match="wall-clock"):
        Schedule(time(9, 0, tzinfo=UTC), "Europe/Berlin")
    with pytest.raises(ValueError, match="weekdays"):
        Schedule(time(9, 0), "Europe/Berlin", weekdays=frozenset({7}))
    with pytest.raises(ValueError, match="grace"):
        Schedule(time(9, 0), "Europe/Berlin", grace=timedelta(minutes=-1))
    with pytest.raises(ZoneInfoNotFoundError):
        Schedule(time(9, 0), "Europe/Atlantis")


@pytest.mark.parametrize(
    ("zone", "at", "friday", "monday"),
    [
        # 21:00 on Friday in New York is Saturday in UTC; the clocks go back on Sunday.
        ("America/New_York", time(21, 0), date(2024, 11, 1), date(2024, 11, 4)),
        # 07:00 on Monday in Sydney is Sunday in UTC; the clocks go forward on Sunday.
        ("Australia/Sydney", time(7, 0), date(2024, 10, 4), date(2024, 10, 7)),
        ("Europe/Berlin", time(0, 30), date(2024, 3, 29), date(2024, 4, 1)),
    ],
)
def test_weekdays_are_local_across_a_dst_weekend(
    zone: str, at: time, friday: date, monday: date
) -> None:
    schedule = Schedule(at, zone, weekdays=MON_FRI)
    friday_due = post_moment(schedule, friday)
    walked = due_dates(schedule, friday_due - timedelta(hours=1), friday_due + timedelta(days=3.5))
    assert [d for d, _ in walked] == [friday, monday]
    assert [d.strftime("%a") for d, _ in walked] == ["Fri", "Mon"]
    for day, due in walked:
        assert due.astimezone(ZoneInfo(zone)).date() == day
    saturday = friday + timedelta(days=1)
    assert not posting_day(schedule, saturday)
    assert not posting_day(schedule, saturday + timedelta(days=1))


def test_skip_dates_and_pauses() -> None:
    schedule = Schedule(
        time(9, 0),
        "Europe/Berlin",
        skip_dates=frozenset({date(2024, 12, 25)}),
        paused_until=date(2024, 12, 20),
    )
    assert not posting_day(schedule, date(2024, 12, 19))
    assert posting_day(schedule, date(2024, 12, 20))  # the pause ends: it posts on that day
    assert not posting_day(schedule, date(2024, 12, 25))
    assert next_post(schedule, utc(2024, 12, 1))[0] == date(2024, 12, 20)  # type: ignore[index]
    assert next_post(schedule, utc(2024, 12, 24, 9))[0] == date(2024, 12, 26)  # type: ignore[index]


def test_a_long_pause_is_not_cut_by_the_horizon() -> None:
    resume = date(2027, 6, 1)
    schedule = Schedule(time(9, 0), "Europe/Berlin", paused_until=resume)
    assert next_post(schedule, utc(2024, 1, 1)) == (resume, utc(2027, 6, 1, 7, 0))


def test_nothing_to_post_gives_none() -> None:
    never = Schedule(time(9, 0), "Europe/Berlin", weekdays=frozenset())
    assert next_post(never, utc(2024, 1, 1)) is None
    assert due_day(never, utc(2024, 1, 1)) is None
    start = date(2024, 1, 1)
    span = range(-HORIZON_DAYS - 5, HORIZON_DAYS + 5)
    everything = frozenset(start + timedelta(days=n) for n in span)
    all_skipped = Schedule(time(9, 0), "Europe/Berlin", skip_dates=everything)
    assert next_post(all_skipped, utc(2024, 1, 1)) is None
    assert due_day(all_skipped, utc(2024, 1, 1, 12)) is None


def test_due_day_is_the_latest_posting_day_already_due() -> None:
    schedule = Schedule(time(9, 0), "Europe/Berlin", weekdays=MON_FRI)
    friday_due = utc(2024, 5, 10, 7, 0)
    assert due_day(schedule, friday_due - timedelta(seconds=1)) == date(2024, 5, 9)
    assert due_day(schedule, friday_due) == date(2024, 5, 10)
    assert due_day(schedule, utc(2024, 5, 13, 6, 59)) == date(2024, 5, 10)  # Monday, early


class TestGrace:
    schedule = Schedule(time(9, 0), "Europe/Berlin", grace=timedelta(hours=3))
    day = date(2024, 5, 10)
    due = utc(2024, 5, 10, 7, 0)

    def test_inside_the_window_the_post_goes_out(self) -> None:
        assert within_grace(self.schedule, self.day, self.due)
        assert within_grace(self.schedule, self.day, self.due + timedelta(hours=2, minutes=59))

    def test_exactly_at_the_end_of_the_window_it_still_goes_out(self) -> None:
        assert within_grace(self.schedule, self.day, self.due + timedelta(hours=3))

    def test_after_the_window_the_day_is_missed(self) -> None:
        late = self.due + timedelta(hours=3, microseconds=1)
        assert not within_grace(self.schedule, self.day, late)
        assert due_day(self.schedule, late) == self.day  # still the day due, but missed

    def test_before_the_due_instant_it_is_not_due_yet(self) -> None:
        assert not within_grace(self.schedule, self.day, self.due - timedelta(microseconds=1))

    def test_grace_counts_real_elapsed_time_across_a_fall_back(self) -> None:
        schedule = Schedule(time(1, 30), "America/New_York", grace=timedelta(hours=1))
        first = utc(2024, 11, 3, 5, 30)  # 01:30 EDT; 01:30 EST comes an hour later
        assert within_grace(schedule, date(2024, 11, 3), first + timedelta(hours=1))
        assert not within_grace(schedule, date(2024, 11, 3), first + timedelta(hours=1, seconds=1))


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    # Every 15 minutes of the day, with the small hours (where the clocks change) drawn often.
    quarter=st.one_of(st.integers(0, 24 * 4 - 1), st.integers(4, 4 * 4 - 1)),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    start=st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001
        max_value=datetime(2030, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
)
def test_walking_400_days_posts_once_per_allowed_local_date(
    zone: str, quarter: int, weekdays: frozenset[int], start: datetime
) -> None:
    at = time(quarter // 4, quarter % 4 * 15)
    schedule = Schedule(at, zone, weekdays=weekdays)
    walked = due_dates(schedule, start, start + timedelta(days=HORIZON_DAYS))
    days = [d for d, _ in walked]
    instants = [due for _, due in walked]
    assert all(a < b for a, b in itertools.pairwise(instants))
    assert len(set(days)) == len(days)
    # No allowed date is skipped: between the first and the last, every allowed weekday posts.
    expected = [
        days[0] + timedelta(days=n)
        for n in range((days[-1] - days[0]).days + 1)
        if (days[0] + timedelta(days=n)).weekday() in weekdays
    ]
    assert days == expected
    # Nothing was left out at either end of the window.
    before = days[0] - timedelta(days=1)
    while before.weekday() not in weekdays:
        before -= timedelta(days=1)
    assert post_moment(schedule, before) <= start
    assert next_post(schedule, start) == walked[0]
    after_last = next_post(schedule, instants[-1])
    assert after_last is not None and after_last[1] > start + timedelta(days=HORIZON_DAYS)
    tz = ZoneInfo(zone)
    for day, due in walked:
        wall = datetime.combine(day, at)  # a wall-clock reading, on purpose
        assert due.tzinfo is UTC
        # The first instant the local clock shows the time or later.
        assert due.astimezone(tz).replace(tzinfo=None) >= wall
        assert (due - timedelta(seconds=1)).astimezone(tz).replace(tzinfo=None) < wall
        assert due_day(schedule, due) == day
        assert within_grace(schedule, day, due)
