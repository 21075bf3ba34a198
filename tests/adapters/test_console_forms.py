"""Forms where there are none: the console runs a form command from `key:value` words."""

from __future__ import annotations

from bot.adapters.console import ConsoleAdapter, console_actor
from tests.forms_demo import TYPED, demo_dispatcher


async def test_a_form_command_runs_from_key_value_words() -> None:
    dispatcher, recorded = demo_dispatcher()
    adapter = ConsoleAdapter(dispatcher.handle, console_actor("ada"))
    line = "demo title:Hash maps body:Explain this: buckets. level:Medium count:3"
    reply = await adapter.ask(line)
    assert reply is not None and reply.text == "saved Hash maps", reply
    assert recorded.values == [TYPED | {"body": "Explain this: buckets."}]


async def test_a_form_command_without_its_arguments_says_how_to_name_them() -> None:
    dispatcher, recorded = demo_dispatcher()
    adapter = ConsoleAdapter(dispatcher.handle, console_actor("ada"))
    missing = await adapter.ask("demo")
    assert missing is not None and (missing.error, missing.argument) == ("usage", "title")
    explained = await adapter.ask("help demo")
    assert explained is not None
    form = next(f.value for f in explained.fields if f.name == "Form")
    assert "`demo title:… body:… level:… count:…`" in form
    assert recorded.runs == []
