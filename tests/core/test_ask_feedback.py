"""Answers' feedback through the real router: buttons, ratings per entry, stats, kept texts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import FixedClock
from bot.core.commands import CommandTable
from bot.core.dispatcher import Dispatcher
from bot.core.general.about import AboutService
from bot.core.general.commands import ABOUT, config_group
from bot.core.general.settings import SettingsOverview
from bot.core.knowledge import Fact, KnowledgeBase
from bot.core.messages import Incoming, Platform, Reply
from bot.core.ports import SearchHit
from bot.core.roadmap.ask import AskService, keepable_text
from bot.core.roadmap.commands import ASK, CONFIG_ASK
from bot.core.roadmap.feedback import KEPT_TEXT_RETENTION, RECORD_RETENTION, AskFeedback
from bot.core.roadmap.qa import QuestionAnswerer
from bot.core.router import Router
from tests.core.small_kb import small_kb
from tests.fakes import (
    FakeAskLog,
    FakeEventLog,
    FakeKnowledgeIndex,
    FakeSpaceRepository,
    make_actor,
)

NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
TABLE = CommandTable([ASK, ABOUT, config_group(CONFIG_ASK)])
JOINS = Fact("sql-joins", "A join combines rows of two tables.", ("databases",), ("a",))


class JoinsIndex(FakeKnowledgeIndex):
    """Finds the joins fact for questions about joins; topics by name as the fake does."""

    def search(self, text: str, *, context: str = "", limit: int = 5) -> list[SearchHit]:
        if "join" in text.casefold():
            return [SearchHit("fact", "sql-joins", 9.0, 0.9, 6.0, 0.0)]
        return []


@pytest.fixture
def kb() -> KnowledgeBase:
    return replace(small_kb(), facts=(JOINS,))


@pytest.fixture
def records() -> FakeAskLog:
    return FakeAskLog()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def dispatcher(kb: KnowledgeBase, records: FakeAskLog, clock: FixedClock) -> Dispatcher:
    ask = AskService(QuestionAnswerer(kb, JoinsIndex(kb)), records, clock)
    feedback = AskFeedback(records, kb, clock)
    handlers = {
        "ask question": ask.handle,
        "ask feedback": feedback.rate,
        "ask stats": feedback.stats,
        "config ask": feedback.configure,
        "config show": SettingsOverview([feedback.section()]).handle,
        "about": AboutService("1.0", kb.sources, 7, [feedback.privacy]).handle,
    }
    return Dispatcher(Router(TABLE, handlers, ask.chat), FakeEventLog(), FakeSpaceRepository())


async def say(
    dispatcher: Dispatcher, text: str, user: str = "ada", moderator: bool = False
) -> Reply:
    actor = make_actor(user, moderator=moderator)
    reply = await dispatcher.handle(Incoming(actor, text))
    assert reply is not None
    return reply


def field(reply: Reply, name: str) -> str:
    return next(f.value for f in reply.fields if f.name == name)


def answer_id(reply: Reply) -> int:
    """Return the answer number both buttons carry (and check they are the pair)."""
    yes, no = reply.buttons
    assert yes.command is not None and no.command is not None
    assert yes.command.endswith(" yes") and no.command.endswith(" no")
    assert yes.command.removesuffix(" yes") == no.command.removesuffix(" no")
    return int(yes.command.split()[2])


async def test_an_answer_from_the_knowledge_base_has_helpful_buttons(
    dispatcher: Dispatcher, records: FakeAskLog
) -> None:
    reply = await say(dispatcher, "ask how do sql joins work?")
    number = answer_id(reply)
    [stored] = records.questions.values()
    assert number == 1
    assert stored.answered and stored.documents == ("fact:sql-joins",)
    assert stored.topics == ("databases",)
    assert stored.declined_text is None  # an answered question's words are never stored
    # Plain chat and `ask question` are recorded the same way.
    assert answer_id(await say(dispatcher, "what is git")) == 2
    assert answer_id(await say(dispatcher, "ask question joins please")) == 3


async def test_a_declined_question_has_no_buttons_and_is_counted(
    dispatcher: Dispatcher, records: FakeAskLog
) -> None:
    reply = await say(dispatcher, "how do I bake sourdough bread?")
    assert reply.buttons == ()
    [stored] = records.questions.values()
    assert not stored.answered and stored.documents == () and stored.topics == ()
    # A message without any words asks nothing and counts as nothing.
    assert (await say(dispatcher, "?!")).buttons == ()
    assert len(records.questions) == 1


async def test_a_rating_is_stored_for_the_answer_and_so_for_its_facts(
    dispatcher: Dispatcher, records: FakeAskLog
) -> None:
    number = answer_id(await say(dispatcher, "ask how do sql joins work?"))
    thanks = await say(dispatcher, f"ask feedback {number} no", user="bob")
    assert thanks.error is None and thanks.ephemeral
    await say(dispatcher, f"ask feedback {number} yes", user="cy")
    stats = await records.stats(Platform.CONSOLE, "space-1", NOW - timedelta(days=1), 5, 10)
    assert (stats.helpful, stats.rated) == (1, 2)
    [joins] = stats.documents
    assert (joins.document, joins.helpful, joins.unhelpful) == ("fact:sql-joins", 1, 1)


async def test_a_second_click_changes_the_rating_and_a_repeat_counts_once(
    dispatcher: Dispatcher, records: FakeAskLog
) -> None:
    number = answer_id(await say(dispatcher, "ask joins?"))
    await say(dispatcher, f"ask feedback {number} yes")
    await say(dispatcher, f"ask feedback {number} yes")
    assert len(records.ratings) == 1
    changed = await say(dispatcher, f"ask feedback {number} no")
    assert changed.error is None
    assert list(records.ratings.values()) == [False]


async def test_a_redelivered_click_is_handled_once(
    dispatcher: Dispatcher, records: FakeAskLog
) -> None:
    number = answer_id(await say(dispatcher, "ask joins?"))
    click = Incoming(make_actor("bob"), f"ask feedback {number} no", event_id="click-1")
    assert await dispatcher.handle(click) is not None
    assert await dispatcher.handle(replace(click, text=f"ask feedback {number} yes")) is None
    assert list(records.ratings.values()) == [False]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("ask feedback 99 yes", "bad_request"),  # no such answer
        ("/ask feedback abc yes", "usage"),
        ("/ask feedback 1 maybe", "usage"),
        ("/ask feedback 0 yes", "usage"),
    ],
)
async def test_bad_answer_ids_and_ratings_are_refused_and_change_nothing(
    dispatcher: Dispatcher, records: FakeAskLog, line: str, code: str
) -> None:
    answer_id(await say(dispatcher, "ask joins?"))
    reply = await say(dispatcher, line)
    assert reply.error == code
    assert records.ratings == {}


async def test_a_declined_answer_cannot_be_rated(
    dispatcher: Dispatcher, records: FakeAskLog
) -> None:
    await say(dispatcher, "tell me about sourdough")
    assert (await say(dispatcher, "ask feedback 1 yes")).error == "bad_request"
    assert records.ratings == {}


async def test_an_answer_of_another_community_cannot_be_rated(
    dispatcher: Dispatcher, records: FakeAskLog
) -> None:
    number = answer_id(await say(dispatcher, "ask joins?"))
    elsewhere = replace(make_actor("bob"), space_id="space-2")
    reply = await dispatcher.handle(Incoming(elsewhere, f"ask feedback {number} yes"))
    assert reply is not None and reply.error == "bad_request"
    assert records.ratings == {}


async def test_stats_are_for_moderators_only(dispatcher: Dispatcher) -> None:
    assert (await say(dispatcher, "ask stats")).error == "permission"
    assert (await say(dispatcher, "/ask stats month")).error == "permission"
    assert (await say(dispatcher, "config ask keep-declined:on")).error == "permission"


async def test_stats_show_counts_rate_and_topics_privately(
    dispatcher: Dispatcher, clock: FixedClock
) -> None:
    first = answer_id(await say(dispatcher, "ask how do joins work"))
    await say(dispatcher, "what is git")
    await say(dispatcher, "what is git?")
    await say(dispatcher, "plan me a trip to Lisbon")
    await say(dispatcher, f"ask feedback {first} yes", user="bob")
    await say(dispatcher, f"ask feedback {first} no", user="cy")
    await say(dispatcher, f"ask feedback {first} yes", user="dee")
    reply = await say(dispatcher, "ask stats", moderator=True)
    assert reply.ephemeral and reply.error is None
    assert (field(reply, "Questions"), field(reply, "Answered"), field(reply, "Declined")) == (
        "4", "3", "1",
    )  # fmt: skip
    assert field(reply, "Helpful rate").startswith("67% (2 of 3")
    topics = field(reply, "Most-asked topics").splitlines()
    assert topics[0].startswith("1. Git (2)") and topics[1].startswith("2. Databases (1)")
    assert "fact:sql-joins" in field(reply, "Rated not helpful")
    assert "Not kept" in field(reply, "Declined questions")
    # Eight days later the week is empty; the month still counts them.
    clock.advance(timedelta(days=8))
    week = await say(dispatcher, "ask stats week", moderator=True)
    assert field(week, "Questions") == "0" and field(week, "Helpful rate") == "no ratings yet"
    month = await say(dispatcher, "ask stats month", moderator=True)
    assert field(month, "Questions") == "4"


async def test_declined_texts_are_kept_only_when_the_community_turns_it_on(
    dispatcher: Dispatcher, records: FakeAskLog
) -> None:
    await say(dispatcher, "how do I bake sourdough bread?")
    saved = await say(dispatcher, "config ask keep-declined:on", moderator=True)
    assert saved.error is None and saved.ephemeral
    await say(dispatcher, "how do I bake bagels? mail me at ada@example.com <@123> http://x.io")
    await say(dispatcher, "how do joins work?")  # answered: never kept
    kept = [q.declined_text for q in records.questions.values() if q.declined_text]
    assert len(kept) == 1
    assert "bagels" in kept[0]
    assert not any(bad in kept[0] for bad in ("@", "example.com", "http", "<", "123"))
    reply = await say(dispatcher, "ask stats", moderator=True)
    assert "bagels" in field(reply, "Declined questions")
    assert "sourdough" not in field(reply, "Declined questions")  # asked before it was on
    off = await say(dispatcher, "config ask off", moderator=True)
    assert off.error is None
    assert not any(q.declined_text for q in records.questions.values())
    await say(dispatcher, "how do I bake rye?")
    assert not any(q.declined_text for q in records.questions.values())


async def test_about_and_config_show_say_which_way_the_community_chose(
    dispatcher: Dispatcher,
) -> None:
    off = field(await say(dispatcher, "about"), "Privacy")
    await say(dispatcher, "config ask keep-declined:on", moderator=True)
    on = field(await say(dispatcher, "about"), "Privacy")
    assert "do not keep the text of your questions" in off
    assert "do not keep the text" not in on and f"{KEPT_TEXT_RETENTION.days} days" in on
    shown = await say(dispatcher, "config", moderator=True)
    assert "Keep declined questions: on" in field(shown, "Questions")
    assert (await say(dispatcher, "config ask", moderator=True)).error is None


async def test_question_words_that_name_a_subcommand_are_still_a_question(
    dispatcher: Dispatcher, records: FakeAskLog
) -> None:
    # "status" is close to `stats`, "feedback loops?" does not make `ask feedback`: unslashed,
    # both are questions for the Q&A, recorded like any other.
    lines = (
        "ask status of joins",
        "ask feedback loops?",
        "ask feedback joins",
        "ask stats on joins",
    )
    for line in lines:
        reply = await say(dispatcher, line, moderator=True)
        assert reply.error is None, line
    assert len(records.questions) == len(lines)
    # With a slash it is a command, and a wrong one says so.
    assert (await say(dispatcher, "/ask feedback loops?")).error == "usage"


async def test_prune_asks_for_the_retention_periods(kb: KnowledgeBase, clock: FixedClock) -> None:
    seen: list[tuple[datetime, datetime]] = []

    class Recording(FakeAskLog):
        async def prune(self, records_before: datetime, texts_before: datetime) -> int:
            seen.append((records_before, texts_before))
            return 0

    await AskFeedback(Recording(), kb, clock).prune()
    assert seen == [(NOW - RECORD_RETENTION, NOW - KEPT_TEXT_RETENTION)]


def test_kept_text_loses_links_addresses_names_and_phone_numbers() -> None:
    text = keepable_text(
        "call +49 170 1234567 or write bob@mail.example, see https://x.example/a @ada **bold**"
    )
    assert text.split() == ["call", "or", "write", "see", "bold"]


async def test_a_failing_log_still_answers_without_buttons(
    kb: KnowledgeBase, clock: FixedClock
) -> None:
    class Broken(FakeAskLog):
        async def record(self, question: object) -> int:  # type: ignore[override]
            raise OSError("database gone")

    ask = AskService(QuestionAnswerer(kb, JoinsIndex(kb)), Broken(), clock)
    reply = await ask.chat(make_actor(), "how do joins work?")
    assert "join" in reply.text.casefold() and reply.buttons == ()
