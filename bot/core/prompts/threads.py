"""A reply in a daily prompt's thread, as the `prompt answer` command it stands for."""

from __future__ import annotations

from typing import Final

from bot.core.commands import CommandTable
from bot.core.messages import NO_REFERENCES, Actor, Call, Incoming, References

# The command a thread reply runs. Its first argument (its first `rest` argument, if it has
# several) takes the reply's text; the handler reads Request.thread_id to find the post.
ANSWER_COMMAND: Final = "prompt answer"


def thread_answer(
    table: CommandTable,
    actor: Actor,
    text: str,
    event_id: str,
    thread_id: str,
    references: References = NO_REFERENCES,
) -> Incoming | None:
    """Return the reply as a `prompt answer` call; None while the table has no such command."""
    path = table.path(ANSWER_COMMAND)
    if path is None or path.leaf.is_group or not path.leaf.arguments:
        return None
    arguments = path.leaf.arguments
    key = next((a.key for a in arguments if a.rest), arguments[0].key)
    call = Call(ANSWER_COMMAND, {key: text})
    return Incoming(actor, ANSWER_COMMAND, event_id, references, call, thread_id)
