"""Commands of the roadmap job: ask (and its feedback), roadmap, next, progress, resources."""

from __future__ import annotations

from typing import Final

from bot.core.commands import Access, Argument, Command
from bot.core.converters import Choice, Integer, Text, Topic

ANSWER_ID_HIGHEST: Final = 2_147_483_647  # the answers table's integer key

ASK_QUESTION = Command(
    name="question",
    summary="Ask a question about becoming a backend developer.",
    arguments=(
        Argument(
            "question",
            "Your question, in your own words.",
            Text(4000),  # as long as a plain message may be
            required=True,
            rest=True,
        ),
    ),
    examples=("ask what should I learn after databases?", "ask how long does it take?"),
    details="`question` may be left out: `ask <question>`. You can also just type the "
    "question, or mention the bot with it.",
)

ASK_FEEDBACK = Command(
    name="feedback",
    summary="Say whether an answer helped (its Helpful / Not helpful buttons run this).",
    arguments=(
        Argument(
            "answer",
            "The answer's number, as its buttons carry it.",
            Integer(1, ANSWER_ID_HIGHEST),
            required=True,
        ),
        Argument("helpful", "Did it help?", Choice(("yes", "no")), required=True),
    ),
    examples=("ask feedback 12 yes", "ask feedback 12 no"),
    details="One rating per member and answer; clicking again changes it.",
)

ASK_STATS = Command(
    name="stats",
    summary="Moderators: questions answered and declined, the helpful rate, the top topics.",
    arguments=(
        Argument("period", "The last 7 days (week) or 30 days (month).", Choice(("week", "month"))),
    ),
    access=Access.MODERATOR,
    examples=("ask stats", "ask stats month"),
    details="Declined questions' texts are listed only when `config ask keep-declined:on`.",
)

ASK = Command(
    name="ask",
    summary="Ask a question about becoming a backend developer.",
    subcommands=(ASK_QUESTION, ASK_FEEDBACK, ASK_STATS),
    default="question",
    examples=("ask what should I learn after databases?", "ask how long does it take?"),
    details="You can also just type the question, or mention the bot with it.",
    usage_line="ask <question> | ask feedback <answer> yes|no | ask stats [week|month]",
    group="Roadmap",
)

CONFIG_ASK = Command(
    name="ask",
    summary="Keep the text of questions the bot could not answer (off by default), or not.",
    arguments=(
        Argument(
            "keep_declined",  # a key Discord's options and Python names both accept
            "Keep declined questions' text for 30 days, for `ask stats`.",
            Choice(("on", "off")),
            label="keep-declined",
        ),
    ),
    access=Access.MODERATOR,
    examples=("config ask", "config ask keep-declined:on", "config ask keep-declined:off"),
    details="Off by default. Only declined questions are kept, without mentions or links, "
    "for 30 days; turning it off deletes those kept so far. `about` says which it is.",
    usage_line="config ask [keep-declined:on|off]",
)

ROADMAP = Command(
    name="roadmap",
    summary="Show the learning path stage by stage, or one topic in detail.",
    arguments=(Argument("topic", "A topic, e.g. docker or databases.", Topic(), rest=True),),
    aliases=("topic",),
    examples=("roadmap", "roadmap databases", "roadmap docker"),
    group="Roadmap",
)

NEXT = Command(
    name="next",
    summary="Suggest what to learn next, from your progress.",
    examples=("next",),
    details="Mark topics with `progress <topic> done` so suggestions move on with you.",
    group="Roadmap",
    personal=True,
)

PROGRESS = Command(
    name="progress",
    summary="Show your progress, or mark a topic done, learning, skip or reset.",
    arguments=(
        Argument("topic", "The topic to update.", Topic(), rest=True),
        Argument(
            "status",
            "What to record for the topic.",
            Choice(("done", "learning", "skip", "reset")),
            trailing=True,
        ),
    ),
    examples=("progress", "progress git done", "progress databases learning", "progress git reset"),
    details="Skipped topics count in neither part of the percentages.",
    group="Roadmap",
    personal=True,
)

RESOURCES = Command(
    name="resources",
    summary="Recommend resources for a topic; rate them or mark them seen.",
    arguments=(
        Argument(
            "query",
            "A topic, then optionally `free` and a kind; or `rate <id> up|down`, `seen <id>`.",
            Text(200, autocomplete="topic"),
            label="topic",
            required=True,
            rest=True,
        ),
    ),
    examples=(
        "resources databases",
        "resources python free course",
        "resources rate bootdev-learn-python up",
        "resources seen bootdev-learn-python",
    ),
    usage_line="resources <topic> [free] [kind] | resources rate <id> up|down "
    "| resources seen <id>",
    details="Kinds: course, docs, book, video, interactive, practice, community, article, tool.",
    group="Roadmap",
    personal=True,
)
