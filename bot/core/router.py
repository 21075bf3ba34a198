"""Turn what came in into a typed request for a service: `/name args`, options, or chat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from bot.core.arguments import TooManyWords, convert_options, parse_arguments
from bot.core.commands import Access, CommandPath, CommandTable
from bot.core.converters import ConvertContext
from bot.core.errors import PermissionDeniedError, UnknownCommandError, UsageError
from bot.core.messages import NO_REFERENCES, Actor, Call, Incoming, References, Reply
from bot.core.requests import Invocation, Request, walk
from bot.core.sanitize import quote_user_text

Handler = Callable[[Request], Awaitable[Reply]]
ChatHandler = Callable[[Actor, str], Awaitable[Reply]]


class Router:
    """Route text to the handler of a command in the table, or to the chat handler.

    Handlers are keyed by a path's full name ("config streaks"); a path without its own
    handler goes to its nearest group that has one ("config"), so one job may answer a whole
    group and another job one subcommand of it.
    """

    def __init__(
        self,
        table: CommandTable,
        handlers: Mapping[str, Handler],
        chat: ChatHandler,
        topic: Callable[[str], object] | None = None,
    ) -> None:
        check_handlers(table, handlers)
        self._table = table
        self._handlers = dict(handlers)
        self._chat = chat
        self._topic = topic  # resolves topic arguments (raises with suggestions)

    @property
    def table(self) -> CommandTable:
        """Return the command table this router serves."""
        return self._table

    def parse(
        self, text: str, references: References = NO_REFERENCES, actor: Actor | None = None
    ) -> Invocation | None:
        """Return the command invocation in text, or None when text is plain chat.

        With an actor, access is checked before the arguments: a member who may not run a
        command hears that, not how its arguments are written.
        """
        stripped = text.strip()
        explicit = stripped.startswith("/")
        body = stripped[1:].lstrip() if explicit else stripped
        parts = body.split(None, 1)  # a tab after the name separates as a space does
        name = parts[0].rstrip("?!.,:;") if parts else ""  # "help?" means help
        rest = parts[1] if len(parts) > 1 else ""
        command = self._table.get(name)
        if command is None:
            suggestions = self._table.suggest(name) if name else ()
            # Without a slash only a lone, near-miss word is treated as a mistyped command;
            # anything else is a message for the roadmap Q&A.
            if explicit or (suggestions and not rest.strip()):
                raise _unknown(name, suggestions)
            return None
        if actor is not None:
            _check_access(CommandPath((command,)), actor)
        path: CommandPath | None = None
        try:
            path, words = walk(command, rest.split())
            if actor is not None:
                _check_access(path, actor)  # `prompt skip` may be for moderators alone
            return Invocation(path, parse_arguments(path, words, self._context(references)))
        except TooManyWords:
            if explicit:
                raise
            return None  # "about docker?" reads as a question, not as a broken command
        except UsageError:
            # "ask feedback loops?": unslashed, words after `ask` that do not make one of its
            # other subcommands are the question its default reads.
            if explicit or path is None or not _beside_prose(path):
                raise
            return None

    def invocation(
        self, call: Call, references: References = NO_REFERENCES, actor: Actor | None = None
    ) -> Invocation:
        """Return the invocation of a command a platform split into options already."""
        path = self._table.path(call.command)
        if path is None or path.leaf.is_group:
            raise _unknown(call.command, self._table.suggest(call.command.split()[0]))
        if actor is not None:
            _check_access(path, actor)
        return Invocation(path, convert_options(path, call.options, self._context(references)))

    async def dispatch(self, incoming: Incoming) -> Reply:
        """Run the command that came in, or pass plain text to the chat handler."""
        actor = incoming.actor
        if incoming.call is not None:
            invocation: Invocation | None = self.invocation(
                incoming.call, incoming.references, actor
            )
        else:
            invocation = self.parse(incoming.text, incoming.references, actor)
        if invocation is None:
            # Chat reaches the Q&A with mentions written out by the platform's references.
            return await self._chat(actor, incoming.references.plain(incoming.text).strip())
        path = invocation.path
        request = Request(
            actor, path.leaf, invocation.values, incoming.event_id, path.names, incoming.thread_id
        )
        return await self._handler_of(path)(request)

    def _handler_of(self, path: CommandPath) -> Handler:
        for end in range(len(path.names), 0, -1):
            handler = self._handlers.get(" ".join(path.names[:end]))
            if handler is not None:
                return handler
        raise LookupError(f"no handler for {path.key}")  # check_handlers makes this impossible

    def _context(self, references: References) -> ConvertContext:
        return ConvertContext(references, self._topic)


def check_handlers(table: CommandTable, handlers: Mapping[str, Handler]) -> None:
    """Refuse handlers that name no path, and paths that no handler answers.

    A command without a handler would fail only when someone types it: fail at start.
    """
    paths = {path.key: path for path in table.paths()}
    unknown = sorted(set(handlers) - set(paths))
    if unknown:
        raise ValueError(f"handlers for commands the table does not have: {unknown}")
    unanswered = [
        key
        for key, path in paths.items()
        if not path.leaf.is_group
        and not any(" ".join(path.names[:end]) in handlers for end in range(1, len(path.names) + 1))
    ]
    if unanswered:
        raise ValueError(f"commands without a handler: {unanswered}")


def _beside_prose(path: CommandPath) -> bool:
    """Say whether path is a subcommand other than the free-text default of its group."""
    group = path.commands[-2] if len(path.commands) > 1 else None
    return group is not None and group.reads_prose and group.default_subcommand is not path.leaf


def _check_access(path: CommandPath, actor: Actor) -> None:
    if path.access is Access.MODERATOR and not actor.is_moderator:
        raise PermissionDeniedError(
            f"Only moderators of this space can use `{path.key}`.",
            hint="Ask a moderator if you think this should change.",
        )


def _unknown(name: str, suggestions: tuple[str, ...]) -> UnknownCommandError:
    shown = quote_user_text(name, 30)
    if not shown:
        return UnknownCommandError("Type a command after the slash, for example `/help`.")
    message = f"I don't know the command `{shown}`."
    if suggestions:
        message += " Did you mean " + " or ".join(f"`{s}`" for s in suggestions) + "?"
    return UnknownCommandError(message, suggestions=suggestions)
