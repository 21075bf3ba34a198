"""Domain errors: each carries a message that is safe to show the user as it is."""

from __future__ import annotations


class BotError(Exception):
    """An expected failure whose user_message can be shown to the user."""

    code = "bad_request"  # machine-readable kind, for tests and the console's JSON mode

    def __init__(self, user_message: str, *, hint: str | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.hint = hint


class UsageError(BotError):
    """A command was given the wrong arguments."""

    code = "usage"

    def __init__(self, user_message: str, *, usage: str, argument: str | None = None) -> None:
        super().__init__(user_message, hint=f"Usage: `{usage}`")
        self.usage = usage
        self.argument = argument


class UnknownCommandError(BotError):
    """The text named a command that does not exist."""

    code = "unknown_command"

    def __init__(self, user_message: str, *, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(user_message, hint="Type `help` to see every command.")
        self.suggestions = suggestions


class PermissionDeniedError(BotError):
    """The actor may not run this command here."""

    code = "permission"


class InvalidTimezoneError(BotError):
    """The text is not an IANA timezone name."""

    code = "invalid_timezone"

    def __init__(self, user_message: str, *, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(user_message)
        self.suggestions = suggestions
