"""Commands of the daily-prompts job: `config prompts …` for moderators and `prompt …`."""

from __future__ import annotations

from datetime import timedelta

from bot.core.commands import Access, Argument, Command, Form
from bot.core.converters import (
    Channel,
    Choice,
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
from bot.core.prompts.bank import BODY_LIMIT, DIFFICULTIES, HINT_LIMIT, TITLE_LIMIT

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

# The fields of a prompt written in a community: the bank's limits, the bank's topics.
_DRAFT = (
    Argument("title", "A short title, one line.", Text(TITLE_LIMIT), required=True),
    Argument("body", "The exercise itself.", Text(BODY_LIMIT), required=True),
    Argument("difficulty", "How hard it is.", Choice(DIFFICULTIES), required=True),
    Argument("topics", "Roadmap topics, comma-separated (e.g. sql,git).", Topics(), required=True),
    Argument("hint", "A hint for who is stuck (optional).", Text(HINT_LIMIT)),
)
_DRAFT_USAGE = "title:<text> body:<text> difficulty:<easy|medium|hard> topics:<a,b> [hint:<text>]"
_PROMPT_ID = Argument(
    "id", "The prompt's id, as `prompt preview` or `prompt history` show it.", Text(64),
    required=True,
)  # fmt: skip

PROMPT_ADD = Command(
    name="add",
    summary="Moderators: add a prompt of your own; it joins this community's rotation at once.",
    arguments=_DRAFT,
    access=Access.MODERATOR,
    examples=(
        "prompt add title:Two sums body:Find two numbers that add up to a target. "
        "difficulty:easy topics:sql",
        "prompt add",
    ),
    usage_line=f"prompt add {_DRAFT_USAGE}",
    details="On Discord and Slack `prompt add` alone opens a form. Its id is `custom-<n>`.",
    form=Form(title="Add a daily prompt", long=("body", "hint")),
)

PROMPT_SUGGEST = Command(
    name="suggest",
    summary="Suggest a daily prompt; a moderator approves or rejects it.",
    arguments=_DRAFT,
    examples=(
        "prompt suggest title:Undo a commit body:You committed to the wrong branch. "
        "difficulty:medium topics:git",
        "prompt suggest",
    ),
    usage_line=f"prompt suggest {_DRAFT_USAGE}",
    details="On Discord and Slack `prompt suggest` alone opens a form. You hear the outcome "
    "by direct message.",
    form=Form(title="Suggest a daily prompt", long=("body", "hint")),
)

PROMPT_SUGGESTIONS = Command(
    name="suggestions",
    summary="Moderators: the members' suggestions waiting for a decision.",
    access=Access.MODERATOR,
    examples=("prompt suggestions",),
)

PROMPT_APPROVE = Command(
    name="approve",
    summary="Moderators: put a member's suggestion in the rotation.",
    arguments=(_PROMPT_ID,),
    access=Access.MODERATOR,
    examples=("prompt approve custom-3",),
)

PROMPT_REJECT = Command(
    name="reject",
    summary="Moderators: turn down a member's suggestion (they are told why, if you say).",
    arguments=(
        _PROMPT_ID,
        Argument("reason", "Why, in a few words (optional).", Text(200), rest=True),
    ),
    access=Access.MODERATOR,
    examples=("prompt reject custom-3", "prompt reject custom-3 we have one like it"),
)

PROMPT_RETIRE = Command(
    name="retire",
    summary="Moderators: take a prompt out of this community's rotation (undo: restore).",
    arguments=(_PROMPT_ID,),
    access=Access.MODERATOR,
    examples=("prompt retire sql-top-customers", "prompt retire custom-2"),
    details="Past posts keep it, and a post already out today stays.",
)

PROMPT_RESTORE = Command(
    name="restore",
    summary="Moderators: put a retired prompt back in this community's rotation.",
    arguments=(_PROMPT_ID,),
    access=Access.MODERATOR,
    examples=("prompt restore sql-top-customers",),
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
        PROMPT_ADD,
        PROMPT_RETIRE,
        PROMPT_RESTORE,
        PROMPT_SUGGEST,
        PROMPT_SUGGESTIONS,
        PROMPT_APPROVE,
        PROMPT_REJECT,
    ),
    default="today",
    examples=("prompt", "prompt hint", "prompt answer my solution …", "prompt answers"),
    details="Moderators set prompts up with `config prompts` and add their own with "
    "`prompt add`; members suggest some with `prompt suggest`. `help prompt <subcommand>` "
    "explains one.",
    group="Daily prompts",
)
