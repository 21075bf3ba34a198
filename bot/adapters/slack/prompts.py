"""The daily prompt on Slack: Block Kit in the channel; the message's thread takes the answers."""

from __future__ import annotations

import logging
import re
from typing import Any, Final

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.render import HEADER_LIMIT, SECTION_TEXT_LIMIT, Block, mrkdwn
from bot.adapters.slack.render import neutralize_mentions as neutral
from bot.core.prompts.ports import (
    ChannelTarget,
    ChannelUnavailable,
    DeliveryFailed,
    PromptPost,
    Published,
    PublishError,
    RateLimited,
)
from bot.core.textsplit import split_text

log = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER: Final = 60.0  # seconds, when a 429 has no Retry-After
ANSWER_HINT: Final = "Reply in this thread to answer (or use `/roadmap prompt answer`)."
# Slack's errors that mean "the bot cannot post in this channel until someone acts".
_UNREACHABLE: Final = {
    "channel_not_found": "the channel was deleted, or it is private and the bot is not in it",
    "not_in_channel": "the bot is not a member of the channel (invite it)",
    "is_archived": "the channel is archived",
    "missing_scope": "the app lacks the chat:write scope (reinstall it)",
    "restricted_action": "the workspace does not let the bot post there",
}
_GROUP_ID = re.compile(r"S[A-Z0-9_]+")  # a user group (subteam) id; nothing else is pinged


class SlackPromptPublisher:
    """The PromptPublisher port on Slack, through the adapter's Web API client."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def publish(self, channel: ChannelTarget, post: PromptPost) -> Published:
        """Post the prompt; its ts is both the message and the thread answers go to."""
        try:
            answer = await self._client.chat_postMessage(
                channel=channel.channel_id, unfurl_links=False, **prompt_message(channel, post)
            )
        except SlackApiError as error:
            raise publish_error(error) from error
        except (SlackClientError, aiohttp.ClientError, OSError, TimeoutError) as error:
            # Never str(error): a client error may quote the request, and its headers.
            raise DeliveryFailed(f"cannot reach Slack: {type(error).__name__}") from error
        ts = str(answer.get("ts") or "")
        if not ts:
            raise DeliveryFailed("Slack answered without the message's ts")
        return Published(ts, ts)


def prompt_message(channel: ChannelTarget, post: PromptPost) -> dict[str, Any]:
    """Return chat.postMessage's text and blocks: the group mention, the prompt, no hint."""
    prompt = post.prompt
    group = _group_to_mention(channel)
    title = neutral(f"Daily prompt: {prompt.title}")
    blocks: list[Block] = []
    if group:
        blocks.append(_section(f"<!subteam^{group}> here is today's prompt"))
    blocks.append({"type": "header", "text": {"type": "plain_text", "text": title[:HEADER_LIMIT]}})
    blocks += [_section(part) for part in split_text(mrkdwn(prompt.body), SECTION_TEXT_LIMIT)]
    if prompt.example:
        example = f"*Example*\n{mrkdwn(prompt.example)}"
        blocks += [_section(part) for part in split_text(example, SECTION_TEXT_LIMIT)]
    # The hint is held back: it would give the exercise away before anyone has tried.
    facts = (
        f"*Difficulty:* {prompt.difficulty} · *Topics:* {mrkdwn(', '.join(prompt.topics) or 'any')}"
        f" · `{prompt.id}` · {post.day.isoformat()}"
    )
    blocks.append(_context(facts))
    blocks.append(_context(ANSWER_HINT))
    fallback = f"{title}: {mrkdwn(prompt.body)}"[:SECTION_TEXT_LIMIT]
    text = f"<!subteam^{group}> {fallback}" if group else fallback
    return {"text": text, "blocks": blocks}


def publish_error(error: SlackApiError) -> PublishError:
    """Map a Web API refusal to the engine's errors; the reason names Slack's code only."""
    response = error.response
    code = str(response.get("error") or "unknown_error")
    if response.status_code == 429 or code == "ratelimited":
        return RateLimited(_retry_after(response.headers), "Slack rate limited the post")
    if code in _UNREACHABLE:
        return ChannelUnavailable(f"{_UNREACHABLE[code]} ({code})")
    return DeliveryFailed(f"Slack answered {code}")


def _retry_after(headers: Any) -> float:
    values = {str(k).lower(): v for k, v in dict(headers or {}).items()}
    value = values.get("retry-after")
    if isinstance(value, list):  # slack_sdk keeps some headers as lists
        value = value[0] if value else None
    try:
        return float(value) if value is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER


def _group_to_mention(channel: ChannelTarget) -> str | None:
    group = channel.mention_role_id
    if group and not _GROUP_ID.fullmatch(group):
        log.warning("not mentioning %r in channel %s: not a user group id",
                    group, channel.channel_id)  # fmt: skip
        return None
    return group or None


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
