"""A test-only form command, and a dispatcher whose handler records what it receives.

`demo` has a short text, a long text (a paragraph in the form), a choice and an integer, so
every surface shows that a form's text reaches the service as typed values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.catalog import COMMANDS
from bot.core.commands import Access, Argument, Command, CommandTable, Form
from bot.core.converters import Choice, Integer, Text
from bot.core.dispatcher import Dispatcher
from bot.core.general.help import HelpService
from bot.core.messages import Actor, Reply
from bot.core.requests import Request
from bot.core.router import Router
from tests.fakes import FakeEventLog, FakeSpaceRepository

DEMO = Command(
    "demo",
    "Try a form.",
    (
        Argument("title", "A short title.", Text(80), required=True),
        Argument("body", "The whole text.", Text(1500), required=True),
        Argument("level", "How hard it is.", Choice(("easy", "medium", "hard")), required=True),
        Argument("count", "How many.", Integer(1, 5)),
    ),
    form=Form(title="Try the demo", long=("body",)),
)
LOCKED = Command(
    "locked",
    "A form for moderators.",
    (Argument("note", "A note.", Text(100), required=True),),
    access=Access.MODERATOR,
    form=Form(),
)
TABLE = CommandTable([*COMMANDS, DEMO, LOCKED])
VALID = {"title": "Hash maps", "body": "Explain this: buckets.\nThen collisions.",
         "level": "Medium", "count": "3"}  # fmt: skip
TYPED = {"title": "Hash maps", "body": "Explain this: buckets.\nThen collisions.",
         "level": "medium", "count": 3}  # fmt: skip


@dataclass
class Recorder:
    """What the demo's handler received, one entry per run."""

    runs: list[Request] = field(default_factory=list)

    @property
    def values(self) -> list[dict[str, object]]:
        """Return the typed values of each run."""
        return [dict(r.values) for r in self.runs]


def demo_dispatcher() -> tuple[Dispatcher, Recorder]:
    """Return a dispatcher over TABLE whose form commands record their requests."""
    recorder = Recorder()

    async def record(request: Request) -> Reply:
        recorder.runs.append(request)
        return Reply(text=f"saved {request.values.get('title') or request.values.get('note')}")

    async def other(request: Request) -> Reply:
        return Reply(text="other")

    async def chat(actor: Actor, text: str) -> Reply:
        return Reply(text="chat")

    handlers = {path.key: other for path in TABLE.runnable()}
    handlers |= {"demo": record, "locked": record, "help": HelpService(TABLE).handle}
    router = Router(TABLE, handlers, chat)
    return Dispatcher(router, FakeEventLog(), FakeSpaceRepository()), recorder
