"""Mentor profiles: signup, edit, profile, pause, resume, leave, block, on in-memory ports."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.adapters.console import CONSOLE_REFERENCES
from bot.core.clock import FixedClock
from bot.core.errors import BotError, UsageError
from bot.core.members import member_key
from bot.core.mentoring.availability import parse_availability
from bot.core.mentoring.blocks import MentorBlockDesk
from bot.core.mentoring.ports import DEFAULT_CAPACITY, MentorKey
from bot.core.mentoring.profiles import FOREVER, MentorDesk, profile_handlers
from bot.core.messages import Actor, Platform, Reply
from bot.core.ports import Space
from bot.core.topics import TopicResolver
from tests.core.small_kb import small_kb
from tests.fakes import (
    FakeKnowledgeIndex,
    FakeMemberRepository,
    FakeSpaceRepository,
    make_actor,
    request,
)
from tests.mentoring_fakes import FakeHandback, FakeMentorBlocks, FakeMentorProfiles

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # a Tuesday
KB = small_kb()
SIGNUP = (
    "mentor signup topics:git,databases experience:web hours:Mon-Thu 18:00-20:00, Sat 10:00-12:00"
)


class Kit:
    """A desk on fakes, with a console community whose default timezone is Berlin."""

    def __init__(self) -> None:
        self.profiles = FakeMentorProfiles()
        self.blocks = FakeMentorBlocks()
        self.handback = FakeHandback()
        self.members = FakeMemberRepository()
        self.spaces = FakeSpaceRepository()
        self.spaces.spaces[(Platform.CONSOLE, "space-1")] = Space(
            Platform.CONSOLE, "space-1", "Test space", "Europe/Berlin"
        )
        self.clock = FixedClock(NOW)
        desk = MentorDesk(self.profiles, self.handback, KB, self.members, self.spaces, self.clock)
        self.handlers = profile_handlers(desk, MentorBlockDesk(self.blocks))
        self.resolve = TopicResolver(KB, FakeKnowledgeIndex(KB)).resolve

    async def say(self, line: str, actor: Actor | None = None) -> Reply:
        actor = actor or make_actor()
        typed = request(actor, line, topic=self.resolve, references=CONSOLE_REFERENCES)
        return await self.handlers[" ".join(typed.path)](typed)


ADA = MentorKey(Platform.CONSOLE, "space-1", "ada")


async def test_signup_stores_the_checked_profile_and_answers_privately() -> None:
    kit = Kit()
    reply = await kit.say(SIGNUP + " intro:Backend dev @everyone")
    profile = kit.profiles.profiles[ADA]
    assert profile.topics == {"git", "databases"}
    assert profile.level == 1  # "web" is the second stage
    assert profile.timezone == "Europe/Berlin"  # the community's, as nothing else is set
    assert profile.capacity == DEFAULT_CAPACITY
    assert profile.joined_at == NOW
    assert parse_availability(profile.hours, profile.timezone).windows
    assert reply.ephemeral
    shown = " ".join(f.value for f in reply.fields)
    assert "@everyone" not in shown and "Backend dev" in shown  # the intro, sanitised


async def test_the_saved_timezone_wins_over_the_community_and_an_option_over_both() -> None:
    kit = Kit()
    await kit.members.set_timezone(member_key(make_actor()), "Ada", "Asia/Tokyo")
    await kit.say(SIGNUP)
    assert kit.profiles.profiles[ADA].timezone == "Asia/Tokyo"
    await kit.say(SIGNUP + " timezone:America/Chicago", make_actor("bob"))
    assert kit.profiles.profiles[MentorKey(Platform.CONSOLE, "space-1", "bob")].timezone == (
        "America/Chicago"
    )


async def test_signup_without_any_timezone_is_refused() -> None:
    kit = Kit()
    kit.spaces.spaces.clear()
    with pytest.raises(UsageError) as refused:
        await kit.say(SIGNUP)
    assert refused.value.argument == "timezone"
    assert kit.profiles.profiles == {}


@pytest.mark.parametrize(
    ("change", "argument"),
    [
        ("hours:Mon 25:00-26:00", "hours"),
        ("hours:Funday 18:00-20:00", "hours"),
        ("hours:Mon <@everyone> 18:00-20:00", "hours"),
        ("experience:wizard", "experience"),
        ("topics:any", "topics"),
        ("capacity:0", "capacity"),
        ("capacity:9", "capacity"),
        ("intro:" + "x" * 301, "intro"),
    ],
)
async def test_bad_input_is_refused_naming_it_and_nothing_is_saved(
    change: str, argument: str
) -> None:
    kit = Kit()
    key = change.split(":", 1)[0]
    # The valid signup with the value of the same key replaced by the bad one.
    base = {
        "topics": "topics:git,databases",
        "experience": "experience:web",
        "hours": "hours:Mon-Thu 18:00-20:00, Sat 10:00-12:00",
    }
    parts = [v for k, v in base.items() if k != key]
    line = f"mentor signup {' '.join(parts)} {change}"
    with pytest.raises(UsageError) as refused:
        await kit.say(line)
    assert refused.value.argument == argument
    assert kit.profiles.profiles == {}


async def test_an_unknown_topic_is_refused_and_nothing_is_saved() -> None:
    kit = Kit()
    with pytest.raises(BotError) as refused:
        await kit.say("mentor signup topics:git,quantum experience:web hours:Mon 18:00-20:00")
    assert refused.value.code in ("unknown_topic", "usage")
    assert kit.profiles.profiles == {}


async def test_experience_reads_a_stage_id_title_or_number() -> None:
    for word, level in (("foundations", 0), ("The web", 1), ("2", 1), ("1", 0)):
        kit = Kit()
        await kit.say(f"mentor signup topics:git experience:{word} hours:Sat 10:00-12:00")
        assert kit.profiles.profiles[ADA].level == level, word


async def test_a_second_signup_is_refused_and_keeps_the_first() -> None:
    kit = Kit()
    await kit.say(SIGNUP)
    with pytest.raises(BotError) as refused:
        await kit.say("mentor signup topics:http experience:1 hours:Sat 10:00-12:00")
    assert refused.value.code == "already_mentor"
    assert kit.profiles.profiles[ADA].topics == {"git", "databases"}


async def test_edit_changes_only_what_is_given_and_keeps_the_pause() -> None:
    kit = Kit()
    await kit.say(SIGNUP + " intro:Hi")
    await kit.say("mentor pause")
    before = kit.profiles.profiles[ADA]
    reply = await kit.say("mentor edit capacity:4 timezone:Asia/Tokyo")
    after = kit.profiles.profiles[ADA]
    assert (after.capacity, after.timezone) == (4, "Asia/Tokyo")
    assert (after.topics, after.level, after.hours, after.intro) == (
        before.topics, before.level, before.hours, before.intro,
    )  # fmt: skip
    assert after.paused_until == FOREVER and reply.ephemeral


async def test_edit_refuses_bad_hours_nothing_given_and_a_non_mentor() -> None:
    kit = Kit()
    with pytest.raises(BotError) as refused:
        await kit.say("mentor edit capacity:3")
    assert refused.value.code == "not_mentor"
    await kit.say(SIGNUP)
    before = kit.profiles.profiles[ADA]
    with pytest.raises(UsageError) as bad:
        await kit.say("mentor edit hours:Mon 20:00-20:00 capacity:5")
    assert bad.value.argument == "hours"
    with pytest.raises(UsageError):
        await kit.say("mentor edit")
    assert kit.profiles.profiles[ADA] == before


async def test_profile_is_private_and_shows_hours_and_timezone() -> None:
    kit = Kit()
    await kit.say(SIGNUP)
    reply = await kit.say("mentor profile")
    assert reply.ephemeral
    values = {f.name: f.value for f in reply.fields}
    assert "Europe/Berlin" in values["Hours"] and "Mon-Thu" in values["Hours"]
    assert values["Experience"].startswith("2.")


async def test_pause_until_a_date_hands_pending_offers_back_only() -> None:
    kit = Kit()
    await kit.say(SIGNUP)
    reply = await kit.say("mentor pause until:2026-03-20")
    profile = kit.profiles.profiles[ADA]
    assert profile.paused_until == date(2026, 3, 19)  # paused through the day before
    assert profile.paused_on(date(2026, 3, 19)) and not profile.paused_on(date(2026, 3, 20))
    assert kit.handback.released == [(ADA, False)]
    assert reply.ephemeral and "2026-03-20" in reply.text


async def test_pause_without_a_date_lasts_until_resume() -> None:
    kit = Kit()
    await kit.say(SIGNUP)
    await kit.say("mentor pause")
    assert kit.profiles.profiles[ADA].paused_until == FOREVER
    await kit.say("mentor resume")
    assert kit.profiles.profiles[ADA].paused_until is None
    assert kit.handback.released == [(ADA, False)]  # resuming hands nothing back


@pytest.mark.parametrize("day", ["2026-03-09", "2026-03-10"])
async def test_a_pause_ending_today_or_earlier_is_refused(day: str) -> None:
    kit = Kit()
    await kit.say(SIGNUP)
    with pytest.raises(UsageError) as refused:
        await kit.say(f"mentor pause until:{day}")
    assert refused.value.argument == "until" and "mentor pause" in refused.value.usage
    assert kit.profiles.profiles[ADA].paused_until is None
    assert kit.handback.released == []


async def test_resume_clears_the_expiry_count_of_an_automatic_pause() -> None:
    kit = Kit()
    await kit.say(SIGNUP)
    for _ in range(3):
        await kit.profiles.count_expiry(ADA)
    await kit.profiles.set_pause(ADA, FOREVER, "3 offers expired in a row")
    reply = await kit.say("mentor profile")
    assert "3 offers expired" in {f.name: f.value for f in reply.fields}["Status"]
    await kit.say("mentor resume")
    assert kit.profiles.profiles[ADA].expired_in_row == 0
    assert kit.profiles.profiles[ADA].paused_reason is None


async def test_leave_asks_first_then_hands_everything_back_and_removes_the_profile() -> None:
    kit = Kit()
    await kit.say(SIGNUP)
    asked = await kit.say("mentor leave")
    assert ADA in kit.profiles.profiles and kit.handback.released == []
    (button,) = asked.buttons
    assert button.command == "mentor leave confirm"
    done = await kit.say(button.command)
    assert ADA not in kit.profiles.profiles
    assert kit.handback.released == [(ADA, True)]
    assert done.ephemeral


async def test_leaving_pauses_the_mentor_before_handing_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Paused, no other process can offer them a request after the hand-back withdrew theirs.
    kit = Kit()
    await kit.say(SIGNUP)
    paused_then: list[date | None] = []
    release = kit.handback.release

    async def checking(key: MentorKey, *, active_too: bool) -> int:
        paused_then.append(kit.profiles.profiles[key].paused_until)
        return await release(key, active_too=active_too)

    monkeypatch.setattr(kit.handback, "release", checking)
    await kit.say("mentor leave confirm")
    assert paused_then == [FOREVER]
    assert ADA not in kit.profiles.profiles


async def test_leave_when_not_a_mentor_changes_nothing() -> None:
    kit = Kit()
    with pytest.raises(BotError) as refused:
        await kit.say("mentor leave confirm")
    assert refused.value.code == "not_mentor"
    assert kit.handback.released == []


async def test_profiles_are_per_community() -> None:
    kit = Kit()
    await kit.say(SIGNUP)
    other = Actor(Platform.CONSOLE, "space-2", "c", "ada", "Ada", False, "Other")
    with pytest.raises(BotError):
        await kit.say("mentor profile", other)


async def test_block_and_unblock_are_private_and_once() -> None:
    kit = Kit()
    first = await kit.say("mentor block @bob")
    again = await kit.say("mentor block @bob")
    assert kit.blocks.blocks == {(Platform.CONSOLE, "ada", "bob")}
    assert first.ephemeral and again.ephemeral and first.title != again.title
    assert await kit.blocks.pairs_among(Platform.CONSOLE, ["ada", "bob", "cy"]) == {
        frozenset({"ada", "bob"})
    }
    await kit.say("mentor unblock @bob")
    assert kit.blocks.blocks == set()
    missing = await kit.say("mentor unblock @bob")
    assert missing.ephemeral and missing.title == "Not blocked"


async def test_blocking_yourself_is_refused() -> None:
    kit = Kit()
    with pytest.raises(UsageError) as refused:
        await kit.say("mentor block @ada")
    assert refused.value.argument == "member"
    assert kit.blocks.blocks == set()
