"""What pairing rounds need stored, and the blocked-pairs source: ports storage implements."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

from bot.core.mentoring.fit import Pair
from bot.core.mentoring.matching import OddCount, RoundResult
from bot.core.mentoring.rounds.schedule import RoundSchedule
from bot.core.messages import Platform

OutcomeKind = Literal["pair", "trio", "sat_out"]


@dataclass(frozen=True, slots=True)
class PairingSettings:
    """A channel's rounds as moderators set them."""

    platform: Platform
    space_id: str
    channel_id: str
    schedule: RoundSchedule
    odd: OddCount = "trio"


@dataclass(frozen=True, slots=True)
class PairingChannel:
    """A channel with rounds, and its next round (number, local date, due instant)."""

    id: int
    settings: PairingSettings
    enabled: bool
    next_number: int
    next_day: date | None  # None while off
    next_due_at: datetime | None
    heads_up_number: int | None = None  # the last round whose heads-ups went out


@dataclass(frozen=True, slots=True)
class Participant:
    """A member's standing in one channel's rounds."""

    user_id: str
    display_name: str
    opted_in: bool
    snoozed_until: date | None = None  # no round before this local date
    skip_number: int | None = None  # the one round they skip
    paused_at: datetime | None = None  # paused for ignoring rounds; `pairing join` resumes
    joined_at: datetime | None = None

    def takes_part(self, number: int, day: date) -> bool:
        """Say whether they are in round number on local date day (membership aside)."""
        snoozed = self.snoozed_until is not None and day < self.snoozed_until
        return (
            self.opted_in
            and self.paused_at is None
            and not snoozed
            and (self.skip_number != number)
        )


@dataclass(frozen=True, slots=True)
class Seat:
    """One member's outcome in a round: their group (them included), or none: sat out."""

    user_id: str
    display_name: str
    kind: OutcomeKind
    group: tuple[str, ...] = ()  # user ids of the whole group, in the round's order


@dataclass(frozen=True, slots=True)
class PastSeat:
    """A member's outcome in one past round: the partners they had (none: sat out)."""

    number: int
    kind: OutcomeKind
    partners: dict[str, str]  # user id -> display name, the member left out


@dataclass(frozen=True, slots=True)
class RoundRecord:
    """A round as stored: what went in (members, blocks, seed, odd rule) and what came out."""

    id: int
    channel_id: int
    number: int
    day: date
    due_at: datetime
    seed: int
    odd: OddCount
    members: tuple[str, ...]  # who was eligible, in the order they were given to pair_round
    blocked: frozenset[Pair]
    result: RoundResult
    names: dict[str, str]  # user id -> display name


@dataclass(frozen=True, slots=True)
class PlannedRound:
    """A round ready to store: its inputs, its result, and where the channel moves next."""

    channel: PairingChannel
    seed: int
    members: tuple[str, ...]
    blocked: frozenset[Pair]
    result: RoundResult
    names: dict[str, str]
    next_day: date
    next_due_at: datetime


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A member to ask whether their group met."""

    channel: PairingChannel
    number: int
    user_id: str
    group: tuple[str, ...]
    names: dict[str, str]


class PairingChannels(Protocol):
    """Channels with rounds (pairing_channels)."""

    async def configure(
        self, settings: PairingSettings, next_day: date, next_due_at: datetime, now: datetime
    ) -> PairingChannel:
        """Create or change a channel's rounds (on again if off); its next round is given."""
        ...

    async def turn_off(self, platform: Platform, channel_id: str, now: datetime) -> bool:
        """Stop a channel's rounds (members and history kept); False if it had none on."""
        ...

    async def get(self, platform: Platform, channel_id: str) -> PairingChannel | None:
        """Return a channel's rounds, on or off."""
        ...

    async def by_id(self, channel_id: int) -> PairingChannel | None:
        """Return a channel's rounds by their stored id."""
        ...

    async def in_space(self, platform: Platform, space_id: str) -> list[PairingChannel]:
        """Return a community's channels with rounds (on or off)."""
        ...

    async def due(self, until: datetime, platforms: Collection[Platform]) -> list[PairingChannel]:
        """Return enabled channels on these platforms whose next round is due by until."""
        ...

    async def mark_heads_up(self, channel_id: int, number: int) -> bool:
        """Record that round number's heads-ups went out; False if already recorded."""
        ...

    async def skip_round(self, channel: PairingChannel, next_day: date, due: datetime) -> bool:
        """Move a channel past its next round without running it (it was missed)."""
        ...


class PairingMembers(Protocol):
    """Members opted in to channels' rounds (pairing_members)."""

    async def join(self, channel_id: int, user_id: str, name: str, now: datetime) -> bool:
        """Opt in (or come back from a pause, a snooze, a skip); False if already in."""
        ...

    async def leave(self, channel_id: int, user_id: str, now: datetime) -> bool:
        """Opt out; False if they were not in."""
        ...

    async def snooze(self, channel_id: int, user_id: str, until: date, now: datetime) -> bool:
        """Leave rounds out until a local date; False if they are not in."""
        ...

    async def skip(self, channel_id: int, user_id: str, number: int, now: datetime) -> bool:
        """Skip round number only; False if they are not in."""
        ...

    async def pause(self, channel_id: int, user_id: str, now: datetime) -> bool:
        """Pause a member who ignored rounds; True only for the call that paused them."""
        ...

    async def get(self, channel_id: int, user_id: str) -> Participant | None:
        """Return a member's standing in a channel."""
        ...

    async def opted_in(self, channel_id: int) -> list[Participant]:
        """Return who is opted in to a channel (paused, snoozed and skipping ones included)."""
        ...


class PairingRounds(Protocol):
    """Rounds, their outcomes, the notices claimed for them and the meeting answers."""

    async def record(self, planned: PlannedRound, now: datetime) -> int | None:
        """Store a round and move its channel on, at once; None if it is already stored."""
        ...

    async def get(self, channel_id: int, number: int) -> RoundRecord | None:
        """Return a stored round of a channel."""
        ...

    async def last(self, channel_id: int) -> RoundRecord | None:
        """Return a channel's latest round."""
        ...

    async def history(self, channel_id: int, rounds: int) -> list[RoundResult]:
        """Return a channel's last rounds' results, oldest first."""
        ...

    async def claim_heads_up(
        self, channel_id: int, number: int, user_id: str, now: datetime
    ) -> bool:
        """Claim the heads-up of one member for one round; True once."""
        ...

    async def untold(self, round_id: int) -> list[Seat]:
        """Return the seats of a round whose member has not been told yet."""
        ...

    async def with_untold(
        self, held_since: datetime, platforms: Collection[Platform]
    ) -> list[tuple[PairingChannel, int]]:
        """Return (channel, round number) of rounds held since then with someone not told."""
        ...

    async def claim_told(self, round_id: int, user_id: str, now: datetime) -> bool:
        """Claim telling one member their outcome; True once."""
        ...

    async def claim_roster(self, round_id: int, now: datetime) -> bool:
        """Claim sending a round's roster to the moderators; True once."""
        ...

    async def due_follow_ups(
        self, held_before: datetime, platforms: Collection[Platform]
    ) -> list[FollowUp]:
        """Return grouped members of rounds held before held_before not asked yet."""
        ...

    async def claim_asked(self, channel_id: int, number: int, user_id: str, now: datetime) -> bool:
        """Claim asking one member whether they met; True once."""
        ...

    async def answer(
        self, channel_id: int, number: int, user_id: str, met: bool, now: datetime
    ) -> bool | None:
        """Store whether they met (a later answer replaces it); None if they had no group."""
        ...

    async def ignored(self, channel_id: int, user_id: str, since: datetime | None) -> int:
        """Return how many of their latest asked rounds since then went unanswered in a row."""
        ...

    async def last_partners(self, channel_id: int, user_id: str, rounds: int) -> list[PastSeat]:
        """Return their outcomes in their last rounds of a channel, newest first."""
        ...

    async def latest_grouped(
        self, platform: Platform, space_id: str, user_id: str
    ) -> tuple[int, int] | None:
        """Return (channel id, round number) of their latest round with partners in a space."""
        ...


def seats_of(result: RoundResult, names: dict[str, str]) -> list[Seat]:
    """Return one seat per member of a round's result: their group, or sat out."""
    seats = [
        Seat(member, names.get(member, member), "pair" if len(group) == 2 else "trio", group)
        for group in result.groups
        for member in group
    ]
    seats += [Seat(member, names.get(member, member), "sat_out") for member in result.sat_out]
    return seats


def results_in_order(records: Sequence[RoundRecord]) -> list[RoundResult]:
    """Return the results of rounds, oldest first."""
    return [r.result for r in sorted(records, key=lambda record: record.number)]
