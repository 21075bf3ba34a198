"""Post to a Slack channel or DM a member outside a command (prompts, reminders)."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.images import deliver
from bot.adapters.slack.render import message_payload
from bot.core.messages import Platform, Reply
from bot.core.ports import MemberKey

log = logging.getLogger(__name__)


MODERATORS_TOLD = 10  # at most this many members of the group get a DM about one problem
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9_]+")


class SlackNotifier:
    """The core's Notifier port, on Slack (and its ModeratorNotifier, with a moderator group)."""

    def __init__(self, client: AsyncWebClient, moderator_group: str | None = None) -> None:
        self._client = client
        self._group = moderator_group

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        """Post reply to a channel of the workspace space_id."""
        await self._send(channel_id, reply)

    async def direct(self, key: MemberKey, reply: Reply, *, space_id: str | None = None) -> None:
        """Send reply to a member in a direct message.

        space_id needs nothing here: a member's id names their workspace, and a button's
        click carries its team. Raises SlackApiError when Slack refuses.
        """
        if key.platform is not Platform.SLACK:
            raise ValueError(f"not a Slack member: {key}")
        _, user_id = key.user_id.partition(":")[::2]
        opened = await self._client.conversations_open(users=user_id)
        channel = str((opened.get("channel") or {}).get("id", ""))
        await self._send(channel, reply)

    async def tell_moderators(self, space_id: str, channel_id: str, reply: Reply) -> bool:
        """DM the members of the moderator user group (BOT_SLACK_MODERATOR_GROUP), if set."""
        if self._group is None:
            return False
        try:
            listed = await self._client.usergroups_users_list(usergroup=self._group)
            members = [str(u) for u in listed.get("users") or []][:MODERATORS_TOLD]
            payload = message_payload(reply)
            if _CHANNEL_ID.fullmatch(channel_id):  # a raw mention: render escapes any <…>
                channel = {"type": "mrkdwn", "text": f"Channel: <#{channel_id}>"}
                payload["blocks"].append({"type": "context", "elements": [channel]})
            for user in members:
                opened = await self._client.conversations_open(users=user)
                dm = str((opened.get("channel") or {}).get("id", ""))
                await self._client.chat_postMessage(channel=dm, **payload)
        except SlackApiError as error:
            code = error.response.get("error")
            log.warning("cannot tell the moderators of workspace %s: %s", space_id, code)
            return False
        return bool(members)

    async def _send(self, channel: str, reply: Reply) -> None:
        """Post reply to channel, its image uploaded privately and shown by file id."""

        async def post(payload: dict[str, Any]) -> bool:
            await self._client.chat_postMessage(channel=channel, **payload)
            return True  # a refusal raises SlackApiError

        await deliver(self._client, reply, post)
