"""Forms on Discord: the real discord.py opens a modal, and its submission runs the command."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.core.dispatcher import Dispatcher
from bot.core.messages import Incoming, Reply
from tests.adapters.test_discord import discord_serving
from tests.discord_fake import FakeDiscord
from tests.forms_demo import TABLE, TYPED, VALID, demo_dispatcher

MODAL, MESSAGE, EPHEMERAL = 9, 4, 64
MODAL_SUBMIT, CLICK = 5, 3
TIMEOUT = 5.0


class Answers:
    """The dispatcher's handle, with a queue of what it answered (None for a redelivery)."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher
        self.replies: asyncio.Queue[Reply | None] = asyncio.Queue()

    async def handle(self, incoming: Incoming) -> Reply | None:
        reply = await self._dispatcher.handle(incoming)
        await self.replies.put(reply)
        return reply

    async def next(self) -> Reply | None:
        return await asyncio.wait_for(self.replies.get(), TIMEOUT)


def inputs(modal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return a modal's text inputs by custom_id."""
    return {row["components"][0]["custom_id"]: row["components"][0] for row in modal["components"]}


async def submit(fake: FakeDiscord, fields: dict[str, str], **extra: Any) -> dict[str, Any]:
    sent = await fake.send_interaction(
        type=MODAL_SUBMIT, custom_id="rb:form:demo", fields=fields, **extra
    )
    return (await fake.wait_for_interaction_response(sent)).json


async def test_the_slash_command_alone_opens_its_form_as_the_first_answer(tmp_path: Path) -> None:
    dispatcher, recorded = demo_dispatcher()
    async with discord_serving(tmp_path, dispatcher, TABLE) as fake:
        synced = fake.requests_matching("PUT", r"/applications/\d+/commands")[-1].json
        options = next(c for c in synced if c["name"] == "demo")["options"]
        assert [o.get("required", False) for o in options] == [False] * 4  # `/demo` alone runs
        sent = await fake.send_interaction("demo")
        body = (await fake.wait_for_interaction_response(sent)).json
    assert body["type"] == MODAL
    modal = body["data"]
    assert (modal["title"], modal["custom_id"]) == ("Try the demo", "rb:form:demo")
    assert [row["type"] for row in modal["components"]] == [1, 1, 1, 1]  # ACTION_ROW each
    shown = inputs(modal)
    assert list(shown) == ["title", "body", "level", "count"]
    assert {f["type"] for f in shown.values()} == {4}  # TEXT_INPUT
    assert [f["style"] for f in shown.values()] == [1, 2, 1, 1]  # body is a paragraph
    assert [f["max_length"] for f in shown.values()] == [80, 1500, 6, 1]
    assert [f["required"] for f in shown.values()] == [True, True, True, False]
    assert shown["level"]["label"] == "level"
    assert shown["level"]["placeholder"] == "How hard it is. (easy, medium, hard)"
    assert recorded.runs == []  # nothing ran: the form is still to be filled in


async def test_options_given_with_the_slash_command_fill_the_form(tmp_path: Path) -> None:
    dispatcher, recorded = demo_dispatcher()
    async with discord_serving(tmp_path, dispatcher, TABLE) as fake:
        sent = await fake.send_interaction("demo", options={"title": "Hash maps", "count": 2})
        body = (await fake.wait_for_interaction_response(sent)).json
    assert body["type"] == MODAL
    shown = inputs(body["data"])
    assert (shown["title"]["value"], shown["count"]["value"]) == ("Hash maps", "2")
    assert "value" not in shown["body"]
    assert recorded.runs == []


async def test_a_valid_submission_reaches_the_handler_typed_and_is_answered(
    tmp_path: Path,
) -> None:
    dispatcher, recorded = demo_dispatcher()
    async with discord_serving(tmp_path, dispatcher, TABLE) as fake:
        body = await submit(fake, VALID)
    assert body["type"] == MESSAGE
    assert body["data"]["embeds"][0]["description"] == "saved Hash maps"
    assert recorded.values == [TYPED]  # Integer 3, the choice folded, the paragraph whole
    assert recorded.runs[0].event_id is not None
    assert recorded.runs[0].event_id.startswith("interaction:")


async def test_an_invalid_value_is_a_private_usage_error_with_the_form_to_open_again(
    tmp_path: Path,
) -> None:
    dispatcher, recorded = demo_dispatcher()
    async with discord_serving(tmp_path, dispatcher, TABLE) as fake:
        body = await submit(fake, {**VALID, "count": "9"})
        assert body["type"] == MESSAGE and body["data"]["flags"] & EPHEMERAL
        error = body["data"]["embeds"][0]["description"]
        assert "`count` must be a whole number from 1 to 5" in error
        (button,) = body["data"]["components"][0]["components"]
        assert button["label"] == "Open the form again"
        # The button opens the form again (a modal may answer a click) with the text kept.
        sent = await fake.send_interaction(type=CLICK, custom_id=button["custom_id"])
        again = (await fake.wait_for_interaction_response(sent)).json
        assert again["type"] == MODAL
        kept = {key: field.get("value") for key, field in inputs(again["data"]).items()}
        assert kept == {**VALID, "count": "9"}
        # Once a submission succeeds, a new form starts empty.
        await submit(fake, VALID)
        sent = await fake.send_interaction("demo")
        fresh = (await fake.wait_for_interaction_response(sent)).json
    assert all("value" not in field for field in inputs(fresh["data"]).values())
    assert recorded.values == [TYPED]  # the refused one never reached the handler


async def test_a_redelivered_submission_is_handled_once(tmp_path: Path) -> None:
    dispatcher, recorded = demo_dispatcher()
    answers = Answers(dispatcher)
    async with discord_serving(tmp_path, answers, TABLE) as fake:  # type: ignore[arg-type]
        first = await submit(fake, VALID, interaction_id=4242)
        assert (await answers.next()) is not None
        await fake.send_interaction(
            type=MODAL_SUBMIT, custom_id="rb:form:demo", fields=VALID, interaction_id=4242
        )
        assert (await answers.next()) is None  # the dispatcher dropped it
        callbacks = fake.requests_matching("POST", r"/interactions/4242/[^/]+/callback")
    assert first["type"] == MESSAGE and len(callbacks) == 1
    assert recorded.values == [TYPED]


async def test_a_form_for_moderators_is_not_opened_for_a_member(tmp_path: Path) -> None:
    dispatcher, recorded = demo_dispatcher()
    async with discord_serving(tmp_path, dispatcher, TABLE) as fake:
        sent = await fake.send_interaction("locked")
        body = (await fake.wait_for_interaction_response(sent)).json
        assert body["type"] == MESSAGE
        assert "Only moderators" in body["data"]["embeds"][0]["description"]
        moderator = {"user": fake.moderator_user, "permissions": 1 << 5}
        sent = await fake.send_interaction("locked", **moderator)
        opened = (await fake.wait_for_interaction_response(sent)).json
    assert opened["type"] == MODAL and opened["data"]["custom_id"] == "rb:form:locked"
    assert recorded.runs == []
