"""Plain chat and `ask`: roadmap questions answered by the Q&A, each outcome recorded."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from bot.core.messages import Actor, Button, Reply
from bot.core.ports import Clock
from bot.core.requests import Request
from bot.core.roadmap.ports import AskedQuestion, AskLog
from bot.core.roadmap.qa import Answer, QuestionAnswerer
from bot.core.sanitize import quote_user_text

log = logging.getLogger(__name__)

KEPT_TEXT_LIMIT = 300  # characters of a kept declined question; enough to see what was asked
HELPFUL = "Helpful"
NOT_HELPFUL = "Not helpful"
# What a kept question must never hold: links, e-mail addresses, @names, phone numbers
# (nine digits or more).
_PERSONAL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\S+|@\S+|\+?\d(?:[ ().-]?\d){8,}")


def keepable_text(text: str) -> str:
    """Return a declined question as it may be kept: no links, addresses, names or markup."""
    return quote_user_text(_PERSONAL.sub(" ", text), KEPT_TEXT_LIMIT)


def feedback_buttons(answer_id: int) -> tuple[Button, Button]:
    """Return the Helpful / Not helpful buttons of one recorded answer."""
    return (
        Button(HELPFUL, command=f"ask feedback {answer_id} yes"),
        Button(NOT_HELPFUL, command=f"ask feedback {answer_id} no"),
    )


class AskService:
    """Answer roadmap questions typed as `ask ...`, as plain text, or as a mention.

    With a log, each question's outcome is recorded for the community's `ask stats`, and an
    answer from the knowledge base carries Helpful / Not helpful buttons naming its record.
    """

    def __init__(
        self, answerer: QuestionAnswerer, records: AskLog | None = None, clock: Clock | None = None
    ) -> None:
        if (records is None) != (clock is None):
            raise ValueError("a log of questions needs a clock, and a clock a log")
        self._answerer = answerer
        self._records = records
        self._clock = clock

    async def handle(self, request: Request) -> Reply:
        """Answer `ask <question>`."""
        return await self.chat(request.actor, request.text("question") or "")

    async def chat(self, actor: Actor, text: str) -> Reply:
        """Answer a plain message."""
        answer = self._answerer.answer(text)
        reply = Reply(text=answer.text)
        if not any(ch.isalnum() for ch in text):
            return reply  # nothing was asked: no outcome to count
        try:
            answer_id = await self._record(actor, text, answer)
        except Exception as error:  # the answer matters more than counting it
            log.warning("question outcome not recorded (%s)", type(error).__name__)
            return reply
        if answer_id is None or not answer.confident:
            return reply
        return replace(reply, buttons=feedback_buttons(answer_id))

    async def _record(self, actor: Actor, text: str, answer: Answer) -> int | None:
        """Store what the question came to; return its answer id (None without a log)."""
        if self._records is None or self._clock is None:
            return None
        confident = answer.confident
        question = AskedQuestion(
            actor.platform,
            actor.space_id,
            actor.user_id,
            self._clock.now(),
            confident,
            answer.documents if confident else (),
            answer.topics if confident else (),
            None if confident else (keepable_text(text) or None),
        )
        return await self._records.record(question)
