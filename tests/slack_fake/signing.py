"""How Slack signs what it posts to an app, and the app's answer as `SlackRequests` returns it."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypedDict

from .world import JSON

STALE_AGE = 6 * 60  # seconds: past the 5 minutes a Slack app must accept


def slack_signature(signing_secret: str, timestamp: str, body: str) -> str:
    """Return Slack's request signature: ``v0=`` + HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


class Tampering(TypedDict, total=False):
    """How to spoil a request: `bad_signature` signs with a wrong secret; `age` backdates it (s)."""

    bad_signature: bool
    age: float


@dataclass(frozen=True)
class HttpReply:
    """The bot's HTTP answer; unpacks as ``status, body``.

    `body` is parsed JSON when the answer says ``application/json``, else the text. `sent` is
    what was posted (the form dict or the JSON envelope), so a test can re-send an event_id.
    `elapsed` is how long the answer took, in seconds: Slack gives up after 3.
    """

    status: int
    body: Any
    content_type: str
    headers: dict[str, str]
    elapsed: float
    sent: JSON = field(repr=False)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.status, self.body))
