"""`FakeSlack`: Slack's Web API and response_url endpoint on 127.0.0.1, for end-to-end tests."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Self

from aiohttp import BodyPartReader, web

from tests.fake_support import LocalServer

from .http import ApiReply, json_response, parse_call
from .recording import FailureRule, RecordedCall, RecordedResponse, Recorder
from .signed_requests import SlackRequests
from .web_api import ALL_SCOPES, SCOPES, WebApi, error, image_problems
from .world import (
    ADMIN_USER_ID,
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    GENERAL_CHANNEL_ID,
    JSON,
    MEMBER_USER_ID,
    MODERATOR_USER_ID,
    MODS_GROUP_ID,
    OWNER_USER_ID,
    ROADMAP_CHANNEL_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    PostedMessage,
    UploadedFile,
    World,
    dm_channel_id,
)

log = logging.getLogger(__name__)

# Not secrets: the fake accepts only these, so a test notices a client that sends others.
DEFAULT_BOT_TOKEN = "xoxb-0001-fake-bot-token"  # noqa: S105
DEFAULT_SIGNING_SECRET = "fake-signing-secret-for-tests"  # noqa: S105
UPLOAD = "upload"  # the `FailureRule` method name of upload POSTs (see `fail_next_upload`)


class FakeSlack:
    """A fake Slack for the real slack-sdk / slack-bolt: Web API + response_url sink, recorded.

    Only `bot_token` is accepted. `scopes` are the bot scopes the token was granted (every
    scope the fake knows by default); a method needing another answers ``missing_scope``.
    """

    def __init__(
        self,
        *,
        bot_token: str = DEFAULT_BOT_TOKEN,
        signing_secret: str = DEFAULT_SIGNING_SECRET,
        scopes: Iterable[str] | None = None,
    ) -> None:
        if not bot_token.startswith("xoxb-"):
            raise ValueError("a bot token starts with xoxb-")
        self.world = World()
        self.recorder = Recorder()
        self.api = WebApi(self.world, self.upload_url)
        self._bot_token = bot_token
        self._signing_secret = signing_secret
        self.scopes = frozenset(ALL_SCOPES if scopes is None else scopes)
        self._server = LocalServer()

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind to 127.0.0.1 on a free port and start serving."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{key}", self._handle_response_url)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        app.router.add_route("*", "/{tail:.*}", self._handle_stray)
        await self._server.start(app)

    async def close(self) -> None:
        """Stop the server."""
        await self._server.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- where and who --------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        """Return the value for ``AsyncWebClient(base_url=...)`` (ends with a slash)."""
        return f"{self._server.base_url}/api/"

    @property
    def bot_token(self) -> str:
        """Return the only token the fake accepts."""
        return self._bot_token

    @property
    def signing_secret(self) -> str:
        """Return the secret `SlackRequests` signs with (give it to the bolt app)."""
        return self._signing_secret

    team_id = TEAM_ID
    team_domain = TEAM_DOMAIN
    app_id = APP_ID
    bot_id = BOT_ID
    bot_user_id = BOT_USER_ID
    owner_user_id = OWNER_USER_ID  # is_owner and is_admin
    admin_user_id = ADMIN_USER_ID  # is_admin only
    member_user_id = MEMBER_USER_ID  # neither
    moderator_user_id = MODERATOR_USER_ID  # in the S_MODS user group
    mods_group_id = MODS_GROUP_ID
    general_channel_id = GENERAL_CHANNEL_ID
    roadmap_channel_id = ROADMAP_CHANNEL_ID
    dm_channel_id = staticmethod(dm_channel_id)

    @property
    def users(self) -> dict[str, JSON]:
        """Return the workspace's users by id (users.info answers from here; edit freely)."""
        return self.world.users

    @property
    def usergroups(self) -> dict[str, JSON]:
        """Return the user groups by id; `usergroups[id]["users"]` is the member list."""
        return self.world.usergroups

    @property
    def messages(self) -> list[PostedMessage]:
        """Return the bot's posted messages (edits applied), oldest first."""
        return self.world.messages

    @property
    def ephemerals(self) -> list[JSON]:
        """Return every chat.postEphemeral's args (plus channel and message_ts)."""
        return self.world.ephemerals

    @property
    def home_views(self) -> dict[str, JSON]:
        """Return the App Home view last published for each user id."""
        return self.world.home_views

    @property
    def opened_views(self) -> list[JSON]:
        """Return the modals opened with views.open, oldest first."""
        return self.world.opened_views

    @property
    def files(self) -> dict[str, UploadedFile]:
        """Return the bot's files by id, oldest first: `data` holds the uploaded bytes."""
        return self.world.files

    def upload_url(self, file_id: str) -> str:
        """Return the URL files.getUploadURLExternal hands out for `file_id` (on the fake)."""
        return f"{self._server.base_url}/upload/{file_id}"

    def delay_file_processing(self, refusals: int = 1) -> None:
        """Make each file completed from now on refused in the first `refusals` messages.

        Slack processes an upload after files.completeUploadExternal answers, and a message
        showing the file before that is refused (invalid_blocks, "invalid slack file").
        """
        self.world.processing_refusals = refusals

    def signed_requests(self, endpoint_url: str) -> SlackRequests:
        """Return a `SlackRequests` for the bot at `endpoint_url`, with this workspace's ids.

        Its default response_url is ``response_url("default")``, so `respond()` lands here.
        """
        return SlackRequests(
            endpoint_url,
            self.signing_secret,
            team_id=self.team_id,
            app_id=self.app_id,
            bot_user_id=self.bot_user_id,
            default_response_url=self.response_url("default"),
        )

    # -- what the bot did -----------------------------------------------------------------

    @property
    def calls(self) -> list[RecordedCall]:
        """Return every Web API call, refused ones included, oldest first."""
        return self.recorder.calls

    @property
    def errors(self) -> list[str]:
        """Return failures inside the fake and requests to paths it does not serve."""
        return self.recorder.errors

    def calls_to(self, method: str, *, include_failed: bool = False) -> list[RecordedCall]:
        """Return the calls of `method` (say "chat.postMessage"), oldest first.

        Calls answered by a `fail_next` rule are left out unless `include_failed`.
        """
        return self.recorder.calls_to(method, include_failed=include_failed)

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[RecordedCall], bool] | None = None,
        timeout: float = 5.0,
        count: int = 1,
    ) -> RecordedCall:
        """Wait for `count` answered calls of `method` that match `predicate`; return the last."""

        def enough() -> RecordedCall | None:
            found = [c for c in self.calls_to(method) if predicate is None or predicate(c)]
            return found[count - 1] if len(found) >= count else None

        return await self.recorder.signal.wait_for(enough, timeout, f"{count} x {method}")

    def response_url(self, key: str) -> str:
        """Return a response_url on the fake; what is POSTed there is kept under `key`."""
        return f"{self._server.base_url}/response/{key}"

    def responses(self, key: str, *, include_refused: bool = False) -> list[RecordedResponse]:
        """Return what was POSTed to ``response_url(key)``, oldest first.

        Posts the fake refused (see `RecordedResponse.status`) are left out unless
        `include_refused`.
        """
        return [
            r for r in self.recorder.responses if r.key == key and (include_refused or r.accepted)
        ]

    async def wait_for_response(
        self, key: str, timeout: float = 5.0, count: int = 1
    ) -> RecordedResponse:
        """Wait for the `count`-th accepted POST to ``response_url(key)``; return it."""

        def enough() -> RecordedResponse | None:
            found = self.responses(key)
            return found[count - 1] if len(found) >= count else None

        return await self.recorder.signal.wait_for(enough, timeout, f"response #{count} to {key}")

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with `error` (after the token check).

        A 429 carries ``Retry-After: <retry_after>`` (whole seconds, as Slack sends it), which
        slack_sdk's AsyncRateLimitErrorRetryHandler sleeps on (plus up to 1 s of jitter).
        """
        self.recorder.failures.append(FailureRule(method, error, status, retry_after, times))

    def fail_next_upload(
        self, status: int = 500, body: str = "upload failed", times: int = 1
    ) -> None:
        """Answer the next `times` upload POSTs with HTTP `status` and a plain-text `body`.

        slack_sdk's files_upload_v2 raises SlackRequestError on any status but 200.
        """
        self.recorder.failures.append(FailureRule(UPLOAD, body, status, None, times))

    # -- handlers -------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            parsed = await parse_call(request)
        except ValueError as exc:
            call = RecordedCall(method, {}, None, request.method, request.content_type)
            reply = ApiReply(error("invalid_json", detail=str(exc)))
        else:
            call = RecordedCall(
                method, parsed.args, parsed.token, request.method, parsed.content_type
            )
            try:
                reply = self._answer(call)
            except Exception as exc:  # a bug in the fake: make it loud, not a hang
                log.exception("fake Slack: %s failed", method)
                self.recorder.errors.append(f"{method}: {exc!r}")
                reply = ApiReply(error("fatal_error"), status=500)
        call.status, call.response = reply.status, reply.body
        await self.recorder.add_call(call)
        return reply.to_response()

    def _answer(self, call: RecordedCall) -> ApiReply:
        handler = self.api.methods.get(call.method)
        if handler is None:
            return ApiReply(error("unknown_method", req_method=call.method))
        if call.token is None:
            return ApiReply(error("not_authed"))
        if call.token != self._bot_token:
            return ApiReply(error("invalid_auth"))
        # Slack sends the granted scopes on every authenticated answer; bolt keeps them.
        headers = {"X-OAuth-Scopes": ",".join(sorted(self.scopes))}
        rule = self.recorder.take_failure(call.method)
        if rule is not None:
            call.failed_on_purpose = True
            if rule.status == 429 and rule.retry_after is not None:
                headers["Retry-After"] = str(rule.retry_after)
            return ApiReply(error(rule.error), rule.status, headers)
        needed = SCOPES[call.method]
        if needed and needed not in self.scopes:
            provided = ",".join(sorted(self.scopes))
            return ApiReply(error("missing_scope", needed=needed, provided=provided), 200, headers)
        return ApiReply(handler(call.args), 200, headers)

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        text = await request.text()
        try:
            body: object = json.loads(text)
        except ValueError:
            body = text  # kept as sent, so a test can see what was wrong with it
        key = request.match_info["key"]
        blocks = body.get("blocks") if isinstance(body, dict) else None
        if isinstance(blocks, list) and image_problems(self.world, blocks):
            # What Slack answers a response_url post whose blocks it refuses.
            refused = RecordedResponse(key, body, request.content_type, status=404)
            await self.recorder.add_response(refused)
            return json_response({"ok": False, "error": "invalid_blocks"}, 404)
        await self.recorder.add_response(RecordedResponse(key, body, request.content_type))
        # Slack answers a response_url post with a bare "ok"; slack_sdk only keeps the text.
        return web.Response(text="ok", content_type="text/plain")

    async def _handle_upload(self, request: web.Request) -> web.Response:
        """Take a file's bytes, raw or multipart, as Slack's upload URLs do (no token needed)."""
        file = self.world.files.get(request.match_info["file_id"])
        if file is None:
            return await self._handle_stray(request)
        rule = self.recorder.take_failure(UPLOAD)
        if rule is not None:
            return web.Response(status=rule.status, text=rule.error)
        file.data, file.content_type = await _upload_body(request), request.content_type
        await self.recorder.signal.notify()
        return web.Response(text=f"OK - {len(file.data)}", content_type="text/plain")

    async def _handle_stray(self, request: web.Request) -> web.Response:
        self.recorder.errors.append(f"request to a path the fake does not serve: {request.path}")
        await self.recorder.signal.notify()
        return json_response({"ok": False, "error": "not_found"}, 404)


async def _upload_body(request: web.Request) -> bytes:
    """Return an upload's bytes: the body itself, or the first file part of a multipart form."""
    if not request.content_type.startswith("multipart/"):
        return await request.read()
    reader = await request.multipart()
    async for part in reader:
        if isinstance(part, BodyPartReader) and part.filename is not None:
            return bytes(await part.read())
    return b""
