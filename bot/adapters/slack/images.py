"""Show a reply's image on Slack: upload it privately, then point an image block at it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.render import message_payload
from bot.core.messages import Image, Reply

log = logging.getLogger(__name__)

# Slack processes an upload after files.completeUploadExternal answers, and until it is done
# a message showing the file is refused as invalid_blocks (about a second, people report).
# Seconds to wait before each retry; four posts at most, within a response_url's five uses.
PROCESSING_WAITS = (1.0, 2.0)
ALT_TXT_LIMIT = 1000  # files.getUploadURLExternal answers alt_txt_too_large past this

Send = Callable[[dict[str, Any]], Awaitable[bool]]  # post a payload; True when Slack took it


async def upload_image(client: AsyncWebClient, image: Image) -> str | None:
    """Upload image without sharing it to any channel; return its file id, or None on failure."""
    try:
        # No channel: the file stays private to the bot, so an ephemeral reply stays private.
        done = await client.files_upload_v2(
            filename=image.filename,
            file=image.data,
            title=image.filename,
            alt_txt=image.alt_text[:ALT_TXT_LIMIT],
        )
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("Slack image upload failed (%s); replying with its alt text", _reason(exc))
        return None
    files = done.get("files") or []
    file_id = files[0].get("id") if files else None
    if not file_id:
        log.warning("Slack finished an upload without a file id; replying with its alt text")
        return None
    return str(file_id)


async def deliver(
    client: AsyncWebClient, reply: Reply, send: Send, hint: str | None = None
) -> None:
    """Send reply, showing its image when Slack takes it; the text always goes out."""
    file_id = await upload_image(client, reply.image) if reply.image is not None else None
    if file_id is not None and await _send_with_image(send, reply, hint, file_id):
        return
    await send(message_payload(reply, hint))


async def _send_with_image(send: Send, reply: Reply, hint: str | None, file_id: str) -> bool:
    """Send reply with the image block, giving Slack time to process the file; False if refused."""
    payload = message_payload(reply, hint, image_file_id=file_id)
    for wait in (0.0, *PROCESSING_WAITS):
        await asyncio.sleep(wait)
        try:
            if await send(payload):
                return True
        except SlackApiError as exc:
            if exc.response.get("error") != "invalid_blocks":
                raise  # not about the image: a post without it would fail the same way
    log.warning("Slack did not take image %s; replying with its alt text", file_id)
    return False


def _reason(exc: Exception) -> str:
    """Return a short, token-free reason for a failed upload (no traceback for a known case)."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return f"{type(exc).__name__}: {exc}"
