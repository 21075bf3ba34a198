"""Forms on Slack: the real slack-bolt over signed HTTP opens a modal and runs its submission."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.adapters.slack.adapter import SlackAdapter
from tests.adapters.test_slack import free_port, serving, slack_options
from tests.forms_demo import TABLE, TYPED, VALID, Recorder, demo_dispatcher
from tests.slack_fake import FakeSlack, SlackRequests


@asynccontextmanager
async def slack_with_forms() -> AsyncIterator[tuple[FakeSlack, SlackRequests, Recorder]]:
    """Serve the demo table through the real Slack adapter against a fake Slack."""
    dispatcher, recorded = demo_dispatcher()
    async with FakeSlack() as slack:
        port = free_port()
        adapter = SlackAdapter(slack_options(slack, port), TABLE)
        async with (
            serving(adapter, port, dispatcher.handle) as endpoint,
            slack.signed_requests(endpoint) as sender,
        ):
            yield slack, sender, recorded


async def open_demo(slack: FakeSlack, sender: SlackRequests, text: str = "demo") -> Any:
    """Run `/roadmap demo` and return the modal the bot opened."""
    status, _ = await sender.slash_command("/roadmap", text, trigger_id="77.T0001.trigger")
    assert status == 200
    call = await slack.wait_for_call("views.open")
    assert call.args["trigger_id"] == "77.T0001.trigger"  # the command's own, within 3 s
    return slack.opened_views[-1]


async def test_the_command_alone_opens_a_modal_with_an_input_per_argument() -> None:
    async with slack_with_forms() as (slack, sender, recorded):
        view = await open_demo(slack, sender)
        assert slack.responses("default") == []  # no answer: the form is the answer
    assert (view["type"], view["callback_id"]) == ("modal", "rb:form:demo")
    assert view["title"]["text"] == "Try the demo"
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert list(blocks) == ["title", "body", "level", "count"]
    assert {b["type"] for b in blocks.values()} == {"input"}
    elements = {key: b["element"] for key, b in blocks.items()}
    assert {e["type"] for e in elements.values()} == {"plain_text_input"}
    assert [e["multiline"] for e in elements.values()] == [False, True, False, False]
    assert [e["max_length"] for e in elements.values()] == [80, 1500, 6, 1]
    assert [b["optional"] for b in blocks.values()] == [False, False, False, True]
    assert json.loads(view["private_metadata"])["channel"] == "C_GENERAL"
    assert recorded.runs == []


async def test_what_was_typed_after_the_command_fills_the_form() -> None:
    async with slack_with_forms() as (slack, sender, recorded):
        view = await open_demo(slack, sender, "demo title:Hash maps count:2")
    values = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert values == {"title": "Hash maps", "body": None, "level": None, "count": "2"}
    assert recorded.runs == []


async def test_an_invalid_field_shows_on_the_form_and_a_valid_one_runs_once() -> None:
    async with slack_with_forms() as (slack, sender, recorded):
        view = await open_demo(slack, sender)
        refused = await sender.view_submission(view, {**VALID, "level": "extreme"})
        assert refused.status == 200
        assert refused.body["response_action"] == "errors"
        assert list(refused.body["errors"]) == ["level"]  # the block of the field at fault
        assert "`level` must be one of" in refused.body["errors"]["level"]
        assert recorded.runs == []  # nothing ran
        accepted = await sender.view_submission(view, VALID, trigger_id="88.T0001.trigger")
        assert (accepted.status, accepted.body) == (200, "")  # the form closes
        answer = (await slack.wait_for_response("default")).json
        # Slack re-sends a submission it got no answer for: the same trigger_id, run once.
        again = await sender.view_submission(view, VALID, trigger_id="88.T0001.trigger")
        assert (again.status, again.body) == (200, "")
    assert "saved Hash maps" in json.dumps(answer)
    assert answer["response_type"] == "in_channel"
    assert recorded.values == [TYPED]
    assert recorded.runs[0].event_id == "view:88.T0001.trigger"
    assert recorded.runs[0].actor.channel_id == "C_GENERAL"
    assert len(slack.responses("default")) == 1


async def test_a_form_left_open_too_long_is_answered_in_a_direct_message() -> None:
    async with slack_with_forms() as (slack, sender, recorded):
        view = await open_demo(slack, sender)
        stale = json.dumps({"channel": "C_GENERAL", "response_url": None})
        await sender.view_submission(view | {"private_metadata": stale}, VALID)
        posted = await slack.wait_for_call("chat.postMessage")
    assert posted.args["channel"].startswith("D")
    assert "saved Hash maps" in json.dumps(posted.args)
    assert recorded.values == [TYPED]


async def test_a_form_for_moderators_is_not_opened_for_a_member() -> None:
    async with slack_with_forms() as (slack, sender, recorded):
        await sender.slash_command("/roadmap", "locked")
        answer = (await slack.wait_for_response("default")).json
        await sender.slash_command("/roadmap", "locked", user_id="U_ADMIN")
        call = await slack.wait_for_call("views.open")
    assert "Only moderators" in json.dumps(answer)
    assert call.args["view"]["callback_id"] == "rb:form:locked"
    assert recorded.runs == []
