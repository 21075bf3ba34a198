"""A prompt as a neutral Reply, for publishers that have no richer way to show it."""

from __future__ import annotations

from bot.core.messages import Field, Reply
from bot.core.prompts.ports import PromptPost


def prompt_reply(post: PromptPost) -> Reply:
    """Return the day's prompt as a reply: title, body, difficulty, topics; the hint held back."""
    prompt = post.prompt
    fields = [
        Field("Difficulty", prompt.difficulty, inline=True),
        Field("Topics", ", ".join(prompt.topics), inline=True),
    ]
    if prompt.example:
        fields.append(Field("Example", prompt.example))
    if prompt.hint:
        # Shown only to who asks for it (a spoiler or a button, later): it would give it away.
        fields.append(Field("Hint", "hidden: ask for it once you have tried"))
    return Reply(
        title=f"Daily prompt, {post.day.isoformat()}: {prompt.title}",
        text=prompt.body,
        fields=tuple(fields),
    )
