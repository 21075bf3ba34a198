"""The help command: what the bot can do, and how to use one command."""

from __future__ import annotations

from bot.core.commands import Access, Command, CommandTable
from bot.core.errors import UnknownCommandError
from bot.core.messages import Actor, Field, Reply
from bot.core.requests import Request
from bot.core.sanitize import quote_user_text


class HelpService:
    """Explain the command table to the person asking."""

    def __init__(self, table: CommandTable) -> None:
        self._table = table

    async def handle(self, request: Request) -> Reply:
        """Answer `help [command]`."""
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
        """Explain one command: usage, arguments, examples, who may run it."""
        command = self._table.get(name.lstrip("/"))
        if command is None:
            suggestions = self._table.suggest(name)
            message = f"There is no command `{quote_user_text(name, 30)}`."
            if suggestions:
                message += " Did you mean " + " or ".join(f"`{s}`" for s in suggestions) + "?"
            raise UnknownCommandError(message, suggestions=suggestions)
        return Reply(title=f"help: {command.name}", text=command.summary, fields=_fields(command))


def _fields(command: Command) -> tuple[Field, ...]:
    fields = [Field("Usage", f"`{command.usage()}`")]
    if command.details:
        fields.append(Field("Details", command.details))
    if command.arguments:
        lines = [
            f"`{a.name}`{'' if a.required else ' (optional)'}: {a.help}" for a in command.arguments
        ]
        fields.append(Field("Arguments", "\n".join(lines)))
    if command.examples:
        fields.append(Field("Examples", "\n".join(f"`{e}`" for e in command.examples)))
    if command.aliases:
        fields.append(Field("Also works as", ", ".join(f"`{a}`" for a in command.aliases)))
    who = "Moderators" if command.access is Access.MODERATOR else "Everyone"
    fields.append(Field("Who can use it", who, inline=True))
    return tuple(fields)
