"""Plain chat that is not a command (the roadmap Q&A takes this over)."""

from __future__ import annotations

from bot.core.messages import Actor, Reply


async def point_to_help(actor: Actor, text: str) -> Reply:
    """Answer free text with a friendly pointer to the commands."""
    return Reply(
        text="I can't answer free-form questions yet. Type `help` to see what I can do.",
    )
