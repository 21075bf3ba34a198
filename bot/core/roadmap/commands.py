"""Commands of the roadmap job: ask, roadmap, next, progress and resources."""

from __future__ import annotations

from bot.core.commands import Argument, Command
from bot.core.converters import Choice, Text, Topic

ASK = Command(
    name="ask",
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
    details="You can also just type the question, or mention the bot with it.",
    group="Roadmap",
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
