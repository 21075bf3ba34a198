"""Render a core Reply as Slack Block Kit, within Slack's limits."""

from __future__ import annotations

import re
from typing import Any

from bot.core.messages import Image, Reply
from bot.core.textsplit import split_text

SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
FIELDS_PER_SECTION = 10
HEADER_LIMIT = 150
BLOCKS_PER_MESSAGE = 50
BUTTONS_PER_ACTIONS = 25
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
FALLBACK_LIMIT = 3000
IMAGE_ALT_LIMIT = 2000
ACTION_PREFIX = "rb:cmd:"  # action_id prefix of buttons that run a command for the clicker

Block = dict[str, Any]


def mrkdwn(text: str) -> str:
    """Return core text as Slack mrkdwn: escaped, bold converted, no mass mentions."""
    text = neutralize_mentions(text)
    # Escape first, so nothing a user wrote can become a Slack control sequence (<!here>).
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"&lt;(https?://[^\s&]+)&gt;", r"<\1>", text)  # our own bare links
    text = re.sub(r"\[([^\]]+)\]\((https?://[^\s)]+)\)", r"<\2|\1>", text)  # [title](url)
    return re.sub(r"\*\*(.+?)\*\*", r"*\1*", text)


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def blocks(reply: Reply, hint: str | None = None, image_file_id: str | None = None) -> list[Block]:
    """Return the Block Kit blocks for reply (at most 50); show the uploaded image if given."""
    result: list[Block] = []
    if reply.title:
        title = neutralize_mentions(reply.title)[:HEADER_LIMIT]
        result.append({"type": "header", "text": {"type": "plain_text", "text": title}})
    result += [_section(p) for p in split_text(mrkdwn(reply.text), SECTION_TEXT_LIMIT)]
    inline = [f for f in reply.fields if f.inline]
    for start in range(0, len(inline), FIELDS_PER_SECTION):
        group = inline[start : start + FIELDS_PER_SECTION]
        result.append(
            {
                "type": "section",
                "fields": [
                    {
                        "type": "mrkdwn",
                        "text": f"*{mrkdwn(f.name)}*\n{mrkdwn(f.value)}"[:FIELD_TEXT_LIMIT],
                    }
                    for f in group
                ],
            }
        )
    for item in (f for f in reply.fields if not f.inline):
        text = f"*{mrkdwn(item.name)}*\n{mrkdwn(item.value)}"
        result += [_section(p) for p in split_text(text, SECTION_TEXT_LIMIT)]
    if reply.image is not None and image_file_id is not None:
        result.append(_image(reply.image, image_file_id))
    if reply.image is not None:
        # Kept with the image too: it is the text fallback and reads as its caption.
        alt = mrkdwn(reply.image.alt_text)
        result.append({"type": "context", "elements": [{"type": "mrkdwn", "text": alt}]})
    if hint:
        result.append({"type": "context", "elements": [{"type": "mrkdwn", "text": hint}]})
    buttons = _buttons(reply)
    room = BLOCKS_PER_MESSAGE - (1 if buttons else 0)
    if len(result) > room:
        result = [*result[: room - 1], _section("_…the rest did not fit in one message._")]
    if buttons:
        result.append({"type": "actions", "elements": buttons})
    return result


def _image(image: Image, file_id: str) -> Block:
    """Return an image block showing a file the bot uploaded, by its Slack file id."""
    alt = neutralize_mentions(image.alt_text)[:IMAGE_ALT_LIMIT]
    return {"type": "image", "slack_file": {"id": file_id}, "alt_text": alt}


def _buttons(reply: Reply) -> list[Block]:
    elements: list[Block] = []
    for index, button in enumerate(reply.buttons[:BUTTONS_PER_ACTIONS]):
        text = {"type": "plain_text", "text": button.label[:BUTTON_TEXT_LIMIT]}
        if button.url:
            elements.append(
                {"type": "button", "text": text, "url": button.url, "action_id": f"rb:url:{index}"}
            )
        elif button.command and len(button.command) <= BUTTON_VALUE_LIMIT:
            elements.append(
                {
                    "type": "button",
                    "text": text,
                    "value": button.command,
                    "action_id": f"{ACTION_PREFIX}{index}",  # unique within the message
                }
            )
    return elements


def fallback_text(reply: Reply) -> str:
    """Return the plain text Slack shows in notifications and to screen readers."""
    head = f"{reply.title}: " if reply.title else ""
    return mrkdwn(head + reply.text)[:FALLBACK_LIMIT]


def message_payload(
    reply: Reply, hint: str | None = None, image_file_id: str | None = None
) -> dict[str, Any]:
    """Return the text + blocks of a Slack message for reply (with the uploaded image, if any)."""
    return {"text": fallback_text(reply), "blocks": blocks(reply, hint, image_file_id)}


def neutralize_mentions(text: str) -> str:
    """Return text where Slack's mass and group mentions cannot ping."""
    text = re.sub(r"<!(everyone|here|channel)(\|[^>]*)?>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<!subteam\^[^>]*>", "a group", text)
    return re.sub(r"@(everyone|here|channel)\b", r"\1", text, flags=re.IGNORECASE)
