"""`SlackRequests`: post signed requests to a bot's HTTP endpoint, as Slack does."""

from __future__ import annotations

import json
import time
import urllib.parse
from typing import Any, Self, Unpack

import aiohttp

from .payloads import (
    VERIFICATION_TOKEN,
    IdFactory,
    Workspace,
    app_home_opened_event,
    block_actions_payload,
    event_envelope,
    message_event,
    slash_command_form,
    view_submission_payload,
)
from .signing import HttpReply, Tampering, slack_signature
from .world import (
    APP_ID,
    BOT_USER_ID,
    GENERAL_CHANNEL_ID,
    JSON,
    MEMBER_USER_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    channel_name,
    dm_channel_id,
)

FORM = "application/x-www-form-urlencoded"


class SlackRequests:
    """Post what Slack posts (slash commands, events, clicks), signed, to a bot's endpoint.

    Use it as an async context manager (it owns an aiohttp session). `FakeSlack.signed_requests`
    builds one whose ids match the fake's workspace and whose default response_url is the
    fake's ``response_url("default")``.
    """

    def __init__(
        self,
        endpoint_url: str,
        signing_secret: str,
        *,
        team_id: str = TEAM_ID,
        team_domain: str = TEAM_DOMAIN,
        app_id: str = APP_ID,
        bot_user_id: str = BOT_USER_ID,
        default_response_url: str | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.endpoint_url = endpoint_url
        self.signing_secret = signing_secret
        self.workspace = Workspace(team_id, team_domain, app_id, bot_user_id)
        self.default_response_url = default_response_url
        self.ids = IdFactory()
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- what users do --------------------------------------------------------------------

    async def slash_command(
        self,
        command: str = "/roadmap",
        text: str = "",
        user_id: str = MEMBER_USER_ID,
        channel_id: str = GENERAL_CHANNEL_ID,
        team_id: str | None = None,
        response_url: str | None = None,
        trigger_id: str | None = None,
        **tamper: Unpack[Tampering],
    ) -> HttpReply:
        """Run a slash command (form-encoded); the listener must ack() within 3 s."""
        ws = self._workspace(team_id)
        form = slash_command_form(
            ws,
            command=command,
            text=text,
            user_id=user_id,
            user_name=user_id.removeprefix("U_").lower(),
            channel_id=channel_id,
            channel_name=channel_name(channel_id),
            response_url=self._response_url(response_url),
            trigger_id=trigger_id or self.ids.trigger_id(ws.team_id),
        )
        return await self.post(urllib.parse.urlencode(form), FORM, sent=form, **tamper)

    async def event(
        self,
        event: JSON,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        **tamper: Unpack[Tampering],
    ) -> HttpReply:
        """Deliver an Events API event (JSON); a re-delivery carries the retry headers."""
        envelope = event_envelope(self.workspace, event, event_id=event_id or self.ids.event_id())
        headers = {}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        body = json.dumps(envelope)
        return await self.post(body, "application/json", headers=headers, sent=envelope, **tamper)

    async def app_mention(
        self,
        text: str,
        user: str = MEMBER_USER_ID,
        channel: str = GENERAL_CHANNEL_ID,
        ts: str | None = None,
        thread_ts: str | None = None,
        **tamper: Unpack[Tampering],
    ) -> HttpReply:
        """Mention the bot in a channel; ``<@bot>`` is put in front unless `text` has it."""
        mention = f"<@{self.workspace.bot_user_id}>"
        text = text if mention in text else f"{mention} {text}"
        event = message_event(
            self.workspace,
            "app_mention",
            text,
            user=user,
            channel=channel,
            ts=ts or self.ids.new_ts(),
            thread_ts=thread_ts,
        )
        return await self.event(event, **tamper)

    async def direct_message(
        self,
        text: str,
        user: str = MEMBER_USER_ID,
        channel: str | None = None,
        ts: str | None = None,
        **tamper: Unpack[Tampering],
    ) -> HttpReply:
        """Send the bot a DM (a `message` event with channel_type im, in ``D...``)."""
        event = message_event(
            self.workspace,
            "message",
            text,
            user=user,
            channel=channel or dm_channel_id(user),
            ts=ts or self.ids.new_ts(),
            channel_type="im",
        )
        return await self.event(event, **tamper)

    async def thread_reply(
        self,
        text: str,
        thread_ts: str,
        user: str = MEMBER_USER_ID,
        channel: str = GENERAL_CHANNEL_ID,
        ts: str | None = None,
        **tamper: Unpack[Tampering],
    ) -> HttpReply:
        """Reply in a channel's thread (a `message` event with thread_ts, as message.channels)."""
        event = message_event(
            self.workspace,
            "message",
            text,
            user=user,
            channel=channel,
            ts=ts or self.ids.new_ts(),
            thread_ts=thread_ts,
            channel_type="channel",
        )
        return await self.event(event, **tamper)

    async def app_home_opened(
        self,
        user: str = MEMBER_USER_ID,
        *,
        tab: str = "home",
        view: JSON | None = None,
        **tamper: Unpack[Tampering],
    ) -> HttpReply:
        """Open the bot's App Home (`view`: the one published before, as Slack includes it)."""
        event = app_home_opened_event(user, dm_channel_id(user), tab, view)
        return await self.event(event, **tamper)

    async def block_action(
        self,
        action_id: str,
        value: str = "",
        user_id: str = MEMBER_USER_ID,
        channel_id: str = GENERAL_CHANNEL_ID,
        response_url: str | None = None,
        *,
        block_id: str = "actions",
        message: JSON | None = None,
        view: JSON | None = None,
        trigger_id: str | None = None,
        **tamper: Unpack[Tampering],
    ) -> HttpReply:
        """Click a button (form field ``payload=<json>``); see `block_actions_payload`."""
        ts = str(message["ts"]) if message and "ts" in message else self.ids.new_ts()
        payload = block_actions_payload(
            self.workspace,
            action_id=action_id,
            value=value,
            block_id=block_id,
            user_id=user_id,
            channel_id=channel_id,
            channel_name=channel_name(channel_id),
            message_ts=ts,
            response_url=None if view else self._response_url(response_url),
            trigger_id=trigger_id or self.ids.trigger_id(self.workspace.team_id),
            action_ts=self.ids.new_ts(),
            message=message,
            view=view,
        )
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return await self.post(body, FORM, sent=payload, **tamper)

    async def view_submission(
        self,
        view: JSON,
        values: dict[str, str | None],
        user_id: str = MEMBER_USER_ID,
        *,
        trigger_id: str | None = None,
        **tamper: Unpack[Tampering],
    ) -> HttpReply:
        """Submit a modal the bot opened (say ``FakeSlack.opened_views[-1]``) with `values`.

        The answer is the bot's ack: an empty body closes the modal, ``response_action:
        errors`` keeps it open with errors under the named blocks. Passing a `trigger_id`
        already used re-sends that submission.
        """
        payload = view_submission_payload(
            self.workspace,
            view=view,
            values=values,
            user_id=user_id,
            trigger_id=trigger_id or self.ids.trigger_id(self.workspace.team_id),
        )
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return await self.post(body, FORM, sent=payload, **tamper)

    async def url_verification(self, challenge: str, **tamper: Unpack[Tampering]) -> HttpReply:
        """Send the check Slack makes when a request URL is saved; the app echoes `challenge`."""
        body: JSON = {
            "token": VERIFICATION_TOKEN,
            "challenge": challenge,
            "type": "url_verification",
        }
        return await self.post(json.dumps(body), "application/json", sent=body, **tamper)

    # -- the wire -------------------------------------------------------------------------

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        sent: JSON | None = None,
        bad_signature: bool = False,
        age: float = 0.0,
    ) -> HttpReply:
        """Sign `body` and POST it; return the answer (any status: nothing is raised)."""
        timestamp = str(int(time.time() - age))
        secret = self.signing_secret + ("-wrong" if bad_signature else "")
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": slack_signature(secret, timestamp, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(headers or {}),
        }
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        started = time.monotonic()
        async with self._session.post(
            self.endpoint_url, data=body.encode(), headers=all_headers
        ) as response:
            text = await response.text()
            elapsed = time.monotonic() - started
            parsed: Any = json.loads(text) if response.content_type == "application/json" else text
            return HttpReply(
                response.status,
                parsed,
                response.content_type,
                dict(response.headers),
                elapsed,
                sent if sent is not None else {},
            )

    def _workspace(self, team_id: str | None) -> Workspace:
        if team_id is None or team_id == self.workspace.team_id:
            return self.workspace
        ws = self.workspace
        return Workspace(team_id, ws.team_domain, ws.app_id, ws.bot_user_id)

    def _response_url(self, given: str | None) -> str:
        url = given or self.default_response_url
        if url is None:
            # A made-up Slack URL would send respond() to the internet; fail here instead.
            raise ValueError("pass response_url=, or build with FakeSlack.signed_requests()")
        return url
