"""The converter protocol: what a kind is, the context it reads, and its error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.messages import References


class BadValue(ValueError):
    """A value a converter cannot accept; the message is safe to show."""


@dataclass(frozen=True)
class ConvertContext:
    """What converters may consult: the platform's references, and topic lookup."""

    references: References
    topic: Callable[[str], object] | None = None  # raises a BotError when nothing matches


class Kind:
    """The type of an argument; subclasses convert text (and check native values)."""

    name = "text"
    autocomplete: str | None = None  # what platforms may suggest while typing

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the typed value of word, or raise BadValue."""
        return word

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return value checked and typed; text goes through convert."""
        if isinstance(value, str):
            return self.convert(value, context)
        raise BadValue(f"must be {self.describe()}")

    def claims(self, word: str) -> bool:
        """Say whether an optional argument takes word, or leaves it to the next one."""
        return True

    def span(self, words: Sequence[str]) -> int:
        """Return how many of the next words one value takes (one, for most kinds)."""
        return 1

    def describe(self) -> str:
        """Return what a valid value looks like, for help and errors."""
        return "text"
