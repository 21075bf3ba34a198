"""Commands of pairing rounds: `pairing …` for members (and moderators), `config pairing`."""

from __future__ import annotations

from bot.core.commands import Access, Argument, Command
from bot.core.converters import Channel, Choice, Day, Timezone
from bot.core.mentoring.rounds.kinds import RoundCodeKind, WeeklyTime

_CHANNEL = Argument("channel", "The channel (this one when left out).", Channel())
_ROUND = Argument(
    "round", "A round code from the bot's message (its buttons fill it in).", RoundCodeKind()
)

PAIRING_JOIN = Command(
    name="join",
    summary="Take part in the pairing rounds of a channel (or come back after a pause).",
    arguments=(_CHANNEL,),
    examples=("pairing join", "pairing join #coffee"),
    personal=True,
)

PAIRING_LEAVE = Command(
    name="leave",
    summary="Stop taking part in a channel's pairing rounds (one command, no questions).",
    arguments=(_CHANNEL, _ROUND),
    examples=("pairing leave", "pairing leave #coffee"),
    personal=True,
)

PAIRING_SNOOZE = Command(
    name="snooze",
    summary="Sit rounds out until a date; you are back in by yourself on that day.",
    arguments=(
        Argument(
            "until", "The first date to be paired again, e.g. 2026-01-07.", Day(), required=True
        ),
        _CHANNEL,
    ),
    examples=("pairing snooze until:2026-01-07", "pairing snooze 2026-01-07 #coffee"),
    personal=True,
)

PAIRING_SKIP = Command(
    name="skip",
    summary="Skip the next round only (the heads-up's Skip button does this).",
    arguments=(_CHANNEL, _ROUND),
    examples=("pairing skip", "pairing skip #coffee"),
    personal=True,
)

PAIRING_STATUS = Command(
    name="status",
    summary="Whether you are in, when the next round is, and your last partners.",
    arguments=(_CHANNEL,),
    examples=("pairing", "pairing status #coffee"),
    personal=True,
)

PAIRING_MET = Command(
    name="met",
    summary="Say whether you met your partners of the last round (the follow-up's buttons).",
    arguments=(
        Argument("answer", "yes or no.", Choice(("yes", "no")), required=True),
        _ROUND,
    ),
    examples=("pairing met yes", "pairing met no"),
    details="Without a round code it answers for your latest round in this community. "
    "A later answer replaces the earlier one.",
    personal=True,
)

PAIRING_PREVIEW = Command(
    name="preview",
    summary="Moderators: a dry run of the next round (who would be paired); nothing is kept.",
    arguments=(_CHANNEL,),
    access=Access.MODERATOR,
    examples=("pairing preview", "pairing preview #coffee"),
    details="Nobody is told and nothing is stored; the real round draws its own seed.",
)

PAIRING_ROSTER = Command(
    name="roster",
    summary="Moderators: the last round's groups, who sat out, and who is paused.",
    arguments=(_CHANNEL,),
    access=Access.MODERATOR,
    examples=("pairing roster", "pairing roster #coffee"),
)

PAIRING = Command(
    name="pairing",
    summary="Pairing rounds: meet another member of a channel every week or two.",
    subcommands=(
        PAIRING_STATUS,
        PAIRING_JOIN,
        PAIRING_LEAVE,
        PAIRING_SNOOZE,
        PAIRING_SKIP,
        PAIRING_MET,
        PAIRING_PREVIEW,
        PAIRING_ROSTER,
    ),
    default="status",
    examples=("pairing join", "pairing skip", "pairing snooze until:2026-01-07", "pairing leave"),
    details="Moderators set rounds up with `config pairing`. You hear the day before a round "
    "that you are in (with a Skip button), then who you are paired with, privately. "
    "`help pairing <subcommand>` explains one.",
    group="Mentoring",
)

CONFIG_PAIRING_SET = Command(
    name="set",
    summary="Hold pairing rounds in a channel, or change when and how.",
    arguments=(
        _CHANNEL,
        Argument("every", "How often: 1w, 2w or 4w (1w by default).", Choice(("1w", "2w", "4w"))),
        Argument("at", "Weekday and local time, e.g. mon 18:00.", WeeklyTime()),
        Argument("timezone", "The channel's timezone, e.g. Europe/Berlin.", Timezone()),
        Argument(
            "odd",
            "With an odd count: a trio, or one sits out (rotated).",
            Choice(("trio", "sit-out")),
        ),
    ),
    examples=(
        "config pairing channel:#coffee every:2w at:mon 18:00",
        "config pairing channel:#coffee every:1w at:fri 12:30 timezone:Europe/Berlin odd:sit-out",
        "config pairing set",
    ),
    usage_line="config pairing set [channel:<#channel>] [every:<1w|2w|4w>] "
    "[at:<weekday HH:MM>] [timezone:<Region/City>] [odd:<trio|sit-out>]",
    details="`set` may be left out. A new channel needs `at`; later, give only what changes. "
    "The timezone is the community's default unless you name one. Without settings it "
    "lists every channel's rounds.",
)

CONFIG_PAIRING_OFF = Command(
    name="off",
    summary="Stop the pairing rounds of a channel (members and history are kept).",
    arguments=(_CHANNEL,),
    examples=("config pairing off", "config pairing off #coffee"),
)

CONFIG_PAIRING = Command(
    name="pairing",
    summary="Set up pairing rounds in a channel: how often, when, the odd one out.",
    subcommands=(CONFIG_PAIRING_SET, CONFIG_PAIRING_OFF),
    default="set",
    access=Access.MODERATOR,
    examples=("config pairing channel:#coffee every:2w at:mon 18:00", "config pairing off #coffee"),
    details="`config pairing` alone lists the channels with rounds; "
    "`help config pairing set` explains every setting.",
)
