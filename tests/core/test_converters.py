"""Argument kinds: what people type becomes a typed value, or one clear error."""

from __future__ import annotations

import contextlib
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.catalog import COMMANDS
from bot.core.converters import (
    BadValue,
    Channel,
    Choice,
    Choices,
    ConvertContext,
    Day,
    DayOrWeekdays,
    Duration,
    Integer,
    Member,
    TimeOfDay,
    Timezone,
    Topics,
    Weekdays,
)
from bot.core.errors import BotError, InvalidTimezoneError, UsageError
from bot.core.messages import NO_REFERENCES
from bot.core.requests import convert_options, parse_text

CONTEXT = ConvertContext(NO_REFERENCES)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("45", 45), ("30min", 30), ("45m", 45), ("1h", 60), ("1h30", 90), ("2h15m", 135),
     ("90mins", 90), ("1hr", 60), ("0", 0), ("1440", 1440)],
)  # fmt: skip
def test_durations_people_type(text: str, minutes: int) -> None:
    assert Duration().convert(text, CONTEXT) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["-5", "30.5", "1e3", "²", "①", "h", "1441", "m"])
def test_other_number_like_words_are_not_durations(text: str) -> None:
    with pytest.raises(BadValue):
        Duration().convert(text, CONTEXT)


@pytest.mark.parametrize("word", ["-5", "30.5", "1e3", "²", "①", "45m", ".5", "\uff13\uff10"])
def test_a_duration_claims_every_number_like_word(word: str) -> None:
    assert Duration().claims(word)
    assert not Duration().claims("docker")


@pytest.mark.parametrize("text", ["²", "①", "\uff13", "-1", "1.0", "", " 3", "99999999999"])
def test_integers_take_ascii_digits_only(text: str) -> None:
    with pytest.raises(BadValue):
        Integer(0, 10**12).convert(text, CONTEXT)


def test_integer_range_and_native_values() -> None:
    kind = Integer(1, 60)
    assert kind.convert("60", CONTEXT) == 60
    assert kind.accept(7, CONTEXT) == 7
    for bad in (0, 61, True, 2.5):
        with pytest.raises(BadValue):
            kind.accept(bad, CONTEXT)


def test_times_weekdays_dates_zones_choices() -> None:
    assert TimeOfDay().convert("18:30", CONTEXT) == time(18, 30)
    assert TimeOfDay().convert("7pm", CONTEXT) == time(19)
    assert TimeOfDay().convert("12am", CONTEXT) == time(0)
    for bad in ("24:00", "18", "7:60", "13pm", "noon"):
        with pytest.raises(BadValue):
            TimeOfDay().convert(bad, CONTEXT)
    assert Weekdays().convert("mon,wed,fri", CONTEXT) == frozenset({0, 2, 4})
    assert Weekdays().convert("Fri-Mon", CONTEXT) == frozenset({4, 5, 6, 0})
    assert Weekdays().convert("weekends", CONTEXT) == frozenset({5, 6})
    with pytest.raises(BadValue):
        Weekdays().convert("mon-funday", CONTEXT)
    assert Day().convert("2026-12-24", CONTEXT) == date(2026, 12, 24)
    for bad in ("2026-02-30", "24.12.2026", "tomorrow"):
        with pytest.raises(BadValue):
            Day().convert(bad, CONTEXT)
    assert Timezone().convert("europe/berlin", CONTEXT) == ZoneInfo("Europe/Berlin")
    with pytest.raises(InvalidTimezoneError):
        Timezone().convert("Mars/Olympus", CONTEXT)
    assert Choice(("on", "off")).convert("ON", CONTEXT) == "on"


def test_a_member_needs_a_mention_the_platform_understands() -> None:
    with pytest.raises(BadValue):
        Member().convert("@ada", CONTEXT)  # no platform references: nobody can be named


@given(st.text(max_size=60))
def test_any_text_for_any_command_is_a_value_or_a_bot_error(text: str) -> None:
    """Fuzz: no input line makes the parser raise anything but a user-facing error."""
    for command in COMMANDS:
        with contextlib.suppress(BotError):
            parse_text(command, text, ConvertContext(NO_REFERENCES, lambda t: t))


def test_a_bad_setting_value_names_the_argument() -> None:
    config = COMMANDS.get("config")
    assert config is not None
    with pytest.raises(UsageError) as caught:
        parse_text(config, "streaks freeze-every ²", CONTEXT)
    assert caught.value.argument == "value"
    parsed = parse_text(config, "streaks freeze-every 5", CONTEXT)
    assert parsed.path.names == ("config", "streaks")
    assert parsed.values["value"] == 5


def test_a_setting_value_without_its_setting_is_refused_on_every_path() -> None:
    """Discord may send `value` with no `setting`; text may mistype it: both are errors."""
    config = COMMANDS.get("config")
    streaks = COMMANDS.path("config streaks")
    assert config is not None and streaks is not None
    with pytest.raises(UsageError) as caught:
        convert_options(streaks, {"value": "5"}, CONTEXT)
    assert caught.value.argument == "setting"
    with pytest.raises(UsageError):
        parse_text(config, "streaks fre-every 5", CONTEXT)


def test_several_choices_comma_separated_or_any() -> None:
    levels = Choices(("easy", "medium", "hard"))
    assert levels.convert("easy,Hard", CONTEXT) == frozenset({"easy", "hard"})
    assert levels.convert("any", CONTEXT) == frozenset()
    for wrong in ("easy,extreme", "", ","):
        with pytest.raises(BadValue):
            levels.convert(wrong, CONTEXT)
    assert levels.claims("medium,hard") and not levels.claims("#study")


def test_topics_are_resolved_one_by_one() -> None:
    resolved = ConvertContext(NO_REFERENCES, lambda t: t.strip().casefold())
    assert Topics().convert("SQL, git", resolved) == frozenset({"sql", "git"})
    assert Topics().convert("any", resolved) == frozenset()

    def unknown(text: str) -> object:
        raise BotError(f"no topic {text}")

    with pytest.raises(BotError):
        Topics().convert("sql,mars", ConvertContext(NO_REFERENCES, unknown))


def test_a_day_is_a_date_or_weekdays() -> None:
    kind = DayOrWeekdays()
    assert kind.convert("2026-12-24", CONTEXT) == date(2026, 12, 24)
    assert kind.convert("sat,sun", CONTEXT) == frozenset({5, 6})
    for wrong in ("funday", "2026-13-01", "24.12."):
        with pytest.raises(BadValue):
            kind.convert(wrong, CONTEXT)


def test_optional_kinds_claim_only_words_that_look_like_them() -> None:
    """`config prompts 09:00 #study mon-fri` reads in order; a word skips what it cannot be."""
    assert TimeOfDay().claims("09:00") and TimeOfDay().claims("25:00")
    assert not TimeOfDay().claims("#study")
    assert Channel().claims("#study") and Channel().claims("<#C1|study>")
    assert not Channel().claims("mon-fri")
    assert Weekdays().claims("mon-fri") and Weekdays().claims("weekends")
    assert not Weekdays().claims("Europe/Berlin")
    assert Day().claims("2026-12-24") and not Day().claims("#study")
