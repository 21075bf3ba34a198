"""Post to a Slack channel or DM a member outside a command (prompts, reminders)."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.images import deliver
from bot.core.messages import Platform, Reply
from bot.core.ports import MemberKey


class SlackNotifier:
    """The core's Notifier port, on Slack."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        """Post reply to a channel of the workspace space_id."""
        await self._send(channel_id, reply)

    async def direct(self, key: MemberKey, reply: Reply) -> None:
        """Send reply to a member in a direct message."""
        if key.platform is not Platform.SLACK:
            raise ValueError(f"not a Slack member: {key}")
        _, user_id = key.user_id.partition(":")[::2]
        opened = await self._client.conversations_open(users=user_id)
        channel = str((opened.get("channel") or {}).get("id", ""))
        await self._send(channel, reply)

    async def _send(self, channel: str, reply: Reply) -> None:
        """Post reply to channel, its image uploaded privately and shown by file id."""

        async def post(payload: dict[str, Any]) -> bool:
            await self._client.chat_postMessage(channel=channel, **payload)
            return True  # a refusal raises SlackApiError

        await deliver(self._client, reply, post)
