"""The slack-bolt app the fake's own tests run: a few listeners and a queue of what they saw."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond, AsyncSay
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from .world import JSON

TIMEOUT = 2.0
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*step 1*"}}]


@dataclass(frozen=True)
class Seen:
    """One listener run, queued when the listener is done (so its API calls are recorded)."""

    listener: str
    body: JSON
    retry_num: str | None = None
    retry_reason: str | None = None


def _header(request: AsyncBoltRequest, name: str) -> str | None:
    # Bolt keeps headers lower-cased, each as a list of values.
    values = request.headers.get(name)
    return values[0] if values else None


class BoltHarness:
    """A real `AsyncApp` with one listener per kind of request the fake can send."""

    def __init__(self, token: str, api_base: str, signing_secret: str) -> None:
        client = AsyncWebClient(token=token, base_url=api_base)
        self.app = AsyncApp(client=client, signing_secret=signing_secret)
        self.seen: asyncio.Queue[Seen] = asyncio.Queue()
        # Bodies of the requests that got past bolt's built-in middleware (signature,
        # authorization, own-event filter) to the app. Noted before bolt answers the request,
        # so once a test has the answer it can tell "refused" from "not yet run".
        self.reached: list[JSON] = []
        self.app.use(self._note_reached)
        self._register()

    async def next_seen(self, timeout: float = TIMEOUT) -> Seen:
        """Return the next finished listener run."""
        return await asyncio.wait_for(self.seen.get(), timeout)

    async def _note_reached(self, body: JSON, next_: Callable[[], Awaitable[None]]) -> None:
        self.reached.append(body)
        await next_()

    def _register(self) -> None:
        app = self.app

        @app.command("/roadmap")
        async def roadmap(ack: AsyncAck, respond: AsyncRespond, command: JSON) -> None:
            # The text picks the kind of ack, to show what each one looks like over HTTP.
            text = command["text"]
            if text == "ack-text":
                await ack("working on it")
            elif text == "ack-blocks":
                await ack(text="step", blocks=BLOCKS)
            else:
                await ack()
            await respond(text=f"you asked: {text}", response_type="ephemeral")
            await self.seen.put(Seen("command", command))

        @app.event("app_mention")
        async def mention(event: JSON, client: AsyncWebClient, request: AsyncBoltRequest) -> None:
            await client.chat_postMessage(
                channel=event["channel"],
                thread_ts=event.get("thread_ts") or event["ts"],
                text="answer in the thread",
            )
            await self.seen.put(
                Seen(
                    "app_mention",
                    request.body,
                    _header(request, "x-slack-retry-num"),
                    _header(request, "x-slack-retry-reason"),
                )
            )

        @app.event({"type": "message", "channel_type": "im"})
        async def direct_message(event: JSON, say: AsyncSay, body: JSON) -> None:
            await say(f"got your DM: {event['text']}")
            await self.seen.put(Seen("direct_message", body))

        @app.event("app_home_opened")
        async def home(event: JSON, client: AsyncWebClient, body: JSON) -> None:
            view: dict[str, Any] = {"type": "home", "blocks": BLOCKS}
            await client.views_publish(user_id=event["user"], view=view)
            await self.seen.put(Seen("app_home_opened", body))

        @app.action("step:done")
        async def done(ack: AsyncAck, respond: AsyncRespond, body: JSON) -> None:
            await ack()
            await respond(text="marked done", replace_original=True)
            await self.seen.put(Seen("step:done", body))
