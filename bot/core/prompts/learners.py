"""`prompt`, `prompt hint|answer|answers`: today's prompt of a channel for its members."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.errors import BotError
from bot.core.messages import Actor, Field, Reply
from bot.core.ports import Clock
from bot.core.prompts.bank import Prompt
from bot.core.prompts.commands import ANSWER_LENGTH
from bot.core.prompts.display import next_text
from bot.core.prompts.library import PromptLibrary
from bot.core.prompts.lookup import prompt_channel
from bot.core.prompts.message import prompt_reply
from bot.core.prompts.ports import (
    PostRecord,
    PostState,
    PromptAnswerRepository,
    PromptChannel,
    PromptChannelRepository,
    PromptPost,
    PromptPostRepository,
    PromptThreads,
)
from bot.core.requests import Request
from bot.core.sanitize import quote_user_text

# Reports an answer as learning (the study job's hook): returns the streak in days, if known.
AnswerHook = Callable[[Actor, str | None], Awaitable[int | None]]


class NoPromptToday(BotError):
    """Nothing was posted in the channel today, so there is nothing to answer."""

    code = "no_prompt_today"


class AlreadyAnswered(BotError):
    """The member answered this prompt before; the first answer is the one kept."""

    code = "already_answered"


@dataclass(frozen=True, slots=True)
class Today:
    """A channel's post of its local today, with its prompt."""

    channel: PromptChannel
    post: PostRecord
    prompt: Prompt


class PromptLearning:
    """Show today's prompt and its hint, keep answers, list who answered."""

    def __init__(
        self,
        channels: PromptChannelRepository,
        posts: PromptPostRepository,
        answers: PromptAnswerRepository,
        prompts: PromptLibrary,
        clock: Clock,
        on_answer: AnswerHook | None = None,
        threads: PromptThreads | None = None,
    ) -> None:
        self._channels = channels
        self._posts = posts
        self._answers = answers
        self._prompts = prompts
        self._clock = clock
        self._on_answer = on_answer
        self._threads = threads  # a reply in a prompt's thread answers that post

    async def today(self, request: Request) -> Reply:
        """Show the channel's prompt of today, or when the next one comes."""
        channel = await prompt_channel(self._channels, request)
        found = await self._find_today(channel)
        if found is None:
            return Reply(
                title="No prompt posted here today",
                text="Come back for the next one.",
                fields=(Field("Next post", next_text(channel)),),
            )
        shown = prompt_reply(PromptPost(found.prompt, found.post.day))
        footer = "Answer with `prompt answer <your answer or a link>`"
        footer += "; `prompt hint` if you are stuck." if found.prompt.hint else "."
        return Reply(title=shown.title, text=f"{shown.text}\n\n{footer}", fields=shown.fields)

    async def hint(self, request: Request) -> Reply:
        """Reveal the hint of today's prompt to who asks."""
        found = await self._required_today(request)
        text = found.prompt.hint or "This prompt has no hint. Try a small example first."
        return Reply(title=f"Hint: {found.prompt.title}", text=text, ephemeral=True)

    async def answer(self, request: Request) -> Reply:
        """Keep the member's first answer to today's prompt; it counts for their streak once."""
        found = await self._required_today(request)
        actor = request.actor
        text = (request.text("text") or "").strip()[:ANSWER_LENGTH]
        # Without a platform event id (the console) every answer is its own message.
        source = request.event_id or f"console:{uuid.uuid4().hex}"
        added = await self._answers.add(
            found.post.id, actor.platform, actor.user_id, source, text, self._clock.now()
        )
        if not added:
            raise AlreadyAnswered(
                f"Your answer to {found.prompt.title} is recorded already; the first one counts.",
                hint="`prompt answers` shows who answered today.",
            )
        streak = await self._on_answer(actor, request.event_id) if self._on_answer else None
        fields = (Field("Streak", _days(streak)),) if streak is not None else ()
        return Reply(
            title="Answer recorded",
            text=f"Thanks! It counts as today's study for {found.prompt.title}.",
            fields=fields,
            ephemeral=True,
        )

    async def answers(self, request: Request) -> Reply:
        """List who answered today's prompt; members off the leaderboards are only counted."""
        found = await self._required_today(request)
        answerers = await self._answers.of_post(found.post.id)
        named = [quote_user_text(a.name, 40) or "someone" for a in answerers if not a.hidden]
        hidden = len(answerers) - len(named)
        lines = [", ".join(named)] if named else []
        if hidden:
            lines.append(f"and {hidden} member(s) who keep off the leaderboards")
        return Reply(
            title=f"Answers to {found.prompt.title}",
            text="\n".join(lines) or "Nobody has answered yet. Be the first: `prompt answer …`",
            fields=(Field("Answered", str(len(answerers)), inline=True),),
        )

    async def _find_today(self, channel: PromptChannel) -> Today | None:
        day = self._clock.now().astimezone(ZoneInfo(channel.schedule.timezone)).date()
        post = await self._posts.find(channel.id, day)
        if post is None or post.state is not PostState.POSTED:
            return None
        target = channel.target
        prompt = await self._prompts.get(target.platform, target.space_id, post.prompt_id)
        return None if prompt is None else Today(channel, post, prompt)

    async def _required_today(self, request: Request) -> Today:
        """Return the post a request is about: its thread's, else the channel's of today."""
        if request.thread_id is not None and self._threads is not None:
            in_thread = await self._thread_post(request, request.thread_id)
            if in_thread is not None:
                return in_thread
        channel = await prompt_channel(self._channels, request)
        found = await self._find_today(channel)
        if found is None:
            raise NoPromptToday(
                "No prompt has been posted in this channel today.",
                hint=f"The next one: {next_text(channel)}.",
            )
        return found

    async def _thread_post(self, request: Request, thread_id: str) -> Today | None:
        """Return the posted prompt whose answers thread this is (in the asker's community)."""
        actor = request.actor
        where = await self._threads.post_of(actor.platform, thread_id) if self._threads else None
        if where is None:
            return None
        channel = await self._channels.get(actor.platform, where.channel_id)
        if channel is None or channel.target.space_id != actor.space_id:
            return None
        post = await self._posts.find(channel.id, where.day)
        if post is None or post.state is not PostState.POSTED:
            return None
        target = channel.target
        prompt = await self._prompts.get(target.platform, target.space_id, post.prompt_id)
        return None if prompt is None else Today(channel, post, prompt)


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"
