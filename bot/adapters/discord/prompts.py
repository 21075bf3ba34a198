"""The daily prompt on Discord: an embed (with the channel's role), then a thread for answers."""

from __future__ import annotations

import hashlib
import logging
from typing import Any, Final

import aiohttp
import discord

from bot.adapters.discord.render import COLOUR, FIELD_VALUE_LIMIT, TITLE_LIMIT
from bot.adapters.discord.render import neutralize_mentions as neutral
from bot.adapters.discord.threads import FALLBACK_NAME, THREAD_NAME_LIMIT, shorten
from bot.core.prompts.ports import (
    ChannelTarget,
    ChannelUnavailable,
    DeliveryFailed,
    PromptPost,
    Published,
    PublishError,
    RateLimited,
    ThreadNotCreated,
)

log = logging.getLogger(__name__)

ARCHIVE_AFTER_MINUTES: Final = 1440  # the answers thread goes quiet after a day
NONCE_LENGTH: Final = 25  # Discord's limit for a string nonce
DEFAULT_RETRY_AFTER: Final = 60.0  # seconds, when a 429 says nothing
ANSWER_HINT: Final = "answer in the thread or with /prompt answer"
# Discord's codes for "the bot cannot reach this channel".
_UNREACHABLE: Final = {
    10003: "the channel was deleted",
    50001: "the bot cannot see the channel (Missing Access)",
    50013: "the bot lacks a permission there (Send Messages, Embed Links)",
}
_NETWORK = (aiohttp.ClientError, OSError, TimeoutError)


class DiscordPromptPublisher:
    """The PromptPublisher port on Discord, through the adapter's logged-in client."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def publish(self, channel: ChannelTarget, post: PromptPost) -> Published:
        """Post the prompt's embed, then open its answers thread on it."""
        if not self._client.is_ready():
            # Before login the HTTP client has no token: a 401 would read as a refusal.
            raise DeliveryFailed("not connected to Discord yet")
        channel_id = _snowflake(channel.channel_id)
        if channel_id is None:
            raise ChannelUnavailable(f"{channel.channel_id!r} is not a Discord channel id")
        messageable = self._client.get_partial_messageable(
            channel_id, guild_id=_snowflake(channel.space_id)
        )
        try:
            message = await messageable.send(**prompt_message(channel, post))
        except (discord.DiscordException, *_NETWORK) as error:
            raise publish_error(error, "posting") from error
        try:
            thread = await self._client.http.start_thread_with_message(
                channel_id,
                message.id,
                name=answers_thread_name(post),
                auto_archive_duration=ARCHIVE_AFTER_MINUTES,
                reason="answers to the daily prompt",
            )
        except (discord.DiscordException, *_NETWORK) as error:
            why = publish_error(error, "opening its thread").reason
            raise ThreadNotCreated(why, str(message.id)) from error
        return Published(str(message.id), str(thread["id"]))


def prompt_message(channel: ChannelTarget, post: PromptPost) -> dict[str, Any]:
    """Return the send() arguments: the embed, the role mention alone, a nonce per day."""
    role = _role_to_mention(channel)
    roles: list[discord.Object] | bool = [discord.Object(role)] if role else False
    mentions = discord.AllowedMentions(everyone=False, users=False, replied_user=False, roles=roles)
    return {
        "content": f"<@&{role}>" if role else None,
        "embed": prompt_embed(post),
        "allowed_mentions": mentions,
        # discord.py sends enforce_nonce with it: a retried create within a few minutes (our
        # request timed out after Discord took it) returns the first message, not a second.
        "nonce": post_nonce(channel, post),
    }


def prompt_embed(post: PromptPost) -> discord.Embed:
    """Return the prompt as an embed: title, body, difficulty, topics, example; no hint."""
    prompt = post.prompt
    title = _cut(neutral(f"Daily prompt: {prompt.title}"), TITLE_LIMIT)
    embed = discord.Embed(title=title, description=neutral(prompt.body), colour=COLOUR)
    embed.add_field(name="Difficulty", value=prompt.difficulty, inline=True)
    topics = ", ".join(prompt.topics) or "any"
    embed.add_field(name="Topics", value=_cut(neutral(topics), FIELD_VALUE_LIMIT), inline=True)
    if prompt.example:
        embed.add_field(name="Example", value=_cut(neutral(prompt.example), FIELD_VALUE_LIMIT))
    # The hint is held back: it would give the exercise away before anyone has tried.
    embed.set_footer(text=f"{prompt.id} · {post.day.isoformat()} · {ANSWER_HINT}")
    return embed


def answers_thread_name(post: PromptPost) -> str:
    """Return the answers thread's name: the prompt's title, within Discord's 100 characters."""
    name = " ".join(neutral(post.prompt.title).split())
    return shorten(name, THREAD_NAME_LIMIT) or FALLBACK_NAME


def post_nonce(channel: ChannelTarget, post: PromptPost) -> str:
    """Return the same nonce for every try of one channel's day (25 characters)."""
    key = f"{channel.channel_id}:{post.day.isoformat()}:{post.prompt.id}"
    return hashlib.sha256(key.encode()).hexdigest()[:NONCE_LENGTH]


def publish_error(error: BaseException, doing: str) -> PublishError:
    """Map what discord.py raised to the engine's errors; the reason is plain, no secrets."""
    if isinstance(error, discord.RateLimited):  # only with max_ratelimit_timeout set
        return RateLimited(error.retry_after, f"rate limited while {doing}")
    if isinstance(error, discord.HTTPException):
        if error.status == 429:  # discord.py retried and gave up (or a Cloudflare ban)
            return RateLimited(_retry_after(error), f"rate limited while {doing}")
        if isinstance(error, discord.Forbidden | discord.NotFound):
            why = _UNREACHABLE.get(error.code) or f"Discord refused ({error.status} {error.code})"
            return ChannelUnavailable(f"{why}, while {doing}")
        return DeliveryFailed(f"Discord answered {error.status} while {doing}")
    if isinstance(error, _NETWORK):
        return DeliveryFailed(f"network error while {doing}: {type(error).__name__}")
    return DeliveryFailed(f"{type(error).__name__} while {doing}")


def _retry_after(error: discord.HTTPException) -> float:
    headers = getattr(error.response, "headers", None) or {}
    for name in ("Retry-After", "X-RateLimit-Reset-After"):
        try:
            return float(headers[name])
        except (KeyError, ValueError):
            continue
    return DEFAULT_RETRY_AFTER


def _role_to_mention(channel: ChannelTarget) -> int | None:
    """Return the role to ping, or None; never the @everyone role (whose id is the guild's)."""
    role = _snowflake(channel.mention_role_id or "")
    if role is None or channel.mention_role_id == channel.space_id:
        if channel.mention_role_id:
            log.warning("not mentioning role %r in channel %s: not a role one may ping",
                        channel.mention_role_id, channel.channel_id)  # fmt: skip
        return None
    return role


def _snowflake(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
