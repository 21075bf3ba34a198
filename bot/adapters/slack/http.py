"""Slack's HTTP endpoint: size and signature are checked on the raw bytes before bolt parses."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

# Slack's largest payloads (a message of 50 blocks, a modal's state) are far below this;
# anything bigger is not from Slack and is refused before it is read in full.
MAX_BODY_BYTES = 256 * 1024
INVALID = {"error": "invalid request"}


class SlackHttpListener:
    """Serve bolt over aiohttp, refusing oversized (413) and unsigned (401) requests first."""

    def __init__(self, app: AsyncApp, signing_secret: str, max_body: int = MAX_BODY_BYTES) -> None:
        self._app = app
        self._verifier = SignatureVerifier(signing_secret)
        self._max_body = max_body

    def web_app(self, path: str) -> web.Application:
        """Return the aiohttp application answering POSTs to path."""
        # client_max_size also bounds bodies sent without a Content-Length (chunked).
        application = web.Application(client_max_size=self._max_body)
        application.router.add_post(path, self.handle)
        return application

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Check one request, then hand it to bolt; nothing here logs its body."""
        if request.content_length is not None and request.content_length > self._max_body:
            return self._refuse(413, "too large", request.content_length)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return self._refuse(413, "too large", None)
        if not self._signed(request, body):
            return self._refuse(401, "not signed by Slack", len(body))
        try:
            # Bolt parses the body when the request is built: only signed bytes get here.
            bolt_request = AsyncBoltRequest(
                body=body.decode(),
                query=request.query_string,
                headers=request.headers,  # type: ignore[arg-type]
            )
        except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            return self._refuse(400, "signed but unreadable", len(body))
        return await to_aiohttp_response(await self._app.async_dispatch(bolt_request))

    def _signed(self, request: web.Request, body: bytes) -> bool:
        """Return True when the Slack signature and its timestamp are valid."""
        timestamp = request.headers.get("X-Slack-Request-Timestamp")
        signature = request.headers.get("X-Slack-Signature")
        try:
            return self._verifier.is_valid(body, timestamp, signature)
        except (ValueError, TypeError):  # a timestamp that is no number; a non-ASCII signature
            return False

    @staticmethod
    def _refuse(status: int, reason: str, size: int | None) -> web.Response:
        log.info("refused a Slack request (%s, %s bytes): %d", reason, size or "?", status)
        return web.json_response(INVALID, status=status)
