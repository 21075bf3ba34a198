"""Whether a member still belongs to a Slack workspace: the MembershipCheck port on users.info."""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.ids import split_member_id

log = logging.getLogger(__name__)


class SlackMembership:
    """The core's MembershipCheck on Slack: users.info (deactivated, or of another workspace)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def is_member(self, space_id: str, user_id: str) -> bool | None:
        """Return False for a deactivated, unknown or foreign user; None when Slack cannot say."""
        team, user = split_member_id(user_id)
        if not user:
            return None
        try:
            answer = await self._client.users_info(user=user)
        except SlackApiError as error:
            if error.response.get("error") == "user_not_found":
                return False
            log.warning("cannot check Slack user %s: %s", user_id, error.response.get("error"))
            return None
        except (aiohttp.ClientError, OSError) as error:
            log.warning("cannot check Slack user %s: %s", user_id, error)
            return None
        found = answer.get("user") or {}
        if found.get("deleted"):
            return False
        home = found.get("team_id")
        # A user of another workspace (Slack Connect) is not a member of this one.
        return not (home and home not in (space_id, team))
