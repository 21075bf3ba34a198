"""The prompt bank as plain data: what a daily coding prompt is and how long its parts may be."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: Final[tuple[Difficulty, ...]] = get_args(Difficulty)

# Limits in characters. The body is an embed description on Discord (4,096 at most) and a
# section on Slack (3,000); the hint, example and follow-up each fit an embed field (1,024);
# all of them together stay under Discord's 6,000 per embed.
TITLE_LIMIT: Final = 100
BODY_LIMIT: Final = 1500
HINT_LIMIT: Final = 400
EXAMPLE_LIMIT: Final = 800
FOLLOW_UP_LIMIT: Final = 400


@dataclass(frozen=True, slots=True)
class Prompt:
    """One exercise of the bank, in the project's own words.

    The first of `topics` is the prompt's main topic: its stage is the prompt's stage.
    """

    id: str  # stable kebab-case; never reused for another prompt
    title: str
    body: str
    difficulty: Difficulty
    topics: tuple[str, ...]
    hint: str | None = None
    example: str | None = None
    follow_up: str | None = None
