"""Private messages: a DM when the platform takes it, else held and shown once, privately."""

from __future__ import annotations

import logging

import pytest

from bot.core.commands import Command, CommandTable
from bot.core.dispatcher import Dispatcher
from bot.core.messages import Actor, Button, Image, Incoming, Platform, Reply
from bot.core.ports import MemberKey, Reach
from bot.core.private import NOTICES_PER_MESSAGE, DirectMessenger
from bot.core.requests import Request
from bot.core.router import Router
from tests.fakes import FakeEventLog, FakeHeldNotices, FakeSpaceRepository, make_actor

ADA = MemberKey(Platform.DISCORD, "100")
OFFER = Reply(text="Can you mentor Bob on docker?", buttons=(Button("Accept", "mentor accept 7"),))


class Notifier:
    """Collects DMs, or refuses them all with error."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.sent: list[tuple[MemberKey, Reply, str | None]] = []

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        raise AssertionError("a private message is never posted in a channel")

    async def direct(self, key: MemberKey, reply: Reply, *, space_id: str | None = None) -> None:
        if self.error is not None:
            raise self.error
        self.sent.append((key, reply, space_id))


async def test_a_dm_the_platform_takes_is_sent_with_its_space_and_not_held() -> None:
    notifier, held = Notifier(), FakeHeldNotices()
    messenger = DirectMessenger(Reach(notifiers={Platform.DISCORD: notifier}), held)

    assert await messenger.send(ADA, OFFER, space_id="900") is True

    assert notifier.sent == [(ADA, OFFER, "900")]  # its buttons act in server 900
    assert held.held == []


async def test_a_refused_dm_is_held_with_one_warning_and_no_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    refusing = Notifier(PermissionError("403 Cannot send messages to this user token=xoxb-123"))
    held = FakeHeldNotices()
    messenger = DirectMessenger(Reach(notifiers={Platform.DISCORD: refusing}), held)

    with caplog.at_level(logging.WARNING, logger="bot.core.private"):
        assert await messenger.send(ADA, OFFER, space_id="900") is False

    assert [(key, notice.reply, notice.space_id) for key, notice in held.held] == [
        (ADA, OFFER, "900")
    ]
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "100" in record.getMessage() and "PermissionError" in record.getMessage()
    assert "xoxb" not in caplog.text and record.exc_info is None


async def test_a_platform_without_a_running_adapter_holds_the_notice() -> None:
    held = FakeHeldNotices()
    messenger = DirectMessenger(Reach(), held)

    assert await messenger.send(MemberKey(Platform.SLACK, "T1:U1"), OFFER, space_id="T1") is False
    assert len(held.held) == 1


async def test_a_held_notice_drops_its_image_but_keeps_what_it_showed() -> None:
    held = FakeHeldNotices()
    messenger = DirectMessenger(Reach(notifiers={Platform.DISCORD: Notifier(OSError())}), held)
    chart = Reply(text="Your week", image=Image("week.png", b"\x89PNG", "3 sessions this week"))

    await messenger.send(ADA, chart, space_id="900")

    ((_, notice),) = held.held
    assert notice.reply.image is None and "3 sessions this week" in notice.reply.text


def dispatcher_with(held: FakeHeldNotices) -> tuple[Dispatcher, list[str]]:
    seen: list[str] = []

    async def ping(request: Request) -> Reply:
        seen.append(request.actor.user_id)
        return Reply(text="pong")

    async def chat(actor: Actor, text: str) -> Reply:
        return Reply(text="chat")

    router = Router(CommandTable([Command("ping", "Ping.")]), {"ping": ping}, chat)
    return Dispatcher(router, FakeEventLog(), FakeSpaceRepository(), held), seen


def incoming(event_id: str, *, user: str = "100", shows: bool = True) -> Incoming:
    actor = make_actor(user, platform=Platform.DISCORD)
    return Incoming(actor, "ping", event_id, shows_notices=shows)


async def test_held_notices_come_once_beside_the_next_answer_and_never_on_a_redelivery() -> None:
    held = FakeHeldNotices()
    await held.hold(ADA, OFFER, space_id="900")
    await held.hold(MemberKey(Platform.DISCORD, "200"), Reply(text="for Bob"), space_id="900")
    dispatcher, seen = dispatcher_with(held)

    first = await dispatcher.handle(incoming("e1"))
    again = await dispatcher.handle(incoming("e1"))  # the platform redelivers it
    later = await dispatcher.handle(incoming("e2"))

    assert first is not None and first.text == "pong"
    assert [(n.reply.text, n.space_id) for n in first.notices] == [(OFFER.text, "900")]
    assert again is None
    assert later is not None and later.notices == ()
    assert seen == ["100", "100"]
    assert [notice.reply.text for _, notice in held.held] == ["for Bob"]  # Bob's waits


async def test_a_redelivery_leaves_notices_held_for_later() -> None:
    held = FakeHeldNotices()
    dispatcher, _ = dispatcher_with(held)
    await dispatcher.handle(incoming("e1"))
    await held.hold(ADA, OFFER, space_id="900")

    assert await dispatcher.handle(incoming("e1")) is None
    assert len(held.held) == 1


async def test_a_public_message_leaves_notices_held() -> None:
    held = FakeHeldNotices()
    await held.hold(ADA, OFFER, space_id="900")
    dispatcher, _ = dispatcher_with(held)

    public = await dispatcher.handle(incoming("e1", shows=False))  # a mention in a channel
    private = await dispatcher.handle(incoming("e2"))

    assert public is not None and public.notices == ()
    assert private is not None and len(private.notices) == 1


async def test_at_most_a_few_notices_per_answer_and_the_rest_next_time() -> None:
    held = FakeHeldNotices()
    for number in range(NOTICES_PER_MESSAGE + 2):
        await held.hold(ADA, Reply(text=f"notice {number}"), space_id="900")
    dispatcher, _ = dispatcher_with(held)

    first = await dispatcher.handle(incoming("e1"))
    second = await dispatcher.handle(incoming("e2"))

    assert first is not None and second is not None
    texts = [n.reply.text for n in (*first.notices, *second.notices)]
    assert texts == [f"notice {number}" for number in range(NOTICES_PER_MESSAGE + 2)]
    assert len(first.notices) == NOTICES_PER_MESSAGE


async def test_an_error_answer_still_carries_the_notices() -> None:
    held = FakeHeldNotices()
    await held.hold(ADA, OFFER, space_id="900")
    dispatcher, _ = dispatcher_with(held)
    actor = make_actor("100", platform=Platform.DISCORD)

    reply = await dispatcher.handle(Incoming(actor, "/ping extra words", "e1", shows_notices=True))

    assert reply is not None and reply.error is not None
    assert len(reply.notices) == 1
