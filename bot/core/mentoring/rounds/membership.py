"""Members' own pairing commands: join, leave, snooze, skip, status, and "did you meet?"."""

from __future__ import annotations

from datetime import date

from bot.core.errors import BotError, UsageError
from bot.core.mentoring.rounds import text
from bot.core.mentoring.rounds.lookup import NoRoundsHere, pairing_channel, round_code
from bot.core.mentoring.rounds.ports import (
    PairingChannel,
    PairingChannels,
    PairingMembers,
    PairingRounds,
)
from bot.core.messages import Field, Reply
from bot.core.ports import Clock
from bot.core.requests import Request

_SNOOZE_USAGE = "pairing snooze until:<date> [channel]"
_NOT_IN = "You're not in {label}'s pairing rounds. Join with `pairing join`."


class NotInRounds(BotError):
    """The member is not opted in to the channel's rounds."""

    code = "not_in_rounds"


class PairingMembership:
    """The `pairing` commands every member may run about themselves."""

    def __init__(
        self,
        channels: PairingChannels,
        members: PairingMembers,
        rounds: PairingRounds,
        clock: Clock,
    ) -> None:
        self._channels = channels
        self._members = members
        self._rounds = rounds
        self._clock = clock

    async def join(self, request: Request) -> Reply:
        """Opt in to a channel's rounds (also ends a pause, a snooze or a skip)."""
        channel = await pairing_channel(self._channels, request)
        if not channel.enabled:
            raise NoRoundsHere(
                f"{text.channel_label(channel.settings.channel_id)}'s pairing "
                "rounds are off for now."
            )
        actor = request.actor
        new = await self._members.join(
            channel.id, actor.user_id, actor.display_name, self._clock.now()
        )
        label = text.channel_label(channel.settings.channel_id)
        said = "You're in" if new else "You were in already (any pause, snooze or skip is over)"
        return Reply(
            text=f"{said}: {label}'s pairing rounds, "
            f"{text.schedule_text(channel.settings.schedule)}. "
            f"Next: {text.next_round_text(channel)}. Leave any time with `pairing leave`.",
            title=text.TITLE,
            ephemeral=True,
        )

    async def leave(self, request: Request) -> Reply:
        """Opt out of a channel's rounds."""
        channel = await pairing_channel(self._channels, request)
        label = text.channel_label(channel.settings.channel_id)
        if not await self._members.leave(channel.id, request.actor.user_id, self._clock.now()):
            return Reply(
                text=f"You're not in {label}'s pairing rounds.", title=text.TITLE, ephemeral=True
            )
        return Reply(
            text=f"You've left {label}'s pairing rounds. `pairing join` brings you back.",
            title=text.TITLE,
            ephemeral=True,
        )

    async def snooze(self, request: Request) -> Reply:
        """Sit rounds out until a local date of the channel."""
        channel = await pairing_channel(self._channels, request)
        until = request.get("until", date)
        if until is None:  # required by the table; a direct call without it is a usage error
            raise UsageError("`until` is needed.", usage=_SNOOZE_USAGE, argument="until")
        today = self._clock.now().astimezone(channel.settings.schedule.zone).date()
        if until <= today:  # a snooze in the past would be a no-op that looks like one
            raise UsageError(
                f"`until` must be after today in the channel's timezone, not {until.isoformat()}.",
                usage=_SNOOZE_USAGE,
                argument="until",
            )
        label = text.channel_label(channel.settings.channel_id)
        if not await self._members.snooze(
            channel.id, request.actor.user_id, until, self._clock.now()
        ):
            return Reply(text=_NOT_IN.format(label=label), title=text.TITLE, ephemeral=True)
        return Reply(
            text=f"Snoozed in {label}: no rounds before {until.isoformat()}; you're "
            "back in by yourself then.",
            title=text.TITLE,
            ephemeral=True,
        )

    async def skip(self, request: Request) -> Reply:
        """Skip the channel's next round only (or the round a heads-up's button names)."""
        channel = await pairing_channel(self._channels, request)
        label = text.channel_label(channel.settings.channel_id)
        code = round_code(request)
        number = channel.next_number if code is None else code.number
        if number != channel.next_number or not channel.enabled:
            return Reply(
                text=f"Round {number} in {label} is not ahead any more: nothing to skip.",
                title=text.TITLE,
                ephemeral=True,
            )
        if not await self._members.skip(
            channel.id, request.actor.user_id, number, self._clock.now()
        ):
            return Reply(text=_NOT_IN.format(label=label), title=text.TITLE, ephemeral=True)
        return Reply(
            text=f"You'll skip round {number} in {label}; you're in again after it.",
            title=text.TITLE,
            ephemeral=True,
        )

    async def status(self, request: Request) -> Reply:
        """Say whether the member is in, when the next round is, and their last partners."""
        channel = await pairing_channel(self._channels, request)
        label = text.channel_label(channel.settings.channel_id)
        member = await self._members.get(channel.id, request.actor.user_id)
        if member is None or not member.opted_in:
            standing = "not in (join with `pairing join`)"
        elif member.paused_at is not None:
            standing = "paused after rounds without an answer (`pairing join` resumes)"
        elif member.snoozed_until is not None and member.snoozed_until > self._today(channel):
            standing = f"snoozed until {member.snoozed_until.isoformat()}"
        elif member.skip_number == channel.next_number:
            standing = f"in, skipping round {channel.next_number}"
        else:
            standing = "in"
        seats = await self._rounds.last_partners(channel.id, request.actor.user_id, 3)
        partners = [
            f"round {s.number}: "
            + ("sat out" if s.kind == "sat_out" else text.people(s.partners, s.partners))
            for s in seats
        ]
        return Reply(
            text=f"Pairing rounds in {label}: you're {standing}.",
            title=text.TITLE,
            ephemeral=True,
            fields=(
                Field("Schedule", text.schedule_text(channel.settings.schedule)),
                Field("Next round", text.next_round_text(channel)),
                Field("Your last partners", "\n".join(partners) or "none yet"),
            ),
        )

    async def met(self, request: Request) -> Reply:
        """Store whether the member met their group (a later answer replaces the earlier)."""
        answer = request.get("answer", str) == "yes"
        code = round_code(request)
        actor = request.actor
        if code is None:
            found = await self._rounds.latest_grouped(actor.platform, actor.space_id, actor.user_id)
            if found is None:  # nothing to answer: said, not an error
                return Reply(
                    text="You have no pairing round to answer for yet.",
                    title=text.TITLE,
                    ephemeral=True,
                )
            channel_id, number = found
        else:
            channel = await pairing_channel(self._channels, request)
            channel_id, number = channel.id, code.number
        stored = await self._rounds.answer(
            channel_id, number, actor.user_id, answer, self._clock.now()
        )
        if stored is None:
            raise NotInRounds(f"You had no partners in round {number} to answer for.")
        said = "Great, thanks for saying" if answer else "Thanks for saying; maybe next round"
        return Reply(text=f"{said} (round {number}).", title=text.TITLE, ephemeral=True)

    def _today(self, channel: PairingChannel) -> date:
        return self._clock.now().astimezone(channel.settings.schedule.zone).date()
