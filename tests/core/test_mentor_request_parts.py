"""Pure parts of the requests side: argument kinds, the context rule, introductions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.converters import BadValue, ConvertContext
from bot.core.mentoring.availability import parse_availability
from bot.core.mentoring.notices import introductions, offer_reply, spans_text
from bot.core.mentoring.records import MentorRequest, Offer, OfferState, Pairing, RequestState
from bot.core.mentoring.request_commands import Period, WeeklyHours, check_context
from bot.core.messages import NO_REFERENCES, Platform

CONTEXT = ConvertContext(NO_REFERENCES)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def stored(hours: str = "Mon 17:00-21:00", timezone: str = "Europe/Berlin") -> MentorRequest:
    return MentorRequest(1, Platform.CONSOLE, "s", "lea", "Lea @everyone", "c", "sql",
                         "joins <@123> return every row twice", hours, timezone, 1,
                         RequestState.OFFERED, NOW)  # fmt: skip


def test_weekly_hours_take_only_the_words_that_read_as_hours() -> None:
    kind = WeeklyHours(200)
    words = ["Mon-Thu", "18:00-20:00,", "Sat/Sun", "10-12", "monitoring", "is", "hard"]
    assert kind.span(words) == 4
    assert kind.span(["sunny", "day"]) == 1  # a named value takes at least one word
    assert kind.convert("Mon-Thu 18:00-20:00, Sat 10:00-12:00", CONTEXT)
    with pytest.raises(BadValue):
        kind.convert("Mon 25:00-26:00", CONTEXT)
    with pytest.raises(BadValue):
        kind.convert("sometimes", CONTEXT)


def test_periods_read_hours_days_and_weeks_within_bounds() -> None:
    kind = Period(shortest=timedelta(hours=1), longest=timedelta(days=14))
    assert kind.convert("48h", CONTEXT) == timedelta(hours=48)
    assert kind.convert("2d", CONTEXT) == timedelta(days=2)
    assert kind.convert("1w", CONTEXT) == timedelta(weeks=1)
    for bad in ("0h", "3w", "soon", "-1d", "1.5d"):
        with pytest.raises(BadValue):
            kind.convert(bad, CONTEXT)


def test_the_context_must_be_a_sentence() -> None:
    assert check_context("help") is not None
    assert check_context("sql is so hard") is not None  # four words, too few letters
    assert check_context("my left join returns every row twice") is None


def test_an_offer_quotes_safely_and_never_shows_the_learner_s_hours() -> None:
    offer = Offer(7, 1, "mia", OfferState.PENDING, NOW, NOW + timedelta(hours=48))
    reply = offer_reply(offer, stored(), "SQL", "Asia/Tokyo")
    shown = " ".join([reply.title or "", reply.text, *(f.value for f in reply.fields)])
    assert "@everyone" not in shown and "<@123>" not in shown
    assert "17:00" not in shown and "Europe/Berlin" not in shown
    assert [b.command for b in reply.buttons] == ["mentor accept 7", "mentor decline 7"]
    deadline = (NOW + timedelta(hours=48)).astimezone(ZoneInfo("Asia/Tokyo"))
    assert deadline.strftime("%H:%M") in reply.text and "Asia/Tokyo" in reply.text  # their clock


def test_introductions_show_the_shared_hours_on_each_clock_across_midnight() -> None:
    pairing = Pairing(3, 1, Platform.CONSOLE, "s", "mia", "lea", True, NOW, NOW)
    mentor = parse_availability("Mon 16:00-18:00", "America/Los_Angeles")
    request = stored("Tue 00:30-03:00", "Europe/Berlin")  # Mon 15:30-18:00 in Los Angeles
    to_mentor, to_learner = introductions(pairing, request, "SQL", "Mia", mentor, date(2026, 3, 2))
    learner_hours = {f.name: f.value for f in to_learner.fields}["Hours you share (your time)"]
    mentor_hours = {f.name: f.value for f in to_mentor.fields}["Hours you share (your time)"]
    assert learner_hours == "Tue 01:00-03:00"
    assert mentor_hours == "Mon 16:00-18:00"
    assert spans_text(()).startswith("none")
