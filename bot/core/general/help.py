"""The help command: what the bot can do, and how to use one command or subcommand."""

from __future__ import annotations

from bot.core.commands import Access, CommandPath, CommandTable
from bot.core.errors import UnknownCommandError
from bot.core.messages import Actor, Field, Reply
from bot.core.requests import Request
from bot.core.sanitize import quote_user_text


class HelpService:
    """Explain the command table to the person asking."""

    def __init__(self, table: CommandTable) -> None:
        self._table = table

    async def handle(self, request: Request) -> Reply:
        """Answer `help [command [subcommand]]`."""
        name = request.text("command")
        return self.overview(request.actor) if name is None else self.explain(name)

    def overview(self, actor: Actor) -> Reply:
        """List the commands actor may run, grouped."""
        groups: dict[str, list[str]] = {}
        for command in self._table.visible_to(actor.is_moderator):
            mark = " (moderators)" if command.access is Access.MODERATOR else ""
            line = f"`{command.usage()}` - {command.summary}{mark}"
            groups.setdefault(command.group, []).append(line)
        return Reply(
            title="What I can do",
            text="Type a command, or just ask me a question about becoming a backend "
            "developer. `help <command>` explains one command.",
            fields=tuple(Field(group, "\n".join(lines)) for group, lines in groups.items()),
        )

    def explain(self, name: str) -> Reply:
        """Explain one command or subcommand: usage, arguments, examples, who may run it."""
        words = name.lstrip("/").split()
        path = self._table.path(words)
        if path is None:
            raise self._unknown(words)
        return Reply(title=f"help: {path.key}", text=path.leaf.summary, fields=_fields(path))

    def _unknown(self, words: list[str]) -> UnknownCommandError:
        # Follow the names as far as they go, then suggest from there.
        known = next(
            (p for end in range(len(words) - 1, 0, -1) if (p := self._table.path(words[:end]))),
            None,
        )
        if known is None:
            suggestions = self._table.suggest(words[0]) if words else ()
        else:
            near = known.leaf.suggest_subcommand(words[len(known.names)])
            suggestions = tuple(f"{known.key} {n}" for n in near)
        message = f"There is no command `{quote_user_text(' '.join(words), 40)}`."
        if suggestions:
            message += " Did you mean " + " or ".join(f"`{s}`" for s in suggestions) + "?"
        return UnknownCommandError(message, suggestions=suggestions)


def _fields(path: CommandPath) -> tuple[Field, ...]:
    command = path.leaf
    fields = [Field("Usage", f"`{path.usage()}`")]
    if command.details:
        fields.append(Field("Details", command.details))
    if command.subcommands:
        lines = []
        for sub in command.subcommands:
            below = path.then(sub)
            mark = " (moderators)" if below.access is Access.MODERATOR else ""
            default = " (the default)" if sub.name == command.default else ""
            lines.append(f"`{below.usage()}` - {sub.summary}{default}{mark}")
        fields.append(Field("Subcommands", "\n".join(lines)))
    if command.arguments:
        lines = [
            f"`{a.name}`{'' if a.required else ' (optional)'}: {a.help}" for a in command.arguments
        ]
        fields.append(Field("Arguments", "\n".join(lines)))
    if command.form is not None:
        fields.append(Field("Form", _form_help(path)))
    if command.examples:
        fields.append(Field("Examples", "\n".join(f"`{e}`" for e in command.examples)))
    if command.aliases:
        fields.append(Field("Also works as", ", ".join(f"`{a}`" for a in command.aliases)))
    who = "Moderators" if path.access is Access.MODERATOR else "Everyone"
    fields.append(Field("Who can use it", who, inline=True))
    return tuple(fields)


def _form_help(path: CommandPath) -> str:
    """Say where the command opens a form, and how to name its fields where it does not."""
    named = " ".join(f"{a.key}:…" for a in path.leaf.form_arguments)
    return (
        f"On Discord and Slack, `{path.key}` alone opens a form with these fields. "
        f"Elsewhere, name them: `{path.key} {named}` (a text runs on to the next name)."
    )
