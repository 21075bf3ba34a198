"""Whether a member is still in a Discord server: the MembershipCheck port on REST."""

from __future__ import annotations

import logging

import aiohttp
import discord

log = logging.getLogger(__name__)


class DiscordMembership:
    """The core's MembershipCheck on Discord: GET /guilds/{guild}/members/{user}."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def is_member(self, space_id: str, user_id: str) -> bool | None:
        """Return False when Discord says the member (or the server) is unknown; None if unsure."""
        if not (space_id.isascii() and space_id.isdigit() and user_id.isascii()
                and user_id.isdigit()):  # fmt: skip
            return None
        try:
            # REST, not the member cache: the cache needs the privileged members intent.
            await self._client.http.get_member(int(space_id), int(user_id))
        except discord.NotFound:  # 10007 Unknown Member (left, kicked, banned), 10004 guild
            return False
        except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
            log.warning("cannot check member %s of guild %s: %s", user_id, space_id, error)
            return None
        return True
