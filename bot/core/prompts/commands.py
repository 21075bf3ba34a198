"""Commands of the daily-prompts job: `config prompts …` for moderators and `prompt …`."""

from __future__ import annotations

from datetime import timedelta

from bot.core.commands import Access, Argument, Command
from bot.core.converters import (
    Channel,
    Choices,
    Day,
    DayOrWeekdays,
    Duration,
    Integer,
    Role,
    Text,
    TimeOfDay,
    Timezone,
    Topics,
    Weekdays,
)
from bot.core.prompts.bank import DIFFICULTIES

ANSWER_LENGTH = 500  # prompt_answers.text
HISTORY_MOST = 25

_CHANNEL = Argument("channel", "The channel (this one when left out).", Channel())

CONFIG_PROMPTS_SET = Command(
    name="set",
    summary="Post a daily prompt in a channel, or change its schedule and filters.",
    arguments=(
        Argument("time", "Local time of the post, e.g. 09:00.", TimeOfDay()),
        _CHANNEL,
        Argument("days", "Weekdays to post on, e.g. mon-fri (every day by default).", Weekdays()),
        Argument("timezone", "The channel's timezone, e.g. Europe/Berlin.", Timezone()),
        Argument("difficulty", "easy, medium, hard (several: a,b) or any.", Choices(DIFFICULTIES)),
        Argument("topics", "Roadmap topics, comma-separated (e.g. sql,git), or any.", Topics()),
        Argument("mention", "A role to mention with each post, or off.", Role(allow_off=True)),
        Argument(
            "grace",
            "How late a missed post may still go out (3h by default).",
            Duration(longest=timedelta(hours=24)),
        ),
    ),
    examples=(
        "config prompts time:09:00",
        "config prompts channel:#study time:09:00 timezone:Europe/Berlin days:mon-fri",
        "config prompts difficulty:easy,medium topics:sql,git mention:@learners",
        "config prompts set",
    ),
    usage_line="config prompts set [time:<HH:MM>] [channel:<#channel>] [days:<mon-fri>] "
    "[timezone:<Region/City>] [difficulty:<easy,medium,hard>] [topics:<a,b>] "
    "[mention:<role|off>] [grace:<3h>]",
    details="`set` may be left out. A new channel needs a time; later, give only what changes. "
    "The timezone is the "
    "community's default (config streaks timezone) unless you name one. Without settings it "
    "lists every channel's schedule.",
)

CONFIG_PROMPTS_OFF = Command(
    name="off",
    summary="Stop the daily prompt in a channel (its history is kept).",
    arguments=(_CHANNEL,),
    examples=("config prompts off", "config prompts off #study"),
)

CONFIG_PROMPTS_SKIP = Command(
    name="skip",
    summary="Post nothing on a date (a holiday), or never on a weekday.",
    arguments=(
        Argument(
            "day",
            "A date such as 2026-12-24, or weekdays such as sat.",
            DayOrWeekdays(),
            required=True,
        ),
        _CHANNEL,
    ),
    examples=(
        "config prompts skip 2026-12-24",
        "config prompts skip sat",
        "config prompts skip sun #study",
    ),
    details="A date is a local date of the channel. A weekday is taken out of its days.",
)

CONFIG_PROMPTS_PAUSE = Command(
    name="pause",
    summary="Post nothing until a date; the prompt comes back on that day.",
    arguments=(
        Argument("until", "The first date to post again, e.g. 2026-01-07.", Day(), required=True),
        _CHANNEL,
    ),
    examples=("config prompts pause until:2026-01-07", "config prompts pause 2026-01-07 #study"),
)

CONFIG_PROMPTS_RESUME = Command(
    name="resume",
    summary="Post again now: after a pause, or after the channel could not be reached.",
    arguments=(_CHANNEL,),
    examples=("config prompts resume", "config prompts resume #study"),
)

CONFIG_PROMPTS = Command(
    name="prompts",
    summary="Set up the daily prompt of a channel: time, days, timezone, filters.",
    subcommands=(
        CONFIG_PROMPTS_SET,
        CONFIG_PROMPTS_OFF,
        CONFIG_PROMPTS_SKIP,
        CONFIG_PROMPTS_PAUSE,
        CONFIG_PROMPTS_RESUME,
    ),
    default="set",
    access=Access.MODERATOR,
    examples=(
        "config prompts time:09:00",
        "config prompts skip 2026-12-24",
        "config prompts channel:#study time:09:00 days:mon-fri",
        "config prompts off",
    ),
    details="Each channel has its own schedule. `config prompts` alone lists them; "
    "`help config prompts set` explains every setting.",
)

PROMPT_TODAY = Command(
    name="today",
    summary="Today's prompt in this channel (or when the next one comes).",
    examples=("prompt", "prompt today"),
)

PROMPT_HINT = Command(
    name="hint",
    summary="The hint of today's prompt, once you have tried.",
    examples=("prompt hint",),
    personal=True,
)

PROMPT_ANSWER = Command(
    name="answer",
    summary="Record your answer to today's prompt; it counts for your streak.",
    arguments=(
        Argument(
            "text", "Your answer, or a link to it.", Text(ANSWER_LENGTH), required=True, rest=True
        ),
    ),
    examples=(
        "prompt answer SELECT name FROM users WHERE age > 30",
        "prompt answer https://gist.github.com/...",
    ),
    details="One answer per member and prompt: the first is kept, and counts for your streak once.",
    personal=True,
)

PROMPT_ANSWERS = Command(
    name="answers",
    summary="Who answered today's prompt in this channel.",
    examples=("prompt answers",),
    details="Members who left the leaderboards are counted but not named.",
)

PROMPT_PREVIEW = Command(
    name="preview",
    summary="Moderators: the next post of a channel (date, time and prompt).",
    arguments=(_CHANNEL,),
    access=Access.MODERATOR,
    examples=("prompt preview", "prompt preview #study"),
)

PROMPT_SKIP = Command(
    name="skip",
    summary="Moderators: replace the next prompt of a channel with another one.",
    arguments=(_CHANNEL,),
    access=Access.MODERATOR,
    examples=("prompt skip", "prompt skip #study"),
    details="A prompt already posted is never changed; the skipped one is not used this cycle.",
)

PROMPT_POST_NOW = Command(
    name="post-now",
    summary="Moderators: post today's prompt now, unless it is posted already.",
    arguments=(_CHANNEL,),
    access=Access.MODERATOR,
    examples=("prompt post-now", "prompt post-now #study"),
)

PROMPT_HISTORY = Command(
    name="history",
    summary="The last prompts of this community, and whether each went out.",
    arguments=(Argument("count", "How many (10 by default).", Integer(1, HISTORY_MOST)),),
    examples=("prompt history", "prompt history 20"),
)

PROMPT_STATUS = Command(
    name="status",
    summary="Moderators: every channel's next post, last result, failures and prompts left.",
    access=Access.MODERATOR,
    examples=("prompt status",),
)

PROMPT = Command(
    name="prompt",
    summary="The daily coding prompt: today's, its hint, your answer, who answered.",
    subcommands=(
        PROMPT_TODAY,
        PROMPT_HINT,
        PROMPT_ANSWER,
        PROMPT_ANSWERS,
        PROMPT_HISTORY,
        PROMPT_PREVIEW,
        PROMPT_SKIP,
        PROMPT_POST_NOW,
        PROMPT_STATUS,
    ),
    default="today",
    examples=("prompt", "prompt hint", "prompt answer my solution …", "prompt answers"),
    details="Moderators set prompts up with `config prompts`; `help prompt <subcommand>` "
    "explains one.",
    group="Daily prompts",
)
