"""Commands of the study job: checkin, streak, leaderboard, privacy, reminders, config streaks."""

from __future__ import annotations

from bot.core.commands import Access, Argument, Command
from bot.core.converters import (
    BySetting,
    Choice,
    Duration,
    Integer,
    Member,
    Pair,
    Role,
    Text,
    Timezone,
)

STREAK_SETTINGS = ("freeze-every", "max-freezes", "timezone", "reminder-hour", "milestone-role")

CHECKIN = Command(
    name="checkin",
    summary="Record today's study (minutes and what you did are optional).",
    arguments=(
        Argument("minutes", "How long you studied: 30, 45m, 1h30.", Duration()),
        Argument("note", "What you studied, e.g. SQL joins.", Text(200), rest=True),
    ),
    aliases=("check-in",),
    examples=("checkin", "checkin 45", "checkin 30 docker compose tutorial"),
    details="Counts for your local day (your timezone); several check-ins a day add minutes.",
    group="Streaks",
    personal=True,
)

STREAK = Command(
    name="streak",
    summary="Your study streak (or a member's), why it is what it is, and a heatmap.",
    arguments=(Argument("member", "A member to look at (mention them).", Member()),),
    examples=("streak", "streak @ada"),
    details="A freeze is earned for every 7 days in a row (moderators can change this) and "
    "covers one missed day by itself. Today never breaks a streak until it is over.",
    group="Streaks",
    personal=True,
)

LEADERBOARD = Command(
    name="leaderboard",
    summary="Top ten of this community for study days or minutes, and your own place.",
    arguments=(
        Argument("period", "Which period to rank.", Choice(("week", "month", "all"))),
        Argument("metric", "What to rank.", Choice(("streak", "minutes")), trailing=True),
    ),
    aliases=("top",),
    examples=("leaderboard", "leaderboard month minutes", "leaderboard all streak"),
    details="`streak` ranks study days in the week or month, and running streaks for `all`. "
    "Leave the boards with `privacy leaderboard off`.",
    group="Streaks",
)

PRIVACY = Command(
    name="privacy",
    summary="Show or change whether you appear on leaderboards.",
    arguments=(
        Argument("setting", "What to change.", Choice(("leaderboard",))),
        Argument("value", "on or off.", Choice(("on", "off")), trailing=True),
    ),
    examples=("privacy", "privacy leaderboard off", "privacy leaderboard on"),
    details="When you are off the boards, others cannot look up your streak either.",
    group="Streaks",
    personal=True,
)

REMINDERS = Command(
    name="reminders",
    summary="Get a DM in the evening when today's study is not counted yet.",
    arguments=(Argument("switch", "Turn reminders on or off.", Choice(("on", "off"))),),
    aliases=("remind",),
    examples=("reminders", "reminders on", "reminders off"),
    details="Sent at most once a day, at this community's reminder hour in your timezone.",
    group="Streaks",
    personal=True,
)

CONFIG_STREAKS = Command(
    name="streaks",
    summary="Show or change this community's streak settings.",
    arguments=(
        Argument("setting", "The setting to change.", Choice(STREAK_SETTINGS)),
        Argument(
            "value",
            "The new value.",
            BySetting(
                "setting",
                (
                    ("freeze-every", Integer(1, 60)),
                    ("max-freezes", Integer(0, 10)),
                    ("timezone", Timezone()),
                    ("reminder-hour", Integer(0, 23)),
                    ("milestone-role", Pair(Choice(("7", "30", "100")), Role(allow_off=True))),
                ),
            ),
            rest=True,
        ),
    ),
    access=Access.MODERATOR,
    examples=(
        "config streaks",
        "config streaks freeze-every 5",
        "config streaks timezone Europe/Berlin",
        "config streaks reminder-hour 20",
        "config streaks milestone-role 30 @Consistent",
    ),
    usage_line="config streaks [freeze-every <days> | max-freezes <n> | timezone <Region/City> "
    "| reminder-hour <0-23> | milestone-role <7|30|100> <role|off>]",
    details="Milestone roles are given on Discord when a streak reaches 7, 30 or 100 days.",
)
