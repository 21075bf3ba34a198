"""A community's prompts: the bank, its moderators' own prompts, minus what it retired.

Read from the database on every use, so two processes (and a moderator's change a moment
ago) always agree on the pool; nothing here is cached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final, Protocol

from bot.core.messages import Platform
from bot.core.prompts.bank import Prompt

# Custom prompt ids are `custom-<n>`, numbered per community; the bank may not use the prefix
# (its loader refuses it), so a custom id can never collide with a bank id.
CUSTOM_PREFIX: Final = "custom-"


def custom_id(number: int) -> str:
    """Return the id of a community's custom prompt number."""
    return f"{CUSTOM_PREFIX}{number}"


class CustomState(StrEnum):
    """Where a moderator's or member's prompt stands in review."""

    PENDING = "pending"  # a member's suggestion, waiting for a moderator
    ACTIVE = "active"  # in the rotation (unless retired, which is kept apart)
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote or decided a prompt, as the platform named them then."""

    user_id: str
    name: str


@dataclass(frozen=True, slots=True)
class CustomPrompt:
    """A prompt written in a community, with its review state."""

    prompt: Prompt
    state: CustomState
    author: Author
    created_at: datetime
    decided_by: str | None = None


@dataclass(frozen=True, slots=True)
class Rotation:
    """What a community's channels choose from: every prompt, and the ids taken out."""

    prompts: tuple[Prompt, ...]  # the bank, then the community's active custom prompts
    retired: frozenset[str] = frozenset()
    by_id: Mapping[str, Prompt] = field(default_factory=dict)


class CustomPromptRepository(Protocol):
    """A community's own prompts and retirements, as stored (custom_prompts, retirements)."""

    async def active(self, platform: Platform, space_id: str) -> list[Prompt]:
        """Return the community's active custom prompts, oldest first."""
        ...

    async def retired(self, platform: Platform, space_id: str) -> frozenset[str]:
        """Return the ids the community took out of its rotation."""
        ...

    async def find(self, platform: Platform, space_id: str, prompt_id: str) -> CustomPrompt | None:
        """Return one custom prompt of the community, in any state."""
        ...

    async def add(
        self,
        platform: Platform,
        space_id: str,
        draft: Prompt,
        state: CustomState,
        author: Author,
        now: datetime,
    ) -> Prompt:
        """Store draft under a new `custom-<n>` id of the community; return it with that id."""
        ...

    async def pending(self, platform: Platform, space_id: str) -> list[CustomPrompt]:
        """Return the community's suggestions waiting for a moderator, oldest first."""
        ...

    async def pending_by(self, platform: Platform, space_id: str, user_id: str) -> int:
        """Return how many suggestions of one member wait for a moderator."""
        ...

    async def decide(
        self,
        platform: Platform,
        space_id: str,
        prompt_id: str,
        state: CustomState,
        decided_by: str,
        now: datetime,
    ) -> bool:
        """Set a pending suggestion's state; False when it was not pending (decided already)."""
        ...

    async def retire(
        self, platform: Platform, space_id: str, prompt_id: str, now: datetime
    ) -> bool:
        """Take an id out of the community's rotation; False when it was out already."""
        ...

    async def restore(self, platform: Platform, space_id: str, prompt_id: str) -> bool:
        """Put a retired id back in the rotation; False when it was not retired."""
        ...


class PromptLibrary:
    """The bank (loaded once) and each community's own prompts (read every time)."""

    def __init__(self, bank: Sequence[Prompt], custom: CustomPromptRepository) -> None:
        self.bank = tuple(bank)
        self._bank_by_id = {prompt.id: prompt for prompt in self.bank}
        self.custom = custom

    async def rotation(self, platform: Platform, space_id: str) -> Rotation:
        """Return the community's pool as stored now: bank + active custom, and its retired ids."""
        own = await self.custom.active(platform, space_id)
        retired = await self.custom.retired(platform, space_id)
        prompts = (*self.bank, *own)
        return Rotation(prompts, retired, {prompt.id: prompt for prompt in prompts})

    async def get(self, platform: Platform, space_id: str, prompt_id: str | None) -> Prompt | None:
        """Return a prompt of the bank or of the community (any state: history shows it)."""
        if not prompt_id:
            return None
        if prompt_id in self._bank_by_id:
            return self._bank_by_id[prompt_id]
        if not prompt_id.startswith(CUSTOM_PREFIX):
            return None
        found = await self.custom.find(platform, space_id, prompt_id)
        return found.prompt if found is not None else None
