"""The first commands: help, timezone and about, through the real router and table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.catalog import HELP
from bot.core.clock import FixedClock
from bot.core.commands import CommandTable
from bot.core.dispatcher import Dispatcher
from bot.core.general.about import AboutService
from bot.core.general.commands import ABOUT, TIMEZONE
from bot.core.general.help import HelpService
from bot.core.general.timezone import TimezoneService
from bot.core.members import member_key
from bot.core.messages import Actor, Incoming, Reply
from bot.core.ports import Source
from bot.core.requests import Request
from bot.core.roadmap.commands import ASK
from bot.core.router import Router
from tests.fakes import FakeEventLog, FakeMemberRepository, FakeSpaceRepository, make_actor

COMMANDS = CommandTable([ASK, HELP, TIMEZONE, ABOUT])
NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
SOURCES = [
    Source("a", "Article A", "Site A", "https://a.example/"),
    Source("b", "B", "Site B", "https://b.example/x"),
]


async def echo_question(actor: Actor, text: str) -> Reply:
    return Reply(text=f"answer to: {text}")


async def ask(request: Request) -> Reply:
    return await echo_question(request.actor, request.text("question") or "")


@pytest.fixture
def members() -> FakeMemberRepository:
    return FakeMemberRepository()


@pytest.fixture
def dispatcher(members: FakeMemberRepository) -> Dispatcher:
    handlers = {
        "ask": ask,
        "help": HelpService(COMMANDS).handle,
        "timezone": TimezoneService(members, FixedClock(NOW), "UTC").handle,
        "about": AboutService("1.2.3", SOURCES, 7).handle,
    }
    return Dispatcher(
        Router(COMMANDS, handlers, echo_question), FakeEventLog(), FakeSpaceRepository()
    )


async def say(dispatcher: Dispatcher, text: str, **actor: object) -> Reply:
    reply = await dispatcher.handle(Incoming(make_actor(**actor), text))  # type: ignore[arg-type]
    assert reply is not None
    return reply


def field(reply: Reply, name: str) -> str:
    return next(f.value for f in reply.fields if f.name == name)


async def test_help_lists_every_command(dispatcher: Dispatcher) -> None:
    reply = await say(dispatcher, "help")
    listed = "\n".join(f.value for f in reply.fields)
    for command in COMMANDS:
        assert f"`{command.name}" in listed


async def test_help_for_one_command_shows_usage(dispatcher: Dispatcher) -> None:
    reply = await say(dispatcher, "help timezone")
    assert field(reply, "Usage") == "`timezone [Region/City]`"
    assert "Europe/Berlin" in field(reply, "Examples")


async def test_help_for_unknown_command_suggests(dispatcher: Dispatcher) -> None:
    reply = await say(dispatcher, "help timezon")
    assert reply.error == "unknown_command" and "`timezone`" in reply.text


async def test_timezone_unset_shows_the_default(dispatcher: Dispatcher) -> None:
    reply = await say(dispatcher, "timezone")
    assert field(reply, "Timezone") == "UTC" and field(reply, "Source") == "default"


async def test_timezone_set_then_show(
    dispatcher: Dispatcher, members: FakeMemberRepository
) -> None:
    reply = await say(dispatcher, "timezone europe/berlin")
    assert reply.error is None and field(reply, "Timezone") == "Europe/Berlin"
    assert "14:00" in field(reply, "Local time")  # 12:00 UTC is 14:00 in Berlin in July
    assert members.members[member_key(make_actor())].timezone == "Europe/Berlin"
    shown = await say(dispatcher, "/tz")
    assert field(shown, "Timezone") == "Europe/Berlin" and field(shown, "Source") == "set by you"


async def test_invalid_timezone_is_explained_and_nothing_is_stored(
    dispatcher: Dispatcher, members: FakeMemberRepository
) -> None:
    reply = await say(dispatcher, "timezone Mars/Olympus")
    assert reply.error == "invalid_timezone"
    assert "Mars/Olympus" in reply.text and "Europe/Berlin" in reply.text
    assert members.writes == 0


async def test_timezone_typo_gets_close_suggestions(dispatcher: Dispatcher) -> None:
    reply = await say(dispatcher, "timezone Europ/Berln")
    assert reply.error == "invalid_timezone" and "Europe/Berlin" in reply.text


async def test_timezone_city_alone_is_suggested_not_guessed(
    dispatcher: Dispatcher, members: FakeMemberRepository
) -> None:
    reply = await say(dispatcher, "timezone Kolkata")
    assert "Asia/Kolkata" in reply.text and members.writes == 0


async def test_about_names_version_sources_and_privacy(dispatcher: Dispatcher) -> None:
    reply = await say(dispatcher, "about")
    assert field(reply, "Version") == "1.2.3"
    assert "https://a.example/" in field(reply, "Sources") and "Site B" in field(reply, "Sources")
    assert "7 days" in field(reply, "Privacy")
    assert [b.url for b in reply.buttons] == [s.url for s in SOURCES]


async def test_plain_text_and_ask_go_to_the_question_answerer(dispatcher: Dispatcher) -> None:
    plain = await say(dispatcher, "what should I learn after databases?")
    asked = await say(dispatcher, "/ask what should I learn after databases?")
    assert plain.text == asked.text == "answer to: what should I learn after databases?"


async def test_ask_without_a_question_names_the_argument(dispatcher: Dispatcher) -> None:
    reply = await say(dispatcher, "/ask")
    assert reply.error == "usage" and "question" in reply.text
