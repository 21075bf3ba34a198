"""`/roadmap mentor signup` on Slack: a modal through the real slack-bolt, stored by the app."""

from __future__ import annotations

from pathlib import Path

from bot.core.mentoring.ports import MentorKey
from bot.core.messages import Platform
from bot.storage.db import create_sessionmaker
from bot.storage.mentoring.profiles import SqlMentorProfiles
from tests.adapters.test_slack import bot_on
from tests.slack_fake import FakeSlack


async def test_signup_opens_a_modal_whose_bad_hours_stay_on_the_form(tmp_path: Path) -> None:
    async with FakeSlack() as slack, bot_on(slack, tmp_path) as running:
        assert running.bot is not None
        store = SqlMentorProfiles(create_sessionmaker(running.bot.engine))
        saved = await running.command("timezone Asia/Tokyo")
        assert saved["response_type"] == "ephemeral"
        status, _ = await running.sender.slash_command(
            "/roadmap", "mentor signup", trigger_id="77.T0001.trigger"
        )
        assert status == 200
        await slack.wait_for_call("views.open")
        view = slack.opened_views[-1]
        assert view["callback_id"] == "rb:form:mentor signup"
        blocks = {b["block_id"]: b for b in view["blocks"]}
        assert list(blocks) == ["topics", "experience", "hours", "capacity", "intro"]
        assert [b["optional"] for b in blocks.values()] == [False, False, False, True, True]

        filled: dict[str, str | None] = {"topics": "git", "experience": "backend",
                                         "hours": "Mon 18:00", "capacity": "1"}  # fmt: skip
        refused = await running.sender.view_submission(view, filled)
        assert refused.body["response_action"] == "errors"
        assert list(refused.body["errors"]) == ["hours"]

        filled["hours"] = "weekdays 07:00-08:00"
        accepted = await running.sender.view_submission(view, filled, trigger_id="88.T0001.t")
        assert (accepted.status, accepted.body) == (200, "")
        answer = (await slack.wait_for_response("default", count=2)).json
        assert answer["response_type"] == "ephemeral"
        profiles = await store.in_space(Platform.SLACK, "T0001")
    assert [p.key.user_id for p in profiles] == ["T0001:U_MEMBER"]
    (profile,) = profiles
    assert profile.key == MentorKey(Platform.SLACK, "T0001", "T0001:U_MEMBER")
    assert (profile.topics, profile.level, profile.capacity, profile.timezone) == (
        {"git"}, 2, 1, "Asia/Tokyo",
    )  # fmt: skip
