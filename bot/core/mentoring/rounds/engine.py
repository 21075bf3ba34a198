"""The rounds engine on a timer: heads-ups, rounds, outcomes, rosters and follow-ups.

Every step is claimed in the database before it acts, so two processes (or a restart) never do
one twice: a heads-up per (channel, round, member), a round per (channel, round number), an
outcome told per (round, member), a roster per round, a follow-up per (round, member).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Final

from bot.core.mentoring.rounds import text
from bot.core.mentoring.rounds.planning import IGNORED_LIMIT, RoundPlanner
from bot.core.mentoring.rounds.ports import (
    PairingChannel,
    PairingChannels,
    PairingRounds,
    Participant,
    RoundRecord,
)
from bot.core.mentoring.rounds.schedule import HEADS_UP, due_at, first_day
from bot.core.messages import Platform, Reply
from bot.core.ports import MemberKey, ModeratorNotifier, PrivateMessenger

log = logging.getLogger(__name__)

FOLLOW_UP_AFTER: Final = timedelta(days=3)  # "did you meet?" this long after the round
LATEST_RUN: Final = timedelta(days=1)  # a round missed for longer (bot down) is not held late


class RoundEngine:
    """Runs what is due: called by the job's timer with the time, and by nothing else."""

    def __init__(
        self,
        channels: PairingChannels,
        rounds: PairingRounds,
        planner: RoundPlanner,
        messenger: PrivateMessenger,
        moderators: Mapping[Platform, ModeratorNotifier],
        platforms: Callable[[], Collection[Platform]],
    ) -> None:
        self._channels = channels
        self._rounds = rounds
        self._planner = planner
        self._messenger = messenger
        self._moderators = moderators
        self._platforms = platforms

    async def tick(self, now: datetime) -> int:
        """Do what is due by now; return how many messages went out (or were held)."""
        platforms = tuple(self._platforms())
        if not platforms:
            return 0
        sent = 0
        for channel in await self._channels.due(now + HEADS_UP, platforms):
            if channel.next_due_at is None or channel.next_day is None:
                continue  # turned off meanwhile
            if channel.next_due_at <= now:
                sent += await self._run(channel, now)
            elif (channel.heads_up_number or 0) < channel.next_number:
                sent += await self._heads_ups(channel, now)
        sent += await self._untold(now, platforms)
        return sent + await self._follow_ups(now, platforms)

    async def _untold(self, now: datetime, platforms: Collection[Platform]) -> int:
        """Tell what a process stopped before telling (a round is stored before it is told)."""
        sent = 0
        for channel, number in await self._rounds.with_untold(now - LATEST_RUN, platforms):
            record = await self._rounds.get(channel.id, number)
            if record is not None:
                sent += await self._tell(channel, record, (), now)
        return sent

    async def _heads_ups(self, channel: PairingChannel, now: datetime) -> int:
        """Tell each member in the coming round that they are in, with a Skip button."""
        number, day, sent = channel.next_number, channel.next_day, 0
        if day is None:
            return 0
        eligibility = await self._planner.eligible(channel, number, day, now, dry_run=True)
        for member in eligibility.members:
            if await self._rounds.claim_heads_up(channel.id, number, member.user_id, now):
                await self._send(channel, member.user_id, text.heads_up(channel, number))
                sent += 1
        await self._channels.mark_heads_up(channel.id, number)
        return sent

    async def _run(self, channel: PairingChannel, now: datetime) -> int:
        """Hold the channel's due round: check who is in, pair them, store, then tell."""
        if channel.next_due_at is None or channel.next_day is None:
            return 0
        if now - channel.next_due_at > LATEST_RUN:
            # Missed while no process ran: springing it days late would surprise everyone.
            day = first_day(channel.settings.schedule, now)
            if await self._channels.skip_round(
                channel, day, due_at(channel.settings.schedule, day)
            ):
                log.warning(
                    "pairing round %s of channel %s was missed; next one on %s",
                    channel.next_number,
                    channel.settings.channel_id,
                    day,
                )
            return 0
        number, day = channel.next_number, channel.next_day
        eligibility = await self._planner.eligible(channel, number, day, now, dry_run=False)
        sent = 0
        for member in eligibility.newly_paused:
            await self._send(channel, member.user_id, text.paused(channel, IGNORED_LIMIT))
            sent += 1
        # The seed is drawn fresh and stored with the round: the round can be re-run from it.
        planned = await self._planner.plan(channel, eligibility, secrets.randbits(62))
        round_id = await self._rounds.record(planned, now)
        if round_id is None:
            return sent  # another process holds this round
        record = await self._rounds.get(channel.id, number)
        if record is None:
            return sent  # turned off and removed meanwhile: nobody to tell
        return sent + await self._tell(channel, record, eligibility.paused, now)

    async def _tell(
        self,
        channel: PairingChannel,
        record: RoundRecord,
        paused: Sequence[Participant],
        now: datetime,
    ) -> int:
        """Tell every member of a round their outcome (once each), and the moderators."""
        sent = 0
        for seat in await self._rounds.untold(record.id):
            if await self._rounds.claim_told(record.id, seat.user_id, now):
                reply = text.outcome(channel, record.number, seat, record.names)
                await self._send(channel, seat.user_id, reply)
                sent += 1
        if await self._rounds.claim_roster(record.id, now):
            await self._tell_moderators(channel, text.roster(channel, record, paused))
        return sent

    async def _follow_ups(self, now: datetime, platforms: Collection[Platform]) -> int:
        """Ask each grouped member, a few days after their round, whether they met."""
        sent = 0
        for due in await self._rounds.due_follow_ups(now - FOLLOW_UP_AFTER, platforms):
            if await self._rounds.claim_asked(due.channel.id, due.number, due.user_id, now):
                others = [member for member in due.group if member != due.user_id]
                reply = text.follow_up(due.channel, due.number, others, due.names)
                await self._send(due.channel, due.user_id, reply)
                sent += 1
        return sent

    async def _send(self, channel: PairingChannel, user_id: str, reply: Reply) -> None:
        """Tell one member privately; a failure is logged, never stops the others."""
        settings = channel.settings
        try:
            await self._messenger.send(
                MemberKey(settings.platform, user_id), reply, space_id=settings.space_id
            )
        except Exception:
            log.warning(
                "cannot tell %s about pairing in %s", user_id, settings.channel_id, exc_info=True
            )

    async def _tell_moderators(self, channel: PairingChannel, reply: Reply) -> None:
        settings = channel.settings
        notifier = self._moderators.get(settings.platform)
        if notifier is None:
            log.info("no moderator notices on %s for the pairing roster", settings.platform)
            return
        try:
            await notifier.tell_moderators(settings.space_id, settings.channel_id, reply)
        except Exception:
            log.warning("cannot send the pairing roster of %s", settings.channel_id, exc_info=True)
