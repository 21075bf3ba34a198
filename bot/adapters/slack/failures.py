"""Why Slack stopped, in one line an operator can act on (never a traceback, never a token)."""

from __future__ import annotations

import asyncio

import aiohttp
from slack_sdk.errors import SlackApiError


def explain(error: BaseException, mode: str, host: str, port: int) -> str | None:
    """Say what a failure to serve Slack means; None if it is not a known one."""
    if isinstance(error, SlackApiError):
        code = error.response.get("error") if error.response is not None else None
        return f"Slack refused the request ({code or 'no reason given'}): check the Slack tokens"
    if mode == "http" and isinstance(error, OSError):
        # In HTTP mode the only thing run() does on the network is to start listening.
        return f"cannot listen on {host}:{port} ({error.strerror or error}): check BOT_SLACK_PORT"
    if isinstance(error, (aiohttp.ClientError, OSError)):
        return f"cannot reach Slack ({error or type(error).__name__})"
    if isinstance(error, asyncio.TimeoutError):
        return "Slack did not answer in time"
    return None
