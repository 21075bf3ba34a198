"""The on-demand mentoring flow with a controlled clock, on SQLite and PostgreSQL.

The store is the real one (it decides what happens once); profiles, blocks, private
messages, moderators' notices and the study hook are fakes that record what they got.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.errors import BotError, PermissionDeniedError, UsageError
from bot.core.mentoring.ports import EXPIRIES_BEFORE_PAUSE, MentorKey
from bot.core.mentoring.records import RequestState
from bot.core.messages import Platform
from bot.core.ports import MemberKey
from bot.core.topics import UnknownTopicError
from bot.storage.mentoring.profiles import SqlMentorProfiles
from tests.mentoring_requests_kit import SPACE, Kit, profile

CONTEXT = "my joins return every row twice and I cannot see why"


async def test_a_request_is_offered_at_once_to_the_best_mentor(engine: AsyncEngine) -> None:
    near = profile("near", ("databases",), level=1)  # the exact topic
    related = profile("related", ("http",), level=1)  # a neighbouring topic only
    kit = await Kit.on(engine, related, near)

    reply = await kit.ask("lea", f"databases {CONTEXT} hours:Mon 18:00-20:00")

    assert "#" in (reply.title or "")
    assert kit.private.commands("near") == [
        f"mentor accept {kit.offer_id('near')}",
        f"mentor decline {kit.offer_id('near')}",
    ]
    assert kit.private.to("related") == []
    offer = kit.private.to("near")[0]
    shown = " ".join([offer.text, *(f.value for f in offer.fields)])
    assert "18:00" not in shown and "Mon" not in shown  # never the learner's hours
    assert kit.private.to("lea") == []  # the learner was answered directly
    (stored,) = await kit.store.open_of(Platform.CONSOLE, SPACE, "lea")
    assert stored.state is RequestState.OFFERED


async def test_a_related_topic_mentor_is_found_and_an_unrelated_one_never(
    engine: AsyncEngine,
) -> None:
    # match_new reads only mentors of the topic and its related ones (for_topics): the
    # neighbour must still be asked, and one with only unrelated topics must not, however free.
    unrelated = profile("far", ("git",), level=4, capacity=5)  # git is not next to databases
    related = profile("related", ("http", "git"), level=1)
    kit = await Kit.on(engine, unrelated, related)

    await kit.ask("lea", f"databases {CONTEXT} hours:Mon 18:00-20:00")

    assert kit.private.to("far") == []
    assert kit.private.commands("related") == [
        f"mentor accept {kit.offer_id('related')}",
        f"mentor decline {kit.offer_id('related')}",
    ]


async def test_a_stale_cached_mentor_is_passed_over_for_the_next_best(
    engine: AsyncEngine,
) -> None:
    # A new request reads mentors from a short cache; another process pausing the best one
    # meanwhile makes the offer's locked re-check refuse, and the next best is asked at once.
    best = profile("best", ("databases",), level=1, capacity=2)
    second = profile("second", ("http",), level=1, capacity=2)  # a related topic: lower fit
    kit = await Kit.on(engine, best, second)
    await kit.ask("ann", f"databases {CONTEXT}")  # fills the cache, offers to "best"
    assert kit.private.commands("best")

    other_process = SqlMentorProfiles(kit.sessions)
    await other_process.set_pause(best.key, date.max, "away")  # unseen by kit's cache
    await kit.ask("bob", f"databases {CONTEXT}")

    assert len(kit.private.commands("best")) == 2  # still only ann's offer: accept, decline
    assert kit.private.commands("second") == [
        f"mentor accept {kit.offer_id('second')}",
        f"mentor decline {kit.offer_id('second')}",
    ]


async def test_without_room_requests_wait_oldest_first(engine: AsyncEngine) -> None:
    kit = await Kit.on(engine)
    first = await kit.ask("ann", f"databases {CONTEXT}")
    kit.clock.advance(timedelta(minutes=5))
    second = await kit.ask("bob", f"databases {CONTEXT}")
    assert "number 1" in first.text and "number 2" in second.text

    await kit.profiles.save(profile("mia", capacity=1))  # a mentor signs up with one place
    assert await kit.timer.tick() >= 1

    assert len(kit.private.commands("mia")) == 2  # one offer: accept and decline
    (ann,) = await kit.store.open_of(Platform.CONSOLE, SPACE, "ann")
    (bob,) = await kit.store.open_of(Platform.CONSOLE, SPACE, "bob")
    assert ann.state is RequestState.OFFERED and bob.state is RequestState.WAITING
    assert await kit.store.place(bob) == 2  # the offered one still leads the queue
    assert kit.private.to("ann")  # told a mentor was asked


async def test_one_open_request_per_topic_and_bad_input_saves_nothing(engine: AsyncEngine) -> None:
    kit = await Kit.on(engine)
    await kit.ask("lea", f"databases {CONTEXT}")

    with pytest.raises(BotError):
        await kit.ask("lea", "databases another question about joins and keys")
    with pytest.raises(UsageError):
        await kit.ask("lea", "git help me please")  # too short to act on
    with pytest.raises(UnknownTopicError):
        kit.line("lea", f"mentor request cooking {CONTEXT}")
    with pytest.raises(UsageError):
        await kit.ask("lea", f"git {CONTEXT} hours:Mon 25:00-26:00")

    assert [r.topic for r in await kit.store.open_of(Platform.CONSOLE, SPACE, "lea")] == [
        "databases"
    ]
    await kit.ask("lea", f"git {CONTEXT}")  # another topic is fine
    assert len(await kit.store.open_of(Platform.CONSOLE, SPACE, "lea")) == 2


async def test_only_the_offered_mentor_accepts_and_only_once(engine: AsyncEngine) -> None:
    kit = await Kit.on(engine, profile("mia"))
    await kit.ask("lea", f"databases {CONTEXT}")
    offer = kit.offer_id("mia")

    with pytest.raises(PermissionDeniedError):
        await kit.offers.accept(kit.line("zed", f"mentor accept {offer}"))
    with pytest.raises(BotError):
        await kit.offers.accept(kit.line("mia", "mentor accept 999"))
    await kit.offers.accept(kit.line("mia", f"mentor accept {offer}"))
    with pytest.raises(BotError):
        await kit.offers.accept(kit.line("mia", f"mentor accept {offer}"))
    with pytest.raises(BotError):
        await kit.offers.decline(kit.line("mia", f"mentor decline {offer}"))

    (stored,) = await kit.store.open_of(Platform.CONSOLE, SPACE, "lea")
    assert stored.state is RequestState.MATCHED
    assert await kit.store.load(Platform.CONSOLE, SPACE) == {"mia": 1}
    status = await kit.learners.status(kit.line("lea", "mentor status"))
    assert "Mia" in status.fields[0].value


async def test_introductions_show_shared_hours_in_each_zone(engine: AsyncEngine) -> None:
    mentor = profile("mia", hours="Mon 12:00-14:00", timezone="America/New_York")
    kit = await Kit.on(engine, mentor)
    await kit.members.set_timezone(MemberKey(Platform.CONSOLE, "lea"), "Lea", "Europe/Berlin")
    await kit.ask("lea", f"databases {CONTEXT} hours:Mon 17:00-21:00")
    await kit.offers.accept(kit.line("mia", f"mentor accept {kit.offer_id('mia')}"))

    to_learner = kit.private.to("lea")[-1]
    to_mentor = kit.private.to("mia")[-1]
    hours = {f.name: f.value for f in to_learner.fields}
    # March 2: New York is UTC-5, Berlin UTC+1: Mon 12:00-14:00 there is 18:00-20:00 here.
    assert hours["Hours you share (your time)"] == "Mon 18:00-20:00"
    assert {f.name: f.value for f in to_mentor.fields}["Hours you share (your time)"] == (
        "Mon 12:00-14:00"
    )
    assert "America/New_York" in hours["Timezones"] and "Europe/Berlin" in hours["Timezones"]
    assert "Mia" in (to_learner.title or "") and "Lea" in (to_mentor.title or "")


async def test_a_decline_goes_to_the_next_best_mentor(engine: AsyncEngine) -> None:
    kit = await Kit.on(engine, profile("mia"), profile("max", ("http",)))
    await kit.ask("lea", f"databases {CONTEXT}")
    await kit.offers.decline(kit.line("mia", f"mentor decline {kit.offer_id('mia')}"))

    assert kit.private.to("lea")  # told, privately
    assert kit.offer_id("max")  # the next best mentor was asked
    await kit.matchmaker.match(Platform.CONSOLE, SPACE)
    assert len(kit.private.commands("mia")) == 2  # never offered the same request again


async def test_expiries_rematch_and_pause_a_mentor_after_three_in_a_row(
    engine: AsyncEngine,
) -> None:
    kit = await Kit.on(engine, profile("mia", capacity=5))
    key = MentorKey(Platform.CONSOLE, SPACE, "mia")
    learners = EXPIRIES_BEFORE_PAUSE + 1  # one more expires at once: the pause is told once
    for number in range(learners):
        await kit.ask(f"l{number}", f"databases {CONTEXT}")
    assert len(kit.private.commands("mia")) == 2 * learners

    kit.clock.advance(timedelta(hours=47, minutes=59))
    await kit.timer.tick()
    assert (await kit.profiles.get(key)).expired_in_row == 0  # type: ignore[union-attr]
    kit.clock.advance(timedelta(minutes=1))
    await kit.timer.tick()

    paused = await kit.profiles.get(key)
    assert paused is not None and paused.paused_until == date.max and paused.paused_reason
    assert sum("paused" in (r.title or "").casefold() for r in kit.private.to("mia")) == 1
    for number in range(learners):
        (request,) = await kit.store.open_of(Platform.CONSOLE, SPACE, f"l{number}")
        assert request.state is RequestState.WAITING  # back in the queue, not offered again
        assert kit.private.to(f"l{number}")  # and told
    stats = await kit.desk.stats(kit.line("mod", "mentor stats", moderator=True))
    assert {f.name: f.value for f in stats.fields}["Expired offers"] == str(learners)


async def test_an_answer_clears_the_expiry_count(engine: AsyncEngine) -> None:
    kit = await Kit.on(engine, profile("mia"), profile("max"))
    await kit.ask("lea", f"databases {CONTEXT}")
    first = kit.private.sent[0].user_id
    kit.clock.advance(timedelta(hours=48))
    await kit.timer.tick()  # expired: re-offered to the other mentor
    other = "max" if first == "mia" else "mia"
    key = MentorKey(Platform.CONSOLE, SPACE, first)
    assert (await kit.profiles.get(key)).expired_in_row == 1  # type: ignore[union-attr]
    assert kit.offer_id(other)
    await kit.ask("ida", f"databases {CONTEXT}")
    await kit.offers.decline(kit.line(first, f"mentor decline {kit.offer_id(first)}"))
    assert (await kit.profiles.get(key)).expired_in_row == 0  # type: ignore[union-attr]


async def test_follow_up_counts_the_session_once_and_ends_the_pairing(
    engine: AsyncEngine,
) -> None:
    kit = await Kit.on(engine, profile("mia", capacity=1))
    await kit.ask("lea", f"databases {CONTEXT}")
    await kit.offers.accept(kit.line("mia", f"mentor accept {kit.offer_id('mia')}"))
    pairing = await kit.store.pairing_of(
        (await kit.store.open_of(Platform.CONSOLE, SPACE, "lea"))[0].id
    )
    assert pairing is not None

    kit.clock.advance(timedelta(days=7))
    await kit.timer.tick()
    await kit.timer.tick()  # asked once only
    met = f"mentor met {pairing.id} yes"
    assert kit.private.commands("lea").count(met) == 1
    assert kit.private.commands("mia").count(met) == 1

    with pytest.raises(PermissionDeniedError):
        await kit.followups.met(kit.line("zed", met))
    await kit.followups.met(kit.line("mia", met))
    with pytest.raises(BotError):
        await kit.followups.met(kit.line("mia", f"mentor met {pairing.id} no"))
    await kit.followups.met(kit.line("lea", met))

    assert kit.sessions_held.calls == [("lea", pairing.id)]  # the mentee, once
    assert await kit.store.open_of(Platform.CONSOLE, SPACE, "lea") == []  # done
    assert await kit.store.load(Platform.CONSOLE, SPACE) == {}  # the place is free
    stats = await kit.desk.stats(kit.line("mod", "mentor stats", moderator=True))
    values = {f.name: f.value for f in stats.fields}
    assert values["Meetings held"] == "1" and values["Requests"] == "1"
    assert values["Matched"] == "1" and values["Acceptance rate"].startswith("100%")


async def test_an_unanswered_follow_up_ends_after_the_grace(engine: AsyncEngine) -> None:
    kit = await Kit.on(engine, profile("mia", capacity=1))
    await kit.ask("lea", f"databases {CONTEXT}")
    await kit.offers.accept(kit.line("mia", f"mentor accept {kit.offer_id('mia')}"))
    kit.clock.advance(timedelta(days=7))
    await kit.timer.tick()
    kit.clock.advance(timedelta(days=3))
    await kit.timer.tick()
    assert await kit.store.load(Platform.CONSOLE, SPACE) == {}
    assert kit.sessions_held.calls == []


async def test_release_hands_offers_and_pairings_back_in_order(engine: AsyncEngine) -> None:
    kit = await Kit.on(engine, profile("mia", capacity=2))
    await kit.ask("ann", f"databases {CONTEXT}")
    kit.clock.advance(timedelta(minutes=1))
    await kit.ask("bob", f"databases {CONTEXT}")
    first = kit.offer_id("mia") - 1  # ann's offer came first
    await kit.offers.accept(kit.line("mia", f"mentor accept {first}"))
    await kit.profiles.save(profile("max", capacity=1))  # room for one only

    released = await kit.matchmaker.release(
        MentorKey(Platform.CONSOLE, SPACE, "mia"), active_too=True
    )

    assert released == 2
    (ann,) = await kit.store.open_of(Platform.CONSOLE, SPACE, "ann")
    (bob,) = await kit.store.open_of(Platform.CONSOLE, SPACE, "bob")
    assert ann.state is RequestState.OFFERED  # the oldest goes to the one free mentor
    assert bob.state is RequestState.WAITING
    assert kit.offer_id("max")
    assert len(kit.private.to("ann")) >= 2 and kit.private.to("bob")  # told
    assert await kit.store.load(Platform.CONSOLE, SPACE) == {"max": 1}


async def test_moderators_hear_of_long_waits_once_a_day(engine: AsyncEngine) -> None:
    kit = await Kit.on(engine)
    await kit.ask("lea", f"databases {CONTEXT}")
    kit.clock.advance(timedelta(hours=23))
    await kit.timer.tick()
    assert kit.moderators.told == []
    kit.clock.advance(timedelta(hours=2))
    await kit.timer.tick()
    await kit.timer.tick()
    assert len(kit.moderators.told) == 1
    space, channel, notice = kit.moderators.told[0]
    assert (space, channel) == (SPACE, "chan-1")
    assert CONTEXT not in notice.text + " ".join(f.value for f in notice.fields)
    kit.clock.advance(timedelta(days=1))
    await kit.timer.tick()
    assert len(kit.moderators.told) == 2


async def test_cancel_withdraws_the_pending_offer(engine: AsyncEngine) -> None:
    kit = await Kit.on(engine, profile("mia"))
    await kit.ask("lea", f"databases {CONTEXT}")
    offer = kit.offer_id("mia")
    await kit.learners.cancel(kit.line("lea", "mentor cancel databases"))

    assert await kit.store.open_of(Platform.CONSOLE, SPACE, "lea") == []
    assert len(kit.private.to("mia")) == 2  # the offer, then "withdrawn"
    with pytest.raises(BotError):
        await kit.offers.accept(kit.line("mia", f"mentor accept {offer}"))
    with pytest.raises(UsageError):
        await kit.learners.cancel(kit.line("lea", "mentor cancel"))


async def test_config_mentoring_sets_the_deadline(engine: AsyncEngine) -> None:
    kit = await Kit.on(engine, profile("mia"))
    await kit.desk.configure(kit.line("mod", "config mentoring deadline:72h", moderator=True))
    await kit.ask("lea", f"databases {CONTEXT}")
    kit.clock.advance(timedelta(hours=48))
    await kit.timer.tick()
    (request,) = await kit.store.open_of(Platform.CONSOLE, SPACE, "lea")
    assert request.state is RequestState.OFFERED  # 72 hours to answer now
    section = await kit.desk.section().read(kit.line("mod", "config show").actor)
    assert [f.value for f in section] == ["3d", "7d"]
