"""The REST half of the fake Discord: auth, rate limits, recording and routing."""

from __future__ import annotations

import json
import logging
import math
import re
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import unquote

from aiohttp import BodyPartReader, web

from .ratelimits import RouteLimits
from .recording import JSON, RateLimitRule, RecordedFile, RecordedRequest, Recorder
from .world import World

log = logging.getLogger(__name__)

GUILDS_INTENT = 1 << 0
GUILD_MEMBERS_INTENT = 1 << 1
GUILD_MESSAGES_INTENT = 1 << 9
DIRECT_MESSAGES_INTENT = 1 << 12

UNAUTHORIZED = {"message": "401: Unauthorized", "code": 0}
NOT_FOUND = {"message": "404: Not Found", "code": 0}
MISSING_ACCESS = {"message": "Missing Access", "code": 50001}
MISSING_PERMISSIONS = {"message": "Missing Permissions", "code": 50013}
INVALID_JSON = {"message": "The request body contains invalid JSON.", "code": 50109}


def unknown(what: str, code: int) -> JSON:
    """Build Discord's 'Unknown <thing>' error body."""
    return {"message": f"Unknown {what}", "code": code}


@dataclass
class Reply:
    """A REST answer; `body=None` means no body (and then no Content-Type, as Discord's 204)."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def to_response(self) -> web.Response:
        """Build the aiohttp response.

        The Content-Type is set by hand: discord.py parses a body as JSON only when the header is
        exactly ``application/json``, and aiohttp's json_response would add ``; charset=utf-8``.
        """
        if self.body is None:
            return web.Response(status=self.status, headers=self.headers)
        headers = {"Content-Type": "application/json", **self.headers}
        return web.Response(
            status=self.status, body=json.dumps(self.body).encode(), headers=headers
        )


Handler = Callable[[re.Match[str], RecordedRequest], Awaitable[Reply]]


class GatewayEvents(Protocol):
    """What REST needs from the gateway: tell the connected bot about a change."""

    async def emit(self, event: str, data: JSON, *, intent: int) -> None:
        """Dispatch `event` if a bot is connected and asked for `intent`."""


class RestApi:
    """Answer Discord REST v10 calls from the `World`, recording each one."""

    def __init__(
        self,
        world: World,
        recorder: Recorder,
        events: GatewayEvents,
        *,
        token: str,
        echo_bot_messages: bool,
        limits: RouteLimits | None = None,
    ) -> None:
        self.world = world
        self.limits = limits
        self.recorder = recorder
        self.events = events
        self.token = token
        self.echo_bot_messages = echo_bot_messages
        self.gateway_url = ""  # known once the server is bound
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add_route(self, method: str, pattern: str, handler: Handler) -> None:
        """Answer `method` on paths fully matching `pattern` (relative to the API base)."""
        self._routes.append((method, re.compile(pattern), handler))

    async def handle(self, request: web.Request) -> web.Response:
        """Answer one call on /api/v10/... and record it."""
        path = "/" + request.match_info["tail"]
        try:
            body, files = await _read_body(request)
        except ValueError as exc:  # bad JSON: answer as Discord does, not with a 500
            body, files = f"unreadable body: {exc}", []
            bad_body: Reply | None = Reply(400, INVALID_JSON)
        else:
            bad_body = None
        recorded = RecordedRequest(request.method, path, dict(request.query), body, files)
        reason = request.headers.get("X-Audit-Log-Reason")
        # discord.py percent-encodes the reason (headers are latin-1); Discord decodes it.
        recorded.reason = unquote(reason) if reason is not None else None
        reply = bad_body or await self._answer(request, recorded)
        recorded.status, recorded.response = reply.status, reply.body
        await self.recorder.add(recorded)
        return reply.to_response()

    async def _answer(self, request: web.Request, recorded: RecordedRequest) -> Reply:
        auth = request.headers.get("Authorization")
        # Interaction callbacks and webhooks carry their token in the path, not a header.
        needs_auth = not recorded.path.startswith(("/interactions/", "/webhooks/"))
        if (auth is not None or needs_auth) and auth != f"Bot {self.token}":
            return Reply(401, UNAUTHORIZED)
        rule = self.recorder.take_rate_limit(recorded.method, recorded.path)
        if rule is not None:
            recorded.rate_limited = True
            return _rate_limited(rule, recorded.path)
        failure = self.recorder.take_failure(recorded.method, recorded.path)
        if failure is not None:
            return Reply(failure.status, failure.body)
        if self.limits is None:
            return await self._route(recorded)
        headers, wait, is_global = self.limits.check(recorded.method, recorded.path)
        if wait is not None:
            recorded.rate_limited = True
            body = {"message": "You are being rate limited.", "retry_after": round(wait, 3),
                    "global": is_global}  # fmt: skip
            if is_global:
                headers = {**headers, "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}
            return Reply(429, body, {**headers, "Retry-After": str(math.ceil(wait))})
        reply = await self._route(recorded)
        reply.headers = {**headers, **reply.headers}
        return reply

    async def _route(self, recorded: RecordedRequest) -> Reply:
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(recorded.path)
            if method == recorded.method and match is not None:
                try:
                    return await handler(match, recorded)
                except Exception as exc:
                    # Not a 500: discord.py retries those with sleeps of 1, 3, 5... seconds.
                    log.exception("fake Discord failed on %s %s", recorded.method, recorded.path)
                    self.recorder.errors.append(f"{recorded.method} {recorded.path}: {exc!r}")
                    return Reply(400, {"message": f"fake Discord failed: {exc!r}", "code": 0})
        return Reply(404, NOT_FOUND)


def _rate_limited(rule: RateLimitRule, path: str) -> Reply:
    """Build a 429 that discord.py honours (it needs `Via`, else it assumes a Cloudflare ban)."""
    headers = {
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
        "X-RateLimit-Bucket": f"fake-{zlib.crc32(rule.path_regex.encode()):08x}",
        "X-RateLimit-Scope": "user",
        "Retry-After": str(max(1, round(rule.retry_after))),
        "Via": "1.1 google",
    }
    body = {
        "message": "You are being rate limited.",
        "retry_after": rule.retry_after,
        "global": False,
    }
    log.debug("fake Discord rate limits %s for %.3f s", path, rule.retry_after)
    return Reply(429, body, headers)


async def _read_body(request: web.Request) -> tuple[Any, list[RecordedFile]]:
    """Return (JSON body or multipart `payload_json`, uploaded files)."""
    if not request.body_exists:
        return None, []
    if request.content_type == "multipart/form-data":
        payload: Any = None
        files: list[RecordedFile] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                payload = json.loads(await part.text())
            elif part.filename is not None:
                data = bytes(await part.read(decode=False))
                content_type = part.headers.get("Content-Type")
                files.append(RecordedFile(part.name or "", part.filename, content_type, data))
        return payload, files
    raw = await request.read()
    if request.content_type == "application/json" and raw:
        return json.loads(raw), []
    return raw.decode("utf-8", "replace") or None, []
