"""Forms on Slack: views.open with the command's trigger_id, and a view_submission run as a Call.

The trigger_id of a slash command or click is valid for 3 s, so a form is opened right after
the ack, before anything slow. A submission is answered within the ack as well: field errors
show on the form itself (`response_action: errors`), anything else closes it and is sent as
the command's answer would be.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.ids import SlackReferences
from bot.adapters.slack.images import deliver
from bot.core.forms import (
    FORM_ID_PREFIX,
    FormField,
    OpenForm,
    form_for_line,
    form_path,
    submitted_call,
)
from bot.core.messages import Incoming, Reply

if TYPE_CHECKING:
    from bot.adapters.slack.adapter import SlackAdapter

log = logging.getLogger(__name__)

# Slack's limits for a modal and its inputs.
TITLE_LIMIT = 24
LABEL_LIMIT = 2000
PLACEHOLDER_LIMIT = 150
INPUT_LIMIT = 3000
ERROR_LIMIT = 150  # a field error is a line under the field
ACK_WINDOW = 2.0  # seconds the command may take before the ack; Slack waits 3 s in all


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def modal_view(form: OpenForm, channel_id: str, response_url: str | None) -> dict[str, Any]:
    """Return the modal of form: an input block per field, keyed by its argument."""
    # private_metadata carries where the command was typed, for the answer after submission.
    metadata = json.dumps({"channel": channel_id, "response_url": response_url})
    return {
        "type": "modal",
        "callback_id": form.form_id,
        "title": _plain(_cut(form.title, TITLE_LIMIT)),
        "submit": _plain("Submit"),
        "close": _plain("Cancel"),
        "private_metadata": metadata,
        "blocks": [_input(field, form.values.get(field.key)) for field in form.fields],
    }


def _input(field: FormField, value: str | None) -> dict[str, Any]:
    limit = min(field.max_length, INPUT_LIMIT)
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": field.key,
        "multiline": field.long,
        "max_length": limit,
        "placeholder": _plain(_cut(field.hint, PLACEHOLDER_LIMIT)),
    }
    if value:
        element["initial_value"] = value[:limit]
    return {
        "type": "input",
        "block_id": field.key,
        "label": _plain(_cut(field.label, LABEL_LIMIT)),
        "optional": not field.required,
        "element": element,
    }


def state_values(view: Mapping[str, Any]) -> dict[str, str | None]:
    """Return what was typed into a submitted view, by block id (None for an empty input)."""
    values: Mapping[str, Mapping[str, Any]] = (view.get("state") or {}).get("values") or {}
    return {
        block_id: next((a.get("value") for a in actions.values()), None)
        for block_id, actions in values.items()
    }


def field_error(reply: Reply) -> str:
    """Return the line shown under the field: the error without its usage hint."""
    return _cut(reply.text.split("\n", 1)[0], ERROR_LIMIT)


async def open_if_wanted(
    adapter: SlackAdapter,
    client: AsyncWebClient,
    body: Mapping[str, Any],
    line: str,
    channel_id: str,
) -> bool:
    """Open the form when line runs a form command without its arguments; say if it did."""
    path = adapter.table.reached(line.lstrip("/").split())
    if path is None or path.leaf.form is None:
        return False  # most lines: no Slack call before the command runs
    user = body.get("user") or {}
    user_id = str(body.get("user_id") or user.get("id") or "")
    team_id = str(body.get("team_id") or user.get("team_id") or (body.get("team") or {}).get("id"))
    actor = await adapter.actor(team_id, user_id, channel_id)
    form = form_for_line(adapter.table, line, actor)
    if form is None:
        return False
    view = modal_view(form, channel_id, body.get("response_url"))
    await client.views_open(trigger_id=body["trigger_id"], view=view)
    return True


def register_forms(adapter: SlackAdapter) -> None:
    """Answer the submissions of every form the adapter opens."""

    @adapter.app.view(re.compile(rf"^{re.escape(FORM_ID_PREFIX)}"))
    async def on_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        if adapter.in_flight.closing:
            await ack()  # the form closes; nothing more will run here
            return
        async with adapter.in_flight.track():
            await _submit(adapter, ack, body, client)


async def _submit(
    adapter: SlackAdapter, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
) -> None:
    view = body["view"]
    path = form_path(adapter.table, str(view.get("callback_id", "")))
    if path is None:
        await ack()
        return
    where = _metadata(view)
    user = body["user"]
    team_id = user.get("team_id") or (body.get("team") or {}).get("id", "")
    actor = await adapter.actor(team_id, user["id"], where.get("channel") or "")
    call = submitted_call(path, state_values(view))
    # A new trigger_id comes with each submission; a redelivery repeats it.
    event_id = f"view:{body.get('trigger_id', '')}"
    incoming = Incoming(actor, path.key, event_id, SlackReferences(team_id), call)
    work = asyncio.ensure_future(adapter.handle(incoming))
    try:
        reply = await asyncio.wait_for(asyncio.shield(work), ACK_WINDOW)
    except TimeoutError:
        await ack()  # the form closes; the answer follows as a message
        reply = await work
    else:
        fields = {a.key for a in path.leaf.form_arguments}
        if reply is not None and reply.error == "usage" and reply.argument in fields:
            # Nothing ran: the form stays open with the error under its field.
            await ack(response_action="errors", errors={reply.argument: field_error(reply)})
            return
        await ack()
    if reply is not None:
        await _send(client, reply, user["id"], where.get("response_url"))


def _metadata(view: Mapping[str, Any]) -> dict[str, str]:
    try:
        stored = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    if not isinstance(stored, dict):
        return {}
    return {key: value for key, value in stored.items() if isinstance(value, str)}


async def _send(
    client: AsyncWebClient, reply: Reply, user_id: str, response_url: str | None
) -> None:
    """Answer where the command was typed (as a command's answer), else in a direct message."""
    if response_url:
        respond = AsyncRespond(response_url=response_url)
        response_type = "ephemeral" if reply.ephemeral else "in_channel"

        taken: list[bool] = []

        async def send_there(payload: dict[str, Any]) -> bool:
            answer = await respond(response_type=response_type, **payload)
            taken.append(200 <= answer.status_code < 300)
            return taken[-1]

        try:
            await deliver(client, reply, send_there)
        except (SlackApiError, OSError) as error:
            log.info("the form's response_url failed (%s); sending a DM", error)
        if taken and taken[-1]:
            return
        # A response_url lasts 30 minutes: a form left open longer is answered in a DM.
    channel = (await client.conversations_open(users=user_id))["channel"]["id"]

    async def send_dm(payload: dict[str, Any]) -> bool:
        await client.chat_postMessage(channel=channel, **payload)
        return True

    await deliver(client, reply, send_dm)
