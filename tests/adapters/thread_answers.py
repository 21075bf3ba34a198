"""What the thread-answer tests of both platforms share: a `prompt answer` table, known threads."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.core.commands import Argument, Command, CommandTable
from bot.core.dispatcher import Dispatcher
from bot.core.messages import Actor, Platform, Reply
from bot.core.requests import Request
from bot.core.router import Router
from tests.fakes import FakeEventLog, FakeSpaceRepository

# The shape the prompts job's `prompt answer` has: a group, a subcommand, the text last.
ANSWER = Command(
    "answer", "Answer today's prompt", (Argument("text", "your answer", required=True, rest=True),)
)
TABLE = CommandTable([Command("prompt", "Daily prompts", subcommands=(ANSWER,))])


@dataclass
class KnownThreads:
    """The PromptThreads port over a set of (platform, thread id)."""

    threads: set[tuple[Platform, str]] = field(default_factory=set)
    asked: list[tuple[Platform, str]] = field(default_factory=list)
    questions: asyncio.Queue[str] = field(default_factory=asyncio.Queue)

    async def is_prompt_thread(self, platform: Platform, thread_id: str) -> bool:
        # No await after the question is queued: once a test reads it, the caller has its
        # answer in the same step and acts on it before the test runs again.
        self.asked.append((platform, thread_id))
        self.questions.put_nowait(thread_id)
        return (platform, thread_id) in self.threads

    async def next_question(self) -> str:
        return await asyncio.wait_for(self.questions.get(), 5)


@dataclass
class Answers:
    """The requests `prompt answer` received and the chat lines, each also as a queue."""

    threads: KnownThreads = field(default_factory=KnownThreads)
    requests: asyncio.Queue[Request] = field(default_factory=asyncio.Queue)
    chats: asyncio.Queue[str] = field(default_factory=asyncio.Queue)

    def dispatcher(self) -> Dispatcher:
        async def answer(request: Request) -> Reply:
            await self.requests.put(request)
            return Reply(text="Answer recorded.", ephemeral=True)

        async def chat(actor: Actor, text: str) -> Reply:
            await self.chats.put(text)
            return Reply(text="chat")

        router = Router(TABLE, {"prompt answer": answer}, chat)
        return Dispatcher(router, FakeEventLog(), FakeSpaceRepository())

    async def next_request(self) -> Request:
        return await asyncio.wait_for(self.requests.get(), 5)

    async def next_chat(self) -> str:
        return await asyncio.wait_for(self.chats.get(), 5)
