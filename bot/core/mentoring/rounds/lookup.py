"""Which channel's rounds a command is about: a round code, the channel named, or this one."""

from __future__ import annotations

from bot.core.errors import BotError
from bot.core.mentoring.rounds.kinds import RoundCode
from bot.core.mentoring.rounds.ports import PairingChannel, PairingChannels
from bot.core.mentoring.rounds.text import channel_label
from bot.core.messages import ChannelRef
from bot.core.requests import Request


class NoRoundsHere(BotError):
    """The channel has no pairing rounds (in this community)."""

    code = "no_pairing"


def _takes(request: Request, key: str) -> bool:
    return any(argument.key == key for argument in request.command.arguments)


def round_code(request: Request) -> RoundCode | None:
    """Return the round code the request carries (a button's), if any."""
    return request.get("round", RoundCode) if _takes(request, "round") else None


async def pairing_channel(channels: PairingChannels, request: Request) -> PairingChannel:
    """Return the request's channel with rounds; NoRoundsHere when it has none here."""
    actor = request.actor
    code = round_code(request)
    named = request.get("channel", ChannelRef) if _takes(request, "channel") else None
    if code is not None and named is None:
        channel = await channels.by_id(code.channel_id)
        label = "That round's channel"
    else:
        channel_id = named.channel_id if named is not None else actor.channel_id
        channel = await channels.get(actor.platform, channel_id)
        label = channel_label(channel_id)
    if channel is None or (channel.settings.platform, channel.settings.space_id) != (
        actor.platform,
        actor.space_id,
    ):
        # Another community's channel is treated as unknown: nothing about it is shown.
        raise NoRoundsHere(
            f"{label} has no pairing rounds.",
            hint="Moderators set them up with `config pairing channel:#coffee at:mon 18:00`.",
        )
    return channel
