"""Why Discord stopped, in one line an operator can act on (never a traceback, never the token)."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

AUTHENTICATION_FAILED = 4004  # gateway close code for a token it refuses
REFUSED_LOGIN = (
    "the token was refused: check BOT_DISCORD_TOKEN (Reset Token under Bot in the Developer "
    "Portal gives a new one)"
)


def explain(error: BaseException) -> str | None:
    """Say what a failure of the Discord connection means; None if it is not a known one."""
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return (
            "the Message Content intent is not enabled for this application: enable it under "
            "Bot in the Developer Portal, or unset BOT_DISCORD_MESSAGE_CONTENT"
        )
    if isinstance(error, discord.LoginFailure):
        return REFUSED_LOGIN
    if isinstance(error, discord.ConnectionClosed):
        if error.code == AUTHENTICATION_FAILED:
            return REFUSED_LOGIN
        return f"the gateway closed the connection (code {error.code} {error.reason})".strip()
    if isinstance(error, discord.GatewayNotFound):
        return "Discord did not give a gateway to connect to (an outage?)"
    if isinstance(error, discord.HTTPException):
        return f"Discord answered {error.status} ({error.text or 'no details'})"
    if isinstance(error, (aiohttp.ClientError, OSError)):
        return f"cannot reach Discord ({error or type(error).__name__})"
    if isinstance(error, asyncio.TimeoutError):
        return "Discord did not answer in time"
    return None


class OneLineReconnects(logging.Filter):
    """Turn discord.py's traceback on every reconnect attempt into one warning line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record (it is always kept)."""
        if record.exc_info and str(record.msg).startswith("Attempting a reconnect"):
            error = record.exc_info[1]
            why = (explain(error) if error else None) or type(error).__name__
            # discord.py's own message is "Attempting a reconnect in %.2fs" with the delay.
            record.msg = "Discord connection lost: %s; reconnecting in %.2fs"
            record.args = (why, *(record.args or (0.0,)))
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def install_log_filters() -> None:
    """Keep discord.py's expected connection trouble out of the logs as tracebacks."""
    client_log = logging.getLogger("discord.client")
    if not any(isinstance(f, OneLineReconnects) for f in client_log.filters):
        client_log.addFilter(OneLineReconnects())
