"""Mentoring end to end on the fake Slack: the modal, DMs via conversations.open, buttons.

The real slack-bolt over signed HTTP and the real app on SQLite; the clock is fixed and moved
by the test, which runs the mentoring timer's tick itself.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.adapters.slack_mentoring import buttons, member, slack_flow

MIA = ("U_MIA", "mia", "America/New_York")
CONTEXT = "My rebase keeps dropping commits and I cannot see why"


async def test_signup_request_accept_introductions_and_a_yes_that_counts_once(
    tmp_path: Path,
) -> None:
    async with slack_flow(tmp_path, MIA) as flow:
        await flow.signup("U_MIA", "America/New_York", "git, databases", "Mon 12:00-14:00")
        await flow.command("U_MEMBER", "timezone Europe/Berlin")

        _, asked = await flow.command(
            "U_MEMBER", f"mentor request git {CONTEXT} hours:Mon 17:00-21:00"
        )
        assert asked["response_type"] == "ephemeral"

        # The offer: conversations.open for the mentor, then a DM with Accept / Decline.
        (offer,) = await flow.wait_dms("U_MIA", 1)
        opened = flow.slack.calls_to("conversations.open")
        assert {c.args["users"] for c in opened} == {"U_MIA"}
        (row,) = await flow.offers()
        assert (row["mentor_id"], row["state"]) == (member("U_MIA"), "pending")
        commands = buttons(offer["blocks"])
        assert sorted(commands.values()) == [
            f"mentor accept {row['id']}", f"mentor decline {row['id']}",
        ]  # fmt: skip
        shown = str(offer["blocks"]) + offer["text"]
        assert "rebase" in shown
        assert "17:00" not in shown and "21:00" not in shown and "Berlin" not in shown
        assert flow.dms("U_MEMBER") == []

        accept = next(a for a, c in commands.items() if c.startswith("mentor accept"))
        key, _ = await flow.click("U_MIA", accept, commands[accept])
        answer = (await flow.slack.wait_for_response(key)).json
        assert answer["response_type"] == "ephemeral"
        (pairing,) = await flow.pairings()
        assert (pairing["mentor_id"], pairing["learner_id"], pairing["state"]) == (
            member("U_MIA"), member("U_MEMBER"), "active",
        )  # fmt: skip
        _, to_mia = await flow.wait_dms("U_MIA", 2)
        (to_alice,) = await flow.wait_dms("U_MEMBER", 1)
        for intro in (to_mia, to_alice):
            said = str(intro["blocks"])
            assert "America/New_York" in said and "Europe/Berlin" in said and "rebase" in said
            assert "Git" in said  # the topic, by its name
            assert buttons(intro["blocks"]) == {}
        assert "Mon 18:00-20:00" in str(to_alice["blocks"])  # shared hours, Berlin time
        assert "Mon 12:00-14:00" in str(to_mia["blocks"])  # the same hours, New York time

        assert await flow.tick(timedelta(days=7, minutes=1)) >= 1
        (*_, met_mia) = await flow.wait_dms("U_MIA", 3)
        (*_, met_alice) = await flow.wait_dms("U_MEMBER", 2)
        expected = [f"mentor met {pairing['id']} yes", f"mentor met {pairing['id']} no"]
        assert sorted(buttons(met_mia["blocks"]).values()) == sorted(expected)
        yes = {c: a for a, c in buttons(met_alice["blocks"]).items()}[expected[0]]

        key, click = await flow.click("U_MEMBER", yes, expected[0])
        assert (await flow.slack.wait_for_response(key)).json["response_type"] == "ephemeral"
        await flow.resend(click)  # Slack retries the same click: it acts once
        with pytest.raises(TimeoutError):
            await flow.slack.wait_for_response(key, timeout=0.5, count=2)
        (met,) = await flow.pairings()
        assert met["met_at"] is not None
        (held,) = await flow.sessions_held()
        assert (held["user_id"], held["space_id"]) == (member("U_MEMBER"), "T0001")


async def test_a_refused_dm_is_held_and_shown_beside_the_mentor_s_next_command(
    tmp_path: Path,
) -> None:
    async with slack_flow(tmp_path, MIA) as flow:
        await flow.signup("U_MIA", "America/New_York", "git", "Mon 12:00-14:00")
        flow.slack.fail_next("conversations.open", error="user_disabled", status=200,
                             retry_after=None)  # fmt: skip

        _, asked = await flow.command("U_MEMBER", f"mentor request git {CONTEXT}")
        assert asked["response_type"] == "ephemeral"  # not stalled by the refusal
        assert flow.dms("U_MIA") == []
        (row,) = await flow.offers()
        assert row["state"] == "pending"

        key, _ = await flow.command("U_MIA", "mentor profile")
        notice = (await flow.slack.wait_for_response(key, count=2)).json
        assert notice["response_type"] == "ephemeral" and "rebase" in str(notice["blocks"])
        commands = buttons(notice["blocks"])
        accept = next(a for a, c in commands.items() if c == f"mentor accept {row['id']}")

        # The button on the notice works like the DM's would have.
        key, _ = await flow.click("U_MIA", accept, commands[accept])
        await flow.slack.wait_for_response(key)
        (pairing,) = await flow.pairings()
        assert pairing["mentor_id"] == member("U_MIA")
        await flow.wait_dms("U_MEMBER", 1)  # the learner's introduction
        await flow.wait_dms("U_MIA", 1)  # and the mentor's: her DMs take messages again

        again, _ = await flow.command("U_MIA", "mentor profile")
        with pytest.raises(TimeoutError):  # shown once
            await flow.slack.wait_for_response(again, timeout=0.5, count=2)
