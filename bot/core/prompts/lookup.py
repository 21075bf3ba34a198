"""Which channel a prompt command is about: the one named, else the one it was typed in."""

from __future__ import annotations

from bot.core.errors import BotError
from bot.core.messages import ChannelRef
from bot.core.prompts.display import channel_label
from bot.core.prompts.ports import PromptChannel, PromptChannelRepository
from bot.core.requests import Request


class NoPromptsHere(BotError):
    """The channel has no daily prompts set up (in this community)."""

    code = "no_prompts"


def channel_id_of(request: Request) -> str:
    """Return the channel the request names, or the one it came from."""
    named = request.get("channel", ChannelRef) if _takes_channel(request) else None
    return named.channel_id if named is not None else request.actor.channel_id


async def prompt_channel(channels: PromptChannelRepository, request: Request) -> PromptChannel:
    """Return the request's channel with prompts; NoPromptsHere when it has none here."""
    channel_id = channel_id_of(request)
    channel = await channels.get(request.actor.platform, channel_id)
    if channel is None or channel.target.space_id != request.actor.space_id:
        # Another community's channel is treated as unknown: nothing about it is shown.
        raise NoPromptsHere(
            f"{channel_label(channel_id)} has no daily prompts.",
            hint="Moderators set them up with `config prompts time:09:00`.",
        )
    return channel


def _takes_channel(request: Request) -> bool:
    return any(argument.key == "channel" for argument in request.command.arguments)
