"""Interaction callbacks and follow-up webhooks: how a bot answers slash commands and clicks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .limits import check_choices, check_message, check_modal, form_error
from .recording import JSON, RecordedFile, RecordedRequest
from .rest import Reply, RestApi, unknown
from .world import InteractionState, World

# Callback types: https://discord.com/developers/docs/interactions/receiving-and-responding
MESSAGE = 4
DEFERRED_MESSAGE = 5
DEFERRED_UPDATE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
EPHEMERAL = 64
LOADING = 128
CHAT_INPUT_COMMAND_MESSAGE = 20

UNKNOWN_INTERACTION = unknown("interaction", 10062)
UNKNOWN_WEBHOOK = unknown("Webhook", 10015)
ALREADY_ACKNOWLEDGED = {"message": "Interaction has already been acknowledged.", "code": 40060}
MODAL = 9
# Which answers Discord takes for each interaction type (command, component, autocomplete, modal).
VALID_CALLBACKS = {
    2: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    3: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    4: {AUTOCOMPLETE_RESULT},
    5: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}


class InteractionWebhooks:
    """The routes under /interactions and /webhooks, on top of a `RestApi`."""

    def __init__(self, api: RestApi) -> None:
        self.world: World = api.world
        part = r"([^/]+)"  # the interaction token
        api.add_route("POST", rf"/interactions/(\d+)/{part}/callback", self._callback)
        api.add_route("POST", rf"/webhooks/(\d+)/{part}", self._followup)
        for method in ("GET", "PATCH", "DELETE"):
            path = rf"/webhooks/(\d+)/{part}/messages/(@original|\d+)"
            api.add_route(method, path, self._webhook_message)

    def _state(self, interaction_id: str, token: str) -> InteractionState | None:
        state = self.world.interactions.get(int(interaction_id))
        return state if state is not None and state.token == token else None

    def _by_token(self, application_id: str, token: str) -> InteractionState | None:
        if int(application_id) != self.world.application_id:
            return None
        return next((s for s in self.world.interactions.values() if s.token == token), None)

    async def _callback(self, m: re.Match[str], r: RecordedRequest) -> Reply:
        """Take the one initial answer an interaction allows (Discord: 40060 for a second)."""
        state = self._state(m[1], m[2])
        if state is None:
            return Reply(404, UNKNOWN_INTERACTION)
        if state.acknowledged:
            return Reply(400, ALREADY_ACKNOWLEDGED)
        body = r.json or {}
        kind = int(body.get("type", 0))
        data: JSON = body.get("data") or {}
        error = None
        if kind not in VALID_CALLBACKS.get(state.payload["type"], set()):
            error = form_error("type", f"callback type {kind} is not valid for this interaction")
        elif kind in (MESSAGE, UPDATE_MESSAGE):
            error = check_message(data, file_count=len(r.files), editing=kind == UPDATE_MESSAGE)
        elif kind == AUTOCOMPLETE_RESULT:
            error = check_choices(data)
        elif kind == MODAL:
            error = check_modal(data)
        if error:
            return Reply(400, error)
        resource: JSON = {"type": kind}
        if kind == MESSAGE:
            state.original = self._message(state, data, r.files)
            resource["message"] = state.original
        elif kind == DEFERRED_MESSAGE:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            state.original = self._message(state, {"content": "", "flags": flags}, [])
            resource["message"] = state.original
        elif kind == UPDATE_MESSAGE and "message" in state.payload:
            target = self.world.messages.get(int(state.payload["message"]["id"]))
            if target is not None:
                resource["message"] = self.world.edit_message(target, data, r.files)
        state.acknowledged, state.callback_type = True, kind
        if r.query.get("with_response", "").lower() not in ("1", "true"):
            return Reply(204)
        original = state.original
        interaction = {
            "id": str(state.id),
            "type": state.payload["type"],
            "response_message_id": original["id"] if original else None,
            "response_message_loading": kind == DEFERRED_MESSAGE,
            "response_message_ephemeral": bool(original and original["flags"] & EPHEMERAL),
        }
        return Reply(200, {"interaction": interaction, "resource": resource})

    async def _followup(self, m: re.Match[str], r: RecordedRequest) -> Reply:
        """Send a follow-up; the first one after a defer fills the "thinking..." message."""
        state = self._by_token(m[1], m[2])
        # The token works as a webhook only once the interaction has been answered.
        if state is None or not state.acknowledged:
            return Reply(404, UNKNOWN_WEBHOOK)
        body = r.json or {}
        error = check_message(body, file_count=len(r.files))
        if error:
            return Reply(400, error)
        original = state.original
        if original is not None and original["flags"] & LOADING:
            edit = {k: v for k, v in body.items() if k != "flags"}
            message = self.world.edit_message(original, edit, r.files)
            message["flags"] &= ~LOADING
            message["edited_timestamp"] = None
        else:
            message = self._message(state, body, r.files)
            state.followups.append(message)
        wait = r.query.get("wait", "").lower() in ("1", "true")
        return Reply(200, message) if wait else Reply(204)

    async def _webhook_message(self, m: re.Match[str], r: RecordedRequest) -> Reply:
        state = self._by_token(m[1], m[2])
        if state is None or not state.acknowledged:
            return Reply(404, UNKNOWN_WEBHOOK)
        if m[3] == "@original":
            message = state.original
        else:
            message = next((f for f in state.followups if f["id"] == m[3]), None)
        if message is None:
            return Reply(404, unknown("Message", 10008))
        if r.method == "DELETE":
            self.world.messages.pop(int(message["id"]), None)
            if message is state.original:
                state.original = None
            return Reply(204)
        if r.method == "PATCH":
            error = check_message(r.json or {}, file_count=len(r.files), editing=True)
            if error:
                return Reply(400, error)
            self.world.edit_message(message, r.json or {}, r.files)
            message["flags"] &= ~LOADING
        return Reply(200, message)

    def _message(self, state: InteractionState, body: JSON, files: Sequence[RecordedFile]) -> JSON:
        """Store a message sent on behalf of an interaction (a reply or a follow-up)."""
        payload = state.payload
        channel_id = int(payload["channel_id"])
        channel = self.world.channel(channel_id) or payload["channel"]
        user = payload["member"]["user"] if "member" in payload else payload["user"]
        metadata = {
            "id": payload["id"],
            "type": payload["type"],
            "user": user,
            "authorizing_integration_owners": payload["authorizing_integration_owners"],
        }
        if state.original is not None:
            metadata["original_response_message_id"] = state.original["id"]
        kind = CHAT_INPUT_COMMAND_MESSAGE if payload["type"] in (2, 4) else 0
        return self.world.make_message(
            channel,
            self.world.bot_user,
            body,
            files,
            type=kind,
            webhook_id=str(self.world.application_id),
            application_id=str(self.world.application_id),
            interaction_metadata=metadata,
        )
