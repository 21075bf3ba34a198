"""Turn a line of text into a command call: `/name args`, `name args`, or plain chat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from bot.core.commands import Access, Command, CommandTable
from bot.core.errors import PermissionDeniedError, UnknownCommandError, UsageError
from bot.core.messages import Actor, Reply
from bot.core.sanitize import quote_user_text

Arguments = Mapping[str, str]
# The platform's id of the message being handled travels with the arguments under this key
# (no table argument can have it as a name), so services can key what they store on it.
EVENT_ID = "@event"
Handler = Callable[[Actor, Arguments], Awaitable[Reply]]
ChatHandler = Callable[[Actor, str], Awaitable[Reply]]


class _TooManyArguments(UsageError):
    """More words than the command takes (plain chat may still make sense of them)."""


@dataclass(frozen=True, slots=True)
class Invocation:
    """A parsed command line: which command, with which arguments."""

    command: Command
    arguments: dict[str, str]


def parse_arguments(command: Command, text: str) -> dict[str, str]:
    """Split text into the command's arguments, or raise UsageError naming the argument."""
    words = text.split()
    values: dict[str, str] = {}
    for argument in reversed(command.arguments):
        # "progress command line done": the status is the last word, the topic the rest.
        if argument.trailing and words and words[-1].casefold() in argument.choices:
            values[argument.name] = words.pop().casefold()
    for argument in command.arguments:
        if argument.name in values:
            continue
        if argument.trailing:
            if argument.required:
                raise UsageError(
                    f"`{command.name}` needs `{argument.name}` at the end: "
                    + ", ".join(f"`{c}`" for c in argument.choices),
                    usage=command.usage(),
                    argument=argument.name,
                )
            continue
        if not words:
            if argument.required:
                raise UsageError(
                    f"`{command.name}` needs `{argument.name}`: {argument.help}",
                    usage=command.usage(),
                    argument=argument.name,
                )
            continue
        value = " ".join(words) if argument.rest else words[0]
        words = [] if argument.rest else words[1:]
        if argument.choices and value.casefold() not in argument.choices:
            raise UsageError(
                f"`{argument.name}` must be one of "
                + ", ".join(f"`{c}`" for c in argument.choices)
                + f", not `{quote_user_text(value, 30)}`.",
                usage=command.usage(),
                argument=argument.name,
            )
        values[argument.name] = value.casefold() if argument.choices else value
    if words:
        raise _TooManyArguments(
            f"`{command.name}` does not take `{quote_user_text(' '.join(words), 30)}`.",
            usage=command.usage(),
        )
    return values


class Router:
    """Route text to the handler of a command in the table, or to the chat handler."""

    def __init__(
        self, table: CommandTable, handlers: Mapping[str, Handler], chat: ChatHandler
    ) -> None:
        names = {command.name for command in table}
        if names != set(handlers):
            # A command without a handler would fail only when someone types it: fail at start.
            raise ValueError(f"handlers do not match the command table: {names ^ set(handlers)}")
        self._table = table
        self._handlers = dict(handlers)
        self._chat = chat

    @property
    def table(self) -> CommandTable:
        """Return the command table this router serves."""
        return self._table

    def parse(self, text: str) -> Invocation | None:
        """Return the command invocation in text, or None when text is plain chat."""
        stripped = text.strip()
        explicit = stripped.startswith("/")
        body = stripped[1:].lstrip() if explicit else stripped
        name, _, rest = body.partition(" ")
        name = name.rstrip("?!.,:;")  # "help?" means help
        command = self._table.get(name)
        if command is None:
            suggestions = self._table.suggest(name) if name else ()
            # Without a slash only a lone, near-miss word is treated as a mistyped command;
            # anything else is a message for the roadmap Q&A.
            if explicit or (suggestions and not rest.strip()):
                raise _unknown(name, suggestions)
            return None
        try:
            return Invocation(command, parse_arguments(command, rest))
        except _TooManyArguments:
            if explicit:
                raise
            return None  # "about docker?" reads as a question, not as a broken command

    async def dispatch(self, actor: Actor, text: str, event_id: str | None = None) -> Reply:
        """Run the command in text for actor, or pass the text to the chat handler."""
        invocation = self.parse(text)
        if invocation is None:
            return await self._chat(actor, text.strip())
        command = invocation.command
        if command.access is Access.MODERATOR and not actor.is_moderator:
            raise PermissionDeniedError(
                f"Only moderators of this space can use `{command.name}`.",
                hint="Ask a moderator if you think this should change.",
            )
        arguments = dict(invocation.arguments)
        if event_id is not None:
            arguments[EVENT_ID] = event_id
        return await self._handlers[command.name](actor, arguments)


def _unknown(name: str, suggestions: tuple[str, ...]) -> UnknownCommandError:
    shown = quote_user_text(name, 30)
    if not shown:
        return UnknownCommandError("Type a command after the slash, for example `/help`.")
    message = f"I don't know the command `{shown}`."
    if suggestions:
        message += " Did you mean " + " or ".join(f"`{s}`" for s in suggestions) + "?"
    return UnknownCommandError(message, suggestions=suggestions)
