"""Who is in a round, and the round itself: eligibility checks, then pair_round off the loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from bot.core.mentoring.matching import Solver, pair_round
from bot.core.mentoring.ports import MentorBlocks
from bot.core.mentoring.rounds.ports import (
    PairingChannel,
    PairingMembers,
    PairingRounds,
    Participant,
    PlannedRound,
)
from bot.core.mentoring.rounds.schedule import due_at, following_day
from bot.core.messages import Platform
from bot.core.ports import MembershipCheck

log = logging.getLogger(__name__)

IGNORED_LIMIT: Final = 3  # rounds in a row without an answer to "did you meet?" -> paused
HISTORY_ROUNDS: Final = 24  # past rounds pair_round sees: recency and the odd-one rotation


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who takes part in a round, who the checks left out, and who they paused now."""

    members: tuple[Participant, ...]
    left_server: tuple[str, ...] = ()
    newly_paused: tuple[Participant, ...] = ()
    paused: tuple[Participant, ...] = ()  # everyone paused (before or now)


class RoundPlanner:
    """Checks who is in a round and plans it; the engine stores it, preview only shows it."""

    def __init__(
        self,
        members: PairingMembers,
        rounds: PairingRounds,
        blocks: MentorBlocks,
        membership: Mapping[Platform, MembershipCheck],
        solver: Solver,
    ) -> None:
        self._members = members
        self._rounds = rounds
        self._blocks = blocks
        self._membership = membership
        self._solver = solver

    async def eligible(
        self, channel: PairingChannel, number: int, day: date, now: datetime, *, dry_run: bool
    ) -> Eligibility:
        """Return who is in round number on day, and who the checks left out.

        In: opted in, not snoozed, skipping nor paused, still a member of the community, and
        not ignoring the rounds (those are paused now, unless dry_run).
        """
        settings = channel.settings
        check = self._membership.get(settings.platform)
        taking_part: list[Participant] = []
        left: list[str] = []
        newly_paused: list[Participant] = []
        paused = []
        for member in await self._members.opted_in(channel.id):
            if member.paused_at is not None:
                paused.append(member)
                continue
            if not member.takes_part(number, day):
                continue
            ignored = await self._rounds.ignored(channel.id, member.user_id, member.joined_at)
            if ignored >= IGNORED_LIMIT:
                paused.append(member)
                if not dry_run and await self._members.pause(channel.id, member.user_id, now):
                    newly_paused.append(member)
                continue
            if check is not None and await _is_member(check, settings.space_id, member) is False:
                left.append(member.user_id)  # left the server: kept opted in, never matched
                continue
            taking_part.append(member)
        return Eligibility(tuple(taking_part), tuple(left), tuple(newly_paused), tuple(paused))

    async def plan(
        self, channel: PairingChannel, eligibility: Eligibility, seed: int
    ) -> PlannedRound:
        """Return the round of the eligible members from seed (pair_round runs off the loop)."""
        settings = channel.settings
        if channel.next_day is None:
            raise ValueError(f"channel {channel.id} has no next round (its rounds are off)")
        members = tuple(sorted(m.user_id for m in eligibility.members))
        history = await self._rounds.history(channel.id, HISTORY_ROUNDS)
        # A block holds on its platform in every community, and is never shown to anyone.
        blocked = frozenset(await self._blocks.pairs_among(settings.platform, members))
        result = await asyncio.to_thread(
            pair_round, members, history, blocked, seed, solver=self._solver, odd=settings.odd
        )
        following = following_day(settings.schedule, channel.next_day)
        return PlannedRound(
            channel=channel,
            seed=seed,
            members=members,
            blocked=blocked,
            result=result,
            names={m.user_id: m.display_name for m in eligibility.members},
            next_day=following,
            next_due_at=due_at(settings.schedule, following),
        )


async def _is_member(check: MembershipCheck, space_id: str, member: Participant) -> bool | None:
    """Ask the platform; a failure to ask counts as unknown (they are kept)."""
    try:
        return await check.is_member(space_id, member.user_id)
    except Exception:  # a membership lookup must never stop a round
        log.warning(
            "cannot check whether %s is still a member of %s",
            member.user_id,
            space_id,
            exc_info=True,
        )
        return None
