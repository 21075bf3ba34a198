"""Mentoring end to end on the fake Discord: form, request, DM offer, buttons from the DM.

The real discord.py and the real app on SQLite; the clock is fixed and moved by the test,
which runs the mentoring timer's tick itself (as the scheduler would, once a minute).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.adapters.discord_mentoring import (
    CLOSED_DMS,
    DM_MESSAGE,
    EPHEMERAL,
    custom_ids,
    discord_flow,
    embed_text,
    fields_of,
)

CONTEXT = "My rebase keeps dropping commits and I cannot see why"
MENTOR_HOURS = "Mon 12:00-14:00"  # New York: 17:00-19:00 UTC on March 2
LEARNER_HOURS = "Mon 17:00-21:00"  # Berlin: 16:00-20:00 UTC
FOLLOWUP = timedelta(days=7, minutes=1)
DEADLINE = timedelta(hours=48, minutes=1)


async def test_an_offer_accepted_from_the_dm_introduces_both_and_a_yes_counts_once(
    tmp_path: Path,
) -> None:
    async with discord_flow(tmp_path, "mia") as flow:
        mia, alice, guild = flow.member("mia"), flow.fake.member_user, flow.guild
        await flow.signup(mia, "America/New_York", "git, databases", MENTOR_HOURS)
        await flow.command(alice, "timezone", {"zone": "Europe/Berlin"})

        asked = await flow.request(alice, "git", CONTEXT, LEARNER_HOURS)
        assert asked["data"]["flags"] & EPHEMERAL

        # The offer: a DM (the channel opened over REST) with buttons acting in the server.
        (offer,) = await flow.wait_dms(mia, 1)
        opened = flow.fake.requests_matching("POST", r"/users/@me/channels")
        assert {str(r.json["recipient_id"]) for r in opened} == {mia["id"]}
        (row,) = await flow.offers()
        assert (row["mentor_id"], row["state"]) == (mia["id"], "pending")
        accept, decline = custom_ids(offer)
        assert accept == f"rb:in:{guild}:mentor accept {row['id']}"
        assert decline == f"rb:in:{guild}:mentor decline {row['id']}"
        shown = embed_text(offer)
        assert "rebase" in shown  # the context, for the mentor to judge
        # Never the learner's hours nor their timezone.
        assert "17:00" not in shown and "21:00" not in shown and "Berlin" not in shown
        assert flow.dms(alice) == []  # the learner was answered directly

        # Accept from the DM: no guild on the interaction, the custom_id names it.
        clicked = await flow.answer_to(await flow.click(mia, accept))
        assert clicked["type"] == 4 and clicked["data"]["flags"] & EPHEMERAL
        (pairing,) = await flow.pairings()
        assert (pairing["mentor_id"], pairing["learner_id"], pairing["state"]) == (
            mia["id"], alice["id"], "active",
        )  # fmt: skip

        _, to_mia = await flow.wait_dms(mia, 2)
        (to_alice,) = await flow.wait_dms(alice, 1)
        for intro in (to_mia, to_alice):
            assert str(pairing["id"]) in embed_text(intro) and "rebase" in embed_text(intro)
            assert "Git" in intro["embeds"][0]["title"]  # the topic, by its name
            zones = next(v for v in fields_of(intro).values() if "America/New_York" in v)
            assert "Europe/Berlin" in zones
            assert custom_ids(intro) == []  # nothing to click: they talk directly
        # The hours they share, each on their own clock.
        assert "Mon 18:00-20:00" in fields_of(to_alice).values()
        assert "Mon 12:00-14:00" in fields_of(to_mia).values()

        # The follow-up falls due: both are asked, with buttons acting in the server.
        assert await flow.tick(FOLLOWUP) >= 1
        for member in (mia, alice):
            asked_met = (await flow.wait_dms(member, 3 if member is mia else 2))[-1]
            assert custom_ids(asked_met) == [
                f"rb:in:{guild}:mentor met {pairing['id']} yes",
                f"rb:in:{guild}:mentor met {pairing['id']} no",
            ]
        assert await flow.tick(timedelta(minutes=1)) == 0  # asked once, not every minute
        assert len(flow.dms(alice)) == 2

        yes = f"rb:in:{guild}:mentor met {pairing['id']} yes"
        first = await flow.click(alice, yes)
        assert (await flow.answer_to(first))["data"]["flags"] & EPHEMERAL
        # Discord redelivers the same interaction (a resumed gateway): it acts once.
        await flow.click(alice, yes, interaction_id=first.id)
        with pytest.raises(TimeoutError):
            await flow.fake.wait_for_request("POST", first.callback_path, timeout=0.5, count=2)
        (met,) = await flow.pairings()
        assert met["met_at"] is not None
        (held,) = await flow.sessions_held()
        assert (held["user_id"], held["space_id"]) == (alice["id"], guild)

        # The mentor's "yes" too: the pairing ends, and the session still counts once.
        await flow.answer_to(await flow.click(mia, yes))
        (ended,) = await flow.pairings()
        assert ended["state"] == "ended" and ended["met_at"] == met["met_at"]
        assert len(await flow.sessions_held()) == 1


async def test_a_declined_offer_goes_to_the_next_mentor_and_the_learner_is_told(
    tmp_path: Path,
) -> None:
    async with discord_flow(tmp_path, "mia", "max") as flow:
        mia, max_, alice = flow.member("mia"), flow.member("max"), flow.fake.member_user
        await flow.signup(mia, "America/New_York", "git", MENTOR_HOURS)
        await flow.signup(max_, "America/New_York", "git", "Sat 06:00-07:00")  # no shared hour
        await flow.command(alice, "timezone", {"zone": "Europe/Berlin"})
        await flow.request(alice, "git", CONTEXT, LEARNER_HOURS)

        (offer,) = await flow.wait_dms(mia, 1)  # the better fit first: shared hours
        assert flow.dms(max_) == []
        _, decline = custom_ids(offer)
        declined = await flow.answer_to(await flow.click(mia, decline))
        assert declined["data"]["flags"] & EPHEMERAL

        (second,) = await flow.wait_dms(max_, 1)
        first_row, second_row = sorted(await flow.offers(), key=lambda r: r["id"])
        assert (first_row["mentor_id"], first_row["state"]) == (mia["id"], "declined")
        assert (second_row["mentor_id"], second_row["state"]) == (max_["id"], "pending")
        assert custom_ids(second)[0] == f"rb:in:{flow.guild}:mentor accept {second_row['id']}"
        told = await flow.wait_dms(alice, 2)  # "could not take it", then "a mentor was asked"
        assert all(custom_ids(t) == [] and "git" in embed_text(t).lower() for t in told)
        assert "Mia" not in str(told) and "Max" not in str(told)  # mentors unnamed until accept
        assert len(flow.dms(mia)) == 1  # never asked again for this request


async def test_a_refused_dm_is_held_for_the_mentor_while_the_deadline_runs(
    tmp_path: Path,
) -> None:
    async with discord_flow(tmp_path, "mia", "max") as flow:
        mia, max_, alice = flow.member("mia"), flow.member("max"), flow.fake.member_user
        await flow.signup(mia, "America/New_York", "git", MENTOR_HOURS)
        await flow.signup(max_, "America/New_York", "git", "Sat 06:00-07:00")
        await flow.command(alice, "timezone", {"zone": "Europe/Berlin"})

        flow.fake.fail_next("POST", DM_MESSAGE, 403, CLOSED_DMS)  # mia's DMs are closed
        asked = await flow.request(alice, "git", CONTEXT, LEARNER_HOURS)
        assert asked["data"]["flags"] & EPHEMERAL  # the flow did not stall on the refusal
        refused = [r for r in flow.fake.requests_matching("POST", DM_MESSAGE) if r.status == 403]
        assert len(refused) == 1 and flow.dms(mia) == []
        (first,) = await flow.offers()
        assert (first["mentor_id"], first["state"]) == (mia["id"], "pending")

        # Nobody answers: the deadline passes, the next best mentor is asked, alice is told.
        assert await flow.tick(DEADLINE) >= 1
        (to_max,) = await flow.wait_dms(max_, 1)
        told = await flow.wait_dms(alice, 2)  # "no answer in time", then "a mentor was asked"
        assert all(custom_ids(t) == [] for t in told)
        expired, pending = sorted(await flow.offers(), key=lambda r: r["id"])
        assert (expired["state"], pending["state"], pending["mentor_id"]) == (
            "expired", "pending", max_["id"],
        )  # fmt: skip
        assert custom_ids(to_max)[0] == f"rb:in:{flow.guild}:mentor accept {pending['id']}"

        # mia's next command shows her the held offer, privately, after the answer.
        sent, _ = await flow.command(mia, "mentor", subcommand="profile")
        notice = (await flow.fake.wait_for_followup(sent)).json
        assert notice["flags"] & EPHEMERAL and "rebase" in embed_text(notice)
        held_accept = custom_ids(notice)[0]
        assert held_accept == f"rb:in:{flow.guild}:mentor accept {first['id']}"
        # Too late: refused, and max's offer stands.
        late = await flow.answer_to(await flow.click(mia, held_accept, in_dm=False))
        assert late["data"]["flags"] & EPHEMERAL
        assert [r["state"] for r in sorted(await flow.offers(), key=lambda r: r["id"])] == [
            "expired", "pending",
        ]  # fmt: skip
        assert await flow.pairings() == []
        # Shown once: the next command brings no notice.
        again, _ = await flow.command(mia, "mentor", subcommand="profile")
        with pytest.raises(TimeoutError):
            await flow.fake.wait_for_followup(again, timeout=0.5)


async def test_a_held_offer_accepted_in_time_from_the_notice_pairs_them(tmp_path: Path) -> None:
    async with discord_flow(tmp_path, "mia") as flow:
        mia, alice = flow.member("mia"), flow.fake.member_user
        await flow.signup(mia, "America/New_York", "git", MENTOR_HOURS)
        flow.fake.fail_next("POST", DM_MESSAGE, 403, CLOSED_DMS)
        await flow.request(alice, "git", CONTEXT, LEARNER_HOURS)

        flow.clock.advance(timedelta(hours=47))  # within the deadline
        sent, _ = await flow.command(mia, "streak")
        notice = (await flow.fake.wait_for_followup(sent)).json
        accept = custom_ids(notice)[0]
        accepted = await flow.answer_to(await flow.click(mia, accept, in_dm=False))
        assert accepted["data"]["flags"] & EPHEMERAL

        (pairing,) = await flow.pairings()
        assert (pairing["mentor_id"], pairing["learner_id"]) == (mia["id"], alice["id"])
        (intro,) = await flow.wait_dms(alice, 1)
        assert str(pairing["id"]) in embed_text(intro)
        assert len(await flow.wait_dms(mia, 1)) == 1  # her DMs work again: the introduction


async def test_another_member_can_neither_use_the_buttons_nor_see_the_request(
    tmp_path: Path,
) -> None:
    async with discord_flow(tmp_path, "mia", "zed") as flow:
        mia, zed, alice = flow.member("mia"), flow.member("zed"), flow.fake.member_user
        await flow.signup(mia, "America/New_York", "git", MENTOR_HOURS)
        await flow.request(alice, "git", CONTEXT, LEARNER_HOURS)
        (offer,) = await flow.wait_dms(mia, 1)
        accept, _ = custom_ids(offer)

        for intruder in (zed, alice):  # a stranger, and the learner herself
            refused = await flow.answer_to(await flow.click(intruder, accept, in_dm=False))
            assert refused["data"]["flags"] & EPHEMERAL
            assert "rebase" not in embed_text(refused["data"])
        assert [o["state"] for o in await flow.offers()] == ["pending"]
        assert await flow.pairings() == []

        _, status = await flow.command(zed, "mentor", subcommand="status")
        assert status["data"]["flags"] & EPHEMERAL
        shown = embed_text(status["data"])
        assert fields_of(status["data"]) == {}
        assert all(word not in shown for word in ("rebase", "Alice", "alice", "Mia", "#1"))

        await flow.answer_to(await flow.click(mia, accept))
        (pairing,) = await flow.pairings()
        yes = f"rb:in:{flow.guild}:mentor met {pairing['id']} yes"
        refused = await flow.answer_to(await flow.click(zed, yes, in_dm=False))
        assert refused["data"]["flags"] & EPHEMERAL
        (still,) = await flow.pairings()
        assert still["met_at"] is None and await flow.sessions_held() == []
