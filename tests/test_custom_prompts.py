"""Moderators' own prompts, retiring and members' suggestions, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.adapters.console import CONSOLE_REFERENCES
from bot.app import open_bot
from bot.config import Settings, load_settings
from bot.core.clock import FixedClock
from bot.core.messages import Actor, Incoming, Platform, Reply
from bot.core.ports import MemberKey, Reach
from bot.core.prompts.bank import BODY_LIMIT, HINT_LIMIT, TITLE_LIMIT
from bot.core.prompts.library import PromptLibrary
from bot.core.prompts.selection import PromptFilter, pool
from bot.storage.db import create_sessionmaker
from bot.storage.prompts.custom import SqlCustomPrompts
from bot.storage.tables import CustomPromptRow, PromptPostRow, PromptRetirementRow
from tests.storage.prompt_kit import ScriptedPublisher
from tests.test_prompt_commands import DUE, SETUP, Community, community_bank
from tests.test_prompt_commands import field as shown


def add(title: str = "Count the rows") -> str:
    """Return a moderator's `prompt add` line, to finish with its topics."""
    return f"prompt add title:{title} body:How many rows has each table? difficulty:easy"


def suggest(title: str = "Undo a commit") -> str:
    """Return a member's `prompt suggest` line, to finish with its topics."""
    return f"prompt suggest title:{title} body:You committed to main. difficulty:medium"


MEMBER = {"user": "bea", "moderator": False}


@dataclass
class Told:
    """What the moderators and members were told outside a reply."""

    moderators: list[Reply] = field(default_factory=list)
    dms: list[tuple[str, Reply]] = field(default_factory=list)

    async def tell_moderators(self, space_id: str, channel_id: str, reply: Reply) -> bool:
        self.moderators.append(reply)
        return True

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        raise AssertionError("nothing is posted in a channel here")

    async def direct(self, key: MemberKey, reply: Reply, *, space_id: str | None = None) -> None:
        self.dms.append((key.user_id, reply))


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    return load_settings(database_url=database_url, data_dir=tmp_path / "data")


@dataclass
class Place(Community):
    """A console community whose moderators and members can be told things privately."""

    told: Told = field(default_factory=Told)

    async def in_space(self, space: str, text: str) -> Reply:
        actor = Actor(Platform.CONSOLE, space, "study", "mod", "mod", is_moderator=True)
        reply = await self.bot.dispatcher.handle(Incoming(actor, text, None, CONSOLE_REFERENCES))
        assert reply is not None
        return reply

    def library(self) -> PromptLibrary:
        bank = community_bank(self)
        return PromptLibrary(bank, SqlCustomPrompts(create_sessionmaker(self.bot.engine)))


@pytest_asyncio.fixture(loop_scope="function")
async def place(settings: Settings) -> AsyncIterator[Place]:
    clock, publisher, told = FixedClock(DUE - timedelta(hours=1)), ScriptedPublisher(), Told()
    reach = Reach(notifiers={Platform.CONSOLE: told}, moderators={Platform.CONSOLE: told})
    async with open_bot(
        settings, clock, reach=reach, prompt_publishers={Platform.CONSOLE: publisher}
    ) as bot:
        yield Place(bot, clock, publisher, told)


async def test_an_added_prompt_joins_the_rotation_at_once(place: Place) -> None:
    await place.ok(SETUP + " topics:containers")
    bank = pool(community_bank(place), PromptFilter(topics=frozenset({"containers"})))
    before = shown(await place.ok("prompt status"), "#study")
    assert f"prompts left this cycle: {len(bank)} of {len(bank)}" in before

    added = await place.ok(add() + " topics:containers,sql hint:SELECT count(*)")
    assert shown(added, "Id") == "custom-1"
    (row,) = await place.rows(CustomPromptRow)
    assert (row["prompt_id"], row["status"], row["space_id"]) == ("custom-1", "active", "local")
    assert (row["difficulty"], row["hint"], row["author_id"]) == ("easy", "SELECT count(*)", "mod")
    assert set(row["topics"].split(",")) == {"containers", "sql-databases"}
    after = shown(await place.ok("prompt status"), "#study")
    assert f"prompts left this cycle: {len(bank) + 1} of {len(bank) + 1}" in after

    # With every bank prompt of the channel retired, the preview shows the community's own.
    for prompt in bank:
        await place.ok(f"prompt retire {prompt.id}")
    preview = shown(await place.ok("prompt preview"), "#study")
    assert "Count the rows (`custom-1`)" in preview
    await place.ok("prompt post-now")
    (posted,) = place.publisher.calls
    assert posted.prompt_id == "custom-1"
    assert (await place.ok("prompt", **MEMBER)).title is not None
    history = await place.ok("prompt history", **MEMBER)
    assert "Count the rows (`custom-1`)" in history.text
    # The next one is numbered on: custom-2, never a bank id.
    assert shown(await place.ok(add("Count again") + " topics:git"), "Id") == "custom-2"


async def test_another_community_neither_sees_nor_retires_these_prompts(place: Place) -> None:
    await place.ok(add() + " topics:sql")
    await place.ok("prompt retire sql-top-customers")
    assert (await place.in_space("elsewhere", "prompt retire custom-1")).error == "unknown_prompt"
    library = place.library()
    here = await library.rotation(Platform.CONSOLE, "local")
    there = await library.rotation(Platform.CONSOLE, "elsewhere")
    assert "custom-1" in here.by_id and "custom-1" not in there.by_id
    assert (here.retired, there.retired) == (frozenset({"sql-top-customers"}), frozenset())
    assert await place.count(PromptRetirementRow) == 1


@pytest.mark.parametrize(
    ("line", "error", "argument"),
    [
        ("prompt add body:b difficulty:easy topics:sql", "usage", "title"),
        ("prompt add title:t difficulty:easy topics:sql", "usage", "body"),
        (f"prompt add title:{'t' * (TITLE_LIMIT + 1)} body:b difficulty:easy topics:sql",
         "usage", "title"),
        (f"prompt add title:t body:{'b' * (BODY_LIMIT + 1)} difficulty:easy topics:sql",
         "usage", "body"),
        (f"prompt add title:t body:b difficulty:easy topics:sql hint:{'h' * (HINT_LIMIT + 1)}",
         "usage", "hint"),
        ("prompt add title:t body:b difficulty:extreme topics:sql", "usage", "difficulty"),
        ("prompt add title:t body:b topics:sql", "usage", "difficulty"),
        ("prompt add title:t body:b difficulty:easy topics:sql,marsupials", "unknown_topic", None),
        ("prompt add title:t body:b difficulty:easy topics:any", "usage", "topics"),
        ("prompt add title:t body:b difficulty:easy", "usage", "topics"),
        ("prompt add title:t body:ping @everyone now difficulty:easy topics:sql", "usage", "body"),
        ("prompt add title:hi <!here> body:b difficulty:easy topics:sql", "usage", "title"),
        ("prompt suggest title:t body:b difficulty:hard topics:sql hint:@here", "usage", "hint"),
    ],
)  # fmt: skip
async def test_a_bad_field_is_a_usage_error_and_nothing_is_saved(
    place: Place, line: str, error: str, argument: str | None
) -> None:
    reply = await place.say(line)
    assert reply.error == error, reply
    if argument is not None:
        assert reply.argument == argument
    assert "everyone" not in reply.text and "<!here>" not in reply.text
    assert await place.count(CustomPromptRow) == 0
    assert place.told.moderators == []


async def test_members_are_refused_before_their_arguments_are_read(place: Place) -> None:
    for line in (
        add() + " topics:sql",
        "prompt add difficulty:extreme",  # a bad value still reads as "not for you"
        "prompt retire sql-top-customers",
        "prompt restore sql-top-customers",
        "prompt approve custom-1",
        "prompt reject custom-1 no",
        "prompt suggestions",
    ):
        assert (await place.say(line, **MEMBER)).error == "permission", line
    assert await place.count(CustomPromptRow) == 0
    assert await place.count(PromptRetirementRow) == 0


async def test_retire_and_restore_a_bank_prompt(place: Place) -> None:
    retired = await place.ok("prompt retire sql-top-customers")
    assert "prompt restore sql-top-customers" in retired.text  # reversible: the reply says how
    again = await place.say("prompt retire sql-top-customers")
    assert again.error == "nothing_changed"
    assert await place.count(PromptRetirementRow) == 1

    unknown = await place.say("prompt retire no-such-prompt")
    assert unknown.error == "unknown_prompt"
    assert "prompt history" in (unknown.text + str(unknown.fields))
    assert await place.count(PromptRetirementRow) == 1

    await place.ok("prompt restore sql-top-customers")
    assert await place.count(PromptRetirementRow) == 0
    assert (await place.say("prompt restore sql-top-customers")).error == "nothing_changed"


async def test_many_posts_never_choose_a_retired_prompt(place: Place) -> None:
    await place.ok(SETUP + " topics:containers")
    await place.ok(add() + " topics:containers")
    await place.ok(add("Count again") + " topics:containers")
    ids = sorted(p.id for p in pool(community_bank(place),
                                    PromptFilter(topics=frozenset({"containers"}))))  # fmt: skip
    ids += ["custom-1", "custom-2"]
    retired = set(ids[::2])  # every other one, bank and custom alike
    for prompt_id in retired:
        await place.ok(f"prompt retire {prompt_id}")
    days = 3 * (len(ids) - len(retired))  # three whole cycles of what is left
    place.clock.advance(timedelta(hours=1))
    for _ in range(days):
        assert await place.tick() == 1
        place.clock.advance(timedelta(days=1))
    posted = [row["prompt_id"] for row in await place.rows(PromptPostRow)]
    assert len(posted) == days
    assert not retired.intersection(posted)
    assert set(posted) == set(ids) - retired  # every prompt left is used, each cycle


async def test_a_suggestion_waits_for_a_moderator_who_approves_it_once(place: Place) -> None:
    thanks = await place.ok(suggest() + " topics:git hint:git reset", **MEMBER)
    assert "custom-1" in thanks.text
    (row,) = await place.rows(CustomPromptRow)
    assert (row["prompt_id"], row["status"], row["author_id"]) == ("custom-1", "pending", "bea")
    (notice,) = place.told.moderators
    assert [(b.label, b.command) for b in notice.buttons] == [
        ("Approve", "prompt approve custom-1"),
        ("Reject", "prompt reject custom-1"),
    ]
    assert "Undo a commit" in notice.text
    listed = await place.ok("prompt suggestions")
    assert [f.name for f in listed.fields] == ["custom-1 by bea"]
    # Pending is not in the rotation, and cannot be retired.
    assert "custom-1" not in (await place.library().rotation(Platform.CONSOLE, "local")).by_id
    assert (await place.say("prompt retire custom-1")).error == "unknown_prompt"

    # A member clicking Approve runs the same command line: refused.
    assert (await place.say(notice.buttons[0].command or "", **MEMBER)).error == "permission"
    await place.ok(notice.buttons[0].command or "")
    (row,) = await place.rows(CustomPromptRow)
    assert (row["status"], row["decided_by"]) == ("active", "mod")
    assert "custom-1" in (await place.library().rotation(Platform.CONSOLE, "local")).by_id
    ((who, outcome),) = place.told.dms
    assert who == "bea" and "approved" in (outcome.title or "")

    twice = await place.say("prompt approve custom-1")
    assert twice.error == "already_decided" and "approved already" in twice.text
    assert (await place.say("prompt reject custom-1")).error == "already_decided"
    (row,) = await place.rows(CustomPromptRow)
    assert row["status"] == "active"
    assert len(place.told.dms) == 1
    assert (await place.ok("prompt suggestions")).fields == ()


async def test_a_rejected_suggestion_is_told_with_the_reason_and_never_posted(
    place: Place,
) -> None:
    await place.ok(suggest() + " topics:git", **MEMBER)
    await place.ok("prompt reject custom-1 we have one like it @everyone")
    (row,) = await place.rows(CustomPromptRow)
    assert row["status"] == "rejected"
    ((who, outcome),) = place.told.dms
    assert who == "bea" and "we have one like it" in outcome.text
    assert "@everyone" not in outcome.text
    assert (await place.say("prompt approve custom-1")).error == "already_decided"
    assert (await place.say("prompt approve custom-9")).error == "unknown_prompt"
    assert "custom-1" not in (await place.library().rotation(Platform.CONSOLE, "local")).by_id


async def test_a_member_may_have_five_suggestions_waiting(place: Place) -> None:
    for number in range(5):
        await place.ok(suggest(f"Undo commit {number}") + " topics:git", **MEMBER)
    refused = await place.say(suggest() + " topics:git", **MEMBER)
    assert refused.error == "too_many_suggestions"
    assert await place.count(CustomPromptRow) == 5
    assert len(place.told.moderators) == 5
    await place.ok("prompt approve custom-1")
    await place.ok(suggest("Undo again") + " topics:git", **MEMBER)  # one was decided: room again
    assert await place.count(CustomPromptRow) == 6
