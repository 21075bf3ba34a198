"""The dispatcher: redeliveries, empty and long input, and errors that stay safe."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.core.commands import Command, CommandTable
from bot.core.dispatcher import MAX_INPUT_CHARS, Dispatcher
from bot.core.errors import BotError
from bot.core.messages import Actor, Incoming, Platform, Reply
from bot.core.requests import Request
from bot.core.router import Router
from tests.fakes import FakeEventLog, FakeSpaceRepository, make_actor

TABLE = CommandTable(
    [Command("count", "Count calls."), Command("boom", "Fail."), Command("nope", "Refuse.")]
)


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    async def count(self, request: Request) -> Reply:
        self.calls += 1
        return Reply(text=str(self.calls))


async def boom(request: Request) -> Reply:
    raise RuntimeError("secret-token-xyz leaked in a traceback")


async def nope(request: Request) -> Reply:
    raise BotError("You cannot do that here.", hint="Try `help`.")


async def chat(actor: Actor, text: str) -> Reply:
    return Reply(text="chat")


def make_dispatcher() -> tuple[Dispatcher, Counter, FakeSpaceRepository]:
    counter = Counter()
    spaces = FakeSpaceRepository()
    router = Router(TABLE, {"count": counter.count, "boom": boom, "nope": nope}, chat)
    return Dispatcher(router, FakeEventLog(), spaces), counter, spaces


async def test_redelivered_event_is_handled_once() -> None:
    dispatcher, counter, _ = make_dispatcher()
    first = await dispatcher.handle(Incoming(make_actor(), "count", event_id="evt-1"))
    again = await dispatcher.handle(Incoming(make_actor(), "count", event_id="evt-1"))
    other = await dispatcher.handle(Incoming(make_actor(), "count", event_id="evt-2"))
    assert first is not None and first.text == "1"
    assert again is None
    assert other is not None and other.text == "2"
    assert counter.calls == 2


async def test_same_event_id_on_another_platform_is_a_different_event() -> None:
    dispatcher, counter, _ = make_dispatcher()
    await dispatcher.handle(Incoming(make_actor(platform=Platform.DISCORD), "count", event_id="1"))
    await dispatcher.handle(Incoming(make_actor(platform=Platform.SLACK), "count", event_id="1"))
    assert counter.calls == 2


async def test_events_without_id_are_never_dropped() -> None:
    dispatcher, counter, _ = make_dispatcher()
    for _ in range(3):
        await dispatcher.handle(Incoming(make_actor(), "count"))
    assert counter.calls == 3


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
async def test_blank_input_gets_a_friendly_pointer(text: str) -> None:
    dispatcher, counter, _ = make_dispatcher()
    reply = await dispatcher.handle(Incoming(make_actor(), text))
    assert reply is not None and "help" in reply.text and reply.error is None
    assert counter.calls == 0


async def test_very_long_input_is_refused_politely() -> None:
    dispatcher, counter, _ = make_dispatcher()
    reply = await dispatcher.handle(Incoming(make_actor(), "count " + "x" * MAX_INPUT_CHARS))
    assert reply is not None and reply.error == "too_long"
    assert counter.calls == 0


async def test_domain_error_becomes_its_message_and_hint() -> None:
    dispatcher, _, _ = make_dispatcher()
    reply = await dispatcher.handle(Incoming(make_actor(), "nope"))
    assert reply is not None
    assert reply.error == "bad_request"
    assert "You cannot do that here." in reply.text and "Try `help`." in reply.text


async def test_unexpected_error_gives_a_reference_and_no_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dispatcher, _, _ = make_dispatcher()
    with caplog.at_level(logging.ERROR):
        reply = await dispatcher.handle(Incoming(make_actor(), "boom"))
    assert reply is not None and reply.error == "internal"
    assert "secret-token" not in reply.text and "Traceback" not in reply.text
    reference = reply.text.rsplit("`", 2)[-2]
    assert len(reference) == 8
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info is not None


async def test_space_is_recorded_once_per_space() -> None:
    dispatcher, _, spaces = make_dispatcher()
    await dispatcher.handle(Incoming(make_actor("ada"), "count"))
    await dispatcher.handle(Incoming(make_actor("bob"), "count"))
    assert list(spaces.spaces) == [(Platform.CONSOLE, "space-1")]


async def test_close_waits_for_messages_in_flight_and_refuses_new_ones() -> None:
    release = asyncio.Event()

    async def slow(request: Request) -> Reply:
        await release.wait()
        return Reply(text="done")

    table = CommandTable([Command("slow", "Takes a while.")])
    dispatcher = Dispatcher(
        Router(table, {"slow": slow}, chat), FakeEventLog(), FakeSpaceRepository()
    )
    working = asyncio.ensure_future(dispatcher.handle(Incoming(make_actor(), "slow")))
    await asyncio.sleep(0.01)
    closing = asyncio.ensure_future(dispatcher.close(timeout=5))
    await asyncio.sleep(0.01)
    assert not closing.done()  # still waiting for the slow one
    refused = await dispatcher.handle(Incoming(make_actor(), "slow"))
    assert refused is not None and refused.error == "closing"
    release.set()
    await closing
    assert (await working) == Reply(text="done")
