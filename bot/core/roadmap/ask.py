"""Plain chat and the ask command: roadmap questions answered by the Q&A service."""

from __future__ import annotations

from bot.core.messages import Actor, Reply
from bot.core.requests import Request
from bot.core.roadmap.qa import QuestionAnswerer


class AskService:
    """Answer roadmap questions typed as `ask ...`, as plain text, or as a mention."""

    def __init__(self, answerer: QuestionAnswerer) -> None:
        self._answerer = answerer

    async def handle(self, request: Request) -> Reply:
        """Answer `ask <question>`."""
        return await self.chat(request.actor, request.text("question") or "")

    async def chat(self, actor: Actor, text: str) -> Reply:
        """Answer a plain message."""
        return Reply(text=self._answerer.answer(text).text)
