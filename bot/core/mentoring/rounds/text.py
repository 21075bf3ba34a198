"""What pairing rounds say: heads-ups, outcomes, follow-ups, pauses and rosters, as Replies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.mentoring.rounds.kinds import RoundCode
from bot.core.mentoring.rounds.ports import PairingChannel, Participant, RoundRecord, Seat
from bot.core.mentoring.rounds.schedule import RoundSchedule
from bot.core.messages import Button, Field, Reply
from bot.core.sanitize import quote_user_text

TITLE = "Pairing rounds"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def channel_label(channel_id: str) -> str:
    """Return a channel as `#id` (the core never writes a platform's mention)."""
    return "#" + quote_user_text(channel_id, 64)


def person(name: str) -> str:
    """Return a member's name as the bot writes it: `@name`, with no markup of theirs."""
    return "@" + (quote_user_text(name, 60) or "someone")


def people(user_ids: Iterable[str], names: dict[str, str]) -> str:
    """Return members' names joined for a sentence."""
    shown = [person(names.get(user, user)) for user in user_ids]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def schedule_text(schedule: RoundSchedule) -> str:
    """Return a schedule in words: `every 2 weeks, Mon 18:00 Europe/Berlin`."""
    every = "every week" if schedule.every_weeks == 1 else f"every {schedule.every_weeks} weeks"
    return f"{every}, {_DAYS[schedule.weekday]} {schedule.at:%H:%M} {schedule.timezone}"


def local_moment(instant: datetime, timezone: str) -> str:
    """Return an instant in a channel's local time, e.g. `Mon 2026-06-01 18:00 Europe/Berlin`."""
    return f"{instant.astimezone(ZoneInfo(timezone)):%a %Y-%m-%d %H:%M} {timezone}"


def next_round_text(channel: PairingChannel) -> str:
    """Return when a channel's next round is, or that its rounds are off."""
    if not channel.enabled or channel.next_due_at is None:
        return "off"
    when = local_moment(channel.next_due_at, channel.settings.schedule.timezone)
    return f"round {channel.next_number}, {when}"


def heads_up(channel: PairingChannel, number: int) -> Reply:
    """Return the heads-up: you are in tomorrow's round; Skip and Leave are one click."""
    code = RoundCode(channel.id, number)
    label = channel_label(channel.settings.channel_id)
    return Reply(
        text=f"You're in tomorrow's pairing round in {label}. You'll hear who you meet then.\n"
        "Not this time? Skip it with one click; you stay in for the next one.",
        title=TITLE,
        ephemeral=True,
        buttons=(
            Button("Skip this round", f"pairing skip round:{code}"),
            Button("Leave the rounds", f"pairing leave round:{code}"),
        ),
    )


def outcome(channel: PairingChannel, number: int, seat: Seat, names: dict[str, str]) -> Reply:
    """Return a member's outcome: their partners, or that they sit out with priority next time."""
    label = channel_label(channel.settings.channel_id)
    code = RoundCode(channel.id, number)
    leave = Button("Leave the rounds", f"pairing leave round:{code}")
    if seat.kind == "sat_out":
        return Reply(
            text=f"Not paired this time in {label}'s round {number}: the count was odd (or "
            "everyone else was taken). You have priority next round.",
            title=TITLE,
            ephemeral=True,
            buttons=(leave,),
        )
    others = [member for member in seat.group if member != seat.user_id]
    group = "a trio" if seat.kind == "trio" else "a pair"
    return Reply(
        text=f"Round {number} in {label}: you're in {group} with {people(others, names)}. "
        "Say hello and find a time to meet this week.",
        title=TITLE,
        ephemeral=True,
        fields=(Field("Partners", people(others, names)),),
        buttons=(leave,),
    )


def follow_up(
    channel: PairingChannel, number: int, others: Sequence[str], names: dict[str, str]
) -> Reply:
    """Return "did you meet?", with Yes and No buttons that run `pairing met`."""
    code = RoundCode(channel.id, number)
    return Reply(
        text=f"Did you meet {people(others, names)} (round {number} in "
        f"{channel_label(channel.settings.channel_id)})?",
        title=TITLE,
        ephemeral=True,
        buttons=(
            Button("Yes, we met", f"pairing met yes round:{code}"),
            Button("No", f"pairing met no round:{code}"),
        ),
    )


def paused(channel: PairingChannel, ignored: int) -> Reply:
    """Return the notice to a member paused for ignoring rounds, and how to come back."""
    label = channel_label(channel.settings.channel_id)
    return Reply(
        text=f"You're paused in {label}'s pairing rounds: the last {ignored} rounds went "
        "without an answer. Run `pairing join` there to come back whenever you like.",
        title=TITLE,
        ephemeral=True,
    )


def roster(
    channel: PairingChannel,
    record: RoundRecord,
    paused_members: Sequence[Participant],
    *,
    dry_run: bool = False,
) -> Reply:
    """Return a round's groups, who sat out and who is paused: for moderators."""
    label = channel_label(channel.settings.channel_id)
    names = record.names
    groups = "\n".join(
        f"{index}. {people(group, names)}" for index, group in enumerate(record.result.groups, 1)
    )
    fields = [Field("Groups", groups or "none")]
    if record.result.sat_out:
        fields.append(Field("Sat out (priority next round)", people(record.result.sat_out, names)))
    if paused_members:
        names_paused = {p.user_id: p.display_name for p in paused_members}
        fields.append(Field("Paused", people(names_paused, names_paused)))
    when = local_moment(record.due_at, channel.settings.schedule.timezone)
    head = "Preview of" if dry_run else "Roster of"
    note = " Nothing is stored and nobody is told." if dry_run else ""
    return Reply(
        text=f"{head} round {record.number} in {label} ({when}): "
        f"{len(record.members)} members.{note}",
        title=TITLE,
        ephemeral=True,
        fields=tuple(fields),
    )
