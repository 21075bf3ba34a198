"""The HTTP side of the fake Slack: read a Web API call the way Slack does, and answer in JSON."""

from __future__ import annotations

import contextlib
import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .world import JSON

# Form encoding can only carry strings, so slack_sdk (and Slack's docs) send these as JSON text
# (`files` is files.completeUploadExternal's list of {id, title}).
JSON_STRING_FIELDS = ("blocks", "view", "attachments", "metadata", "files")


@dataclass
class ParsedCall:
    """What one Web API request carried, before the fake looks at it."""

    args: JSON
    token: str | None
    content_type: str


@dataclass
class ApiReply:
    """A Web API answer: JSON, HTTP 200 unless a failure rule says otherwise."""

    body: JSON
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def to_response(self) -> web.Response:
        """Build the aiohttp response with exactly ``Content-Type: application/json``."""
        return json_response(self.body, self.status, self.headers)


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """Answer JSON with a bare ``application/json`` type.

    aiohttp's json_response would add ``; charset=utf-8``; slack_sdk copes with either, but
    a bare type keeps the fake's answers alike for any client a test may use.
    """
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


async def parse_call(request: web.Request) -> ParsedCall:
    """Merge query string, form fields and JSON body into one args dict; find the token.

    slack_sdk sends most methods as a POST whose arguments ride in the query string (its
    `params=`), chat.* and views.* as a JSON body, users.info and usergroups.users.list as a
    GET; a plain form POST is what curl and Slack's docs use. Raise ValueError on a body that
    is not what its Content-Type says.
    """
    args: JSON = dict(request.query)
    content_type = request.content_type
    raw = await request.text()
    form_token: str | None = None
    if raw and content_type == "application/json":
        body = json.loads(raw)
        if not isinstance(body, dict):
            raise ValueError("a JSON body must be an object")
        args.update(body)
    elif raw:
        form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
        form_token = form.pop("token", None)
        args.update(form)
    for name in JSON_STRING_FIELDS:
        if isinstance(args.get(name), str):
            # Undecodable JSON stays a string: the method then answers invalid_blocks / ...
            with contextlib.suppress(ValueError):
                args[name] = json.loads(args[name])
    # The header wins; else a form field. Slack takes no token from a JSON body nor (for apps
    # made since 2021) from the query string, so one there is dropped and does not count.
    args.pop("token", None)
    auth = request.headers.get("Authorization", "")
    token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else form_token
    return ParsedCall(args, token or None, content_type)
