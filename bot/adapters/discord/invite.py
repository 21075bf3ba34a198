"""The link that adds the bot to a Discord server, with exactly the permissions it uses."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlencode

import discord


def required_permissions() -> discord.Permissions:
    """Return the permissions the bot needs in a server."""
    return discord.Permissions(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        create_public_threads=True,  # answers to mentions go in a thread on the question
        embed_links=True,
        attach_files=True,  # heatmap images
        read_message_history=True,  # replying to a message needs to read it
        # Optional milestone roles (streaks); Discord also wants each below the bot's own role.
        manage_roles=True,
    )


def application_id_from_token(token: str) -> int | None:
    """Return the bot's application id, which a bot token carries in its first segment."""
    first = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(decoded) if decoded.isdigit() else None


def invite_url(application_id: int) -> str:
    """Return the OAuth2 URL that adds the bot with its slash commands."""
    query = urlencode(
        {
            "client_id": application_id,
            "scope": "bot applications.commands",
            "permissions": required_permissions().value,
        }
    )
    return f"https://discord.com/oauth2/authorize?{query}"
