"""What Slack sends to an app's request URL: slash commands, Events API envelopes, block actions.

Field for field as Slack sends them (2025), so the bot's listeners meet the real shapes. Ids
that Slack makes up (event ids, trigger ids, message timestamps) come from `IdFactory`.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from .world import JSON, TsFactory

# Slack still puts the deprecated verification token in every payload; bolt ignores it.
VERIFICATION_TOKEN = "fake-verification-token"  # noqa: S105


@dataclass
class Workspace:
    """Who the requests come from and who receives them: one workspace and its app."""

    team_id: str
    team_domain: str
    app_id: str
    bot_user_id: str


@dataclass
class IdFactory:
    """Make the ids Slack generates: unique within a test run, readable in a failure."""

    new_ts: TsFactory = field(default_factory=TsFactory)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def event_id(self) -> str:
        """Return a fresh event id ("Ev0001FAKE", ...)."""
        return f"Ev{next(self._numbers):04d}FAKE"

    def trigger_id(self, team_id: str) -> str:
        """Return a fresh trigger id (what views.open needs within 3 s on real Slack)."""
        return f"{next(self._numbers)}.{team_id}.fake-trigger"


def slash_command_form(
    ws: Workspace,
    *,
    command: str,
    text: str,
    user_id: str,
    user_name: str,
    channel_id: str,
    channel_name: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, str]:
    """Build the form fields of a slash command (all strings: it is form-encoded)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": ws.team_id,
        "team_domain": ws.team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": ws.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def event_envelope(ws: Workspace, event: JSON, *, event_id: str) -> JSON:
    """Wrap `event` in the Events API envelope (type event_callback)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": ws.team_id,
        "context_team_id": ws.team_id,
        "context_enterprise_id": None,
        "api_app_id": ws.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": ws.team_id,
                "user_id": ws.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def message_event(
    ws: Workspace,
    kind: str,
    text: str,
    *,
    user: str,
    channel: str,
    ts: str,
    thread_ts: str | None = None,
    channel_type: str | None = None,
) -> JSON:
    """Build a user's message as an `app_mention` or `message` event."""
    event: JSON = {
        "type": kind,
        "client_msg_id": f"fake-{ts}",
        "user": user,
        "text": text,
        "ts": ts,
        "team": ws.team_id,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    if channel_type is not None:
        event["channel_type"] = channel_type
    return event


def app_home_opened_event(user: str, channel: str, tab: str, view: JSON | None) -> JSON:
    """Build app_home_opened; Slack adds the published `view` once there is one."""
    event: JSON = {
        "type": "app_home_opened",
        "user": user,
        "channel": channel,
        "tab": tab,
        "event_ts": f"{time.time():.6f}",
    }
    if view is not None:
        event["view"] = view
    return event


def block_actions_payload(
    ws: Workspace,
    *,
    action_id: str,
    value: str,
    block_id: str,
    user_id: str,
    channel_id: str | None,
    channel_name: str,
    message_ts: str,
    response_url: str | None,
    trigger_id: str,
    action_ts: str,
    message: JSON | None = None,
    view: JSON | None = None,
) -> JSON:
    """Build a button click (type block_actions) on a message, or on a view when `view` is set.

    A click in a view (the App Home tab, a modal) has no channel and no response_url; answer it
    through the Web API (views.publish / views.update) instead of `respond()`. `message` is the
    clicked message as Slack shows it (say ``FakeSlack.messages[-1].to_json()``).
    """
    payload: JSON = {
        "type": "block_actions",
        "user": {
            "id": user_id,
            "username": user_id.lower(),
            "name": user_id.lower(),
            "team_id": ws.team_id,
        },
        "api_app_id": ws.app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "team": {"id": ws.team_id, "domain": ws.team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": action_id, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": action_ts,
            }
        ],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V0000")}
        payload["view"] = view
        return payload
    payload["container"] = {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": channel_id,
        "is_ephemeral": False,
    }
    payload["channel"] = {"id": channel_id, "name": channel_name}
    payload["message"] = message or {
        "type": "message",
        "user": ws.bot_user_id,
        "ts": message_ts,
        "text": "",
        "blocks": [],
    }
    payload["response_url"] = response_url
    return payload


def view_submission_payload(
    ws: Workspace, *, view: JSON, values: dict[str, str | None], user_id: str, trigger_id: str
) -> JSON:
    """Build a modal's submission: `view` as opened, with `values` typed in by block id.

    Each input's value goes under its block's element action_id, as Slack sends it in
    ``view.state.values[block_id][action_id].value`` (None for an input left empty).
    """
    actions = {
        b["block_id"]: b["element"] for b in view.get("blocks", []) if b.get("type") == "input"
    }
    state = {
        block_id: {
            actions[block_id]["action_id"]: {"type": actions[block_id]["type"], "value": value}
        }
        for block_id, value in values.items()
    }
    return {
        "type": "view_submission",
        "team": {"id": ws.team_id, "domain": ws.team_domain},
        "user": {
            "id": user_id,
            "username": user_id.lower(),
            "name": user_id.lower(),
            "team_id": ws.team_id,
        },
        "api_app_id": ws.app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": {**view, "state": {"values": state}},
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
