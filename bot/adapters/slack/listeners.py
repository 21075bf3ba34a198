"""Bolt listeners: each acknowledges first, then hands the work to the core."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ParamSpec

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.forms import open_if_wanted, register_forms
from bot.adapters.slack.ids import SlackReferences
from bot.adapters.slack.images import deliver
from bot.adapters.slack.render import ACTION_PREFIX, message_payload
from bot.core.messages import Incoming, Platform, Reply
from bot.core.prompts.threads import thread_answer

if TYPE_CHECKING:
    from bot.adapters.slack.adapter import SlackAdapter

log = logging.getLogger(__name__)

P = ParamSpec("P")
HELP_HINT = "On Slack, type `/roadmap <command>`, for example `/roadmap next`."


def strip_bot_mention(text: str, bot_user_id: str | None) -> str:
    """Return the text of a mention without the bot's own <@U...> tag."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    return text.strip()


def notice_payloads(reply: Reply) -> list[dict[str, Any]]:
    """Return the member's held notices as message payloads, one each (no images: none kept)."""
    return [message_payload(notice.reply) for notice in reply.notices]


def tracked(
    adapter: SlackAdapter,
) -> Callable[[Callable[P, Awaitable[None]]], Callable[P, Awaitable[None]]]:
    """Run a listener's work as in flight: a closing adapter waits for it, and starts no more."""

    def wrap(work: Callable[P, Awaitable[None]]) -> Callable[P, Awaitable[None]]:
        @functools.wraps(work)
        async def run(*args: P.args, **kwargs: P.kwargs) -> None:
            if adapter.in_flight.closing:
                return
            async with adapter.in_flight.track():
                await work(*args, **kwargs)

        return run

    return wrap


def register(adapter: SlackAdapter) -> None:
    """Register every listener of the adapter on its bolt app."""
    app = adapter.app

    @tracked(adapter)
    async def answer_command(
        team_id: str, user_id: str, channel_id: str, line: str, event_id: str,
        respond: AsyncRespond, client: AsyncWebClient,
    ) -> None:  # fmt: skip
        actor = await adapter.actor(team_id, user_id, channel_id)
        references = SlackReferences(team_id)
        # respond() can always answer privately: held notices go as ephemeral responses.
        incoming = Incoming(actor, line, event_id, references, shows_notices=True)
        reply = await adapter.handle(incoming)
        if reply is None:
            return
        # The table knows every alias (`/roadmap tz`) and subcommand (`/roadmap config show`).
        path = adapter.table.reached(line.lstrip("/").split())
        command = path.leaf if path is not None else None
        hint = HELP_HINT if path is not None and path.names == ("help",) else None
        response_type = "ephemeral" if reply.ephemeral else "in_channel"

        async def send(payload: dict[str, Any]) -> bool:
            answer = await respond(response_type=response_type, **payload)
            return 200 <= answer.status_code < 300  # a response_url refuses with a 4xx

        await deliver(client, reply, send, hint)
        for payload in notice_payloads(reply):
            await respond(response_type="ephemeral", replace_original=False, **payload)
        if command is not None and command.personal:
            await adapter.publish_home(team_id, user_id)  # keep App Home in step

    @app.command(adapter.options.command)
    async def on_command(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond,
                         client: AsyncWebClient) -> None:  # fmt: skip
        await ack()  # Slack wants an answer within 3 s; the work follows the ack
        line = (body.get("text") or "").strip() or "help"
        if await open_if_wanted(adapter, client, body, line, body.get("channel_id", "")):
            return  # the trigger_id lasts 3 s: the form opens before anything slow
        await answer_command(
            body["team_id"], body["user_id"], body.get("channel_id", ""), line,
            f"command:{body.get('trigger_id', '')}", respond, client,
        )  # fmt: skip

    @app.action(re.compile(rf"^{re.escape(ACTION_PREFIX)}"))
    async def on_button(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond,
                        client: AsyncWebClient) -> None:  # fmt: skip
        await ack()
        action = body["actions"][0]
        user = body["user"]
        team_id = user.get("team_id") or (body.get("team") or {}).get("id", "")
        channel_id = (body.get("channel") or {}).get("id", "")
        event_id = f"action:{action.get('action_ts', '')}:{user['id']}"
        if await open_if_wanted(adapter, client, body, action["value"], channel_id):
            return
        await answer_command(
            team_id, user["id"], channel_id, action["value"], event_id, respond, client
        )

    @app.action(re.compile(r"^rb:url:"))
    async def on_link(ack: AsyncAck) -> None:
        await ack()  # link buttons open in the browser; Slack still sends the click

    @tracked(adapter)
    async def answer_in_thread(
        body: dict[str, Any], event: dict[str, Any], text: str, client: AsyncWebClient
    ) -> None:
        team_id = body.get("team_id") or event.get("team", "")
        actor = await adapter.actor(team_id, event["user"], event["channel"])
        event_id = f"event:{body.get('event_id', event['ts'])}"
        # An ephemeral message is private even in a channel: held notices can go there.
        incoming = Incoming(actor, text, event_id, SlackReferences(team_id), shows_notices=True)
        reply = await adapter.handle(incoming)
        if reply is None:
            return
        thread_ts = event.get("thread_ts") or event["ts"]

        async def send(payload: dict[str, Any]) -> bool:
            await client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, **payload)
            return True  # a refusal raises SlackApiError

        await deliver(client, reply, send)
        for payload in notice_payloads(reply):
            await client.chat_postEphemeral(
                channel=event["channel"], user=event["user"], thread_ts=thread_ts, **payload
            )

    async def in_prompt_thread(event: dict[str, Any]) -> bool:
        """Say whether a channel message is a reply in a daily prompt's thread."""
        thread_ts = event.get("thread_ts")
        if adapter.threads is None or not thread_ts or thread_ts == event.get("ts"):
            return False  # not in a thread, or the thread's own first message
        if event.get("channel_type") == "im":
            return False
        return await adapter.threads.is_prompt_thread(Platform.SLACK, str(thread_ts))

    @tracked(adapter)
    async def record_answer(
        body: dict[str, Any], event: dict[str, Any], text: str, client: AsyncWebClient
    ) -> None:
        team_id = body.get("team_id") or event.get("team", "")
        actor = await adapter.actor(team_id, event["user"], event["channel"])
        event_id = f"event:{body.get('event_id', event['ts'])}"
        thread_ts = str(event["thread_ts"])
        references = SlackReferences(team_id)
        incoming = thread_answer(adapter.table, actor, text, event_id, thread_ts, references)
        if incoming is None:
            return  # this bot has no `prompt answer` command: replies are just chat
        reply = await adapter.handle(incoming)
        if reply is None:  # a redelivered event: already recorded
            return

        async def send(payload: dict[str, Any]) -> bool:
            channel = event["channel"]
            if reply.ephemeral:  # only the member who answered sees it, in the thread
                await client.chat_postEphemeral(
                    channel=channel, user=event["user"], thread_ts=thread_ts, **payload
                )
            else:
                await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **payload)
            return True  # a refusal raises SlackApiError

        await deliver(client, reply, send)

    @app.event("app_mention")
    async def on_mention(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient,
                         context: dict[str, Any]) -> None:  # fmt: skip
        if await in_prompt_thread(event):
            return  # its `message` event records it as an answer; answering twice would confuse
        text = strip_bot_mention(event.get("text", ""), context.get("bot_user_id"))
        await answer_in_thread(body, event, text, client)

    @app.event("message")
    async def on_message(
        body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient,
        context: dict[str, Any],
    ) -> None:  # fmt: skip
        # Only people: edits, joins and bot posts (our own included) carry a subtype or a
        # bot_id; a reply also sent to the channel is still a reply.
        if event.get("subtype") not in (None, "thread_broadcast") or event.get("bot_id"):
            return
        if await in_prompt_thread(event):
            text = strip_bot_mention(event.get("text", ""), context.get("bot_user_id"))
            if text:
                await record_answer(body, event, text, client)
            return
        # Direct messages; other channel chatter needs a mention.
        if event.get("channel_type") == "im" and not event.get("subtype"):
            await answer_in_thread(body, event, event.get("text", ""), client)

    register_forms(adapter)

    @app.event("app_home_opened")
    async def on_home(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            await tracked(adapter)(adapter.publish_home)(body.get("team_id", ""), event["user"])
