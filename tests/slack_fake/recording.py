"""What the fake Slack remembers about the calls it answered, and how tests wait for them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from tests.fake_support import ChangeSignal

from .world import JSON


@dataclass
class RecordedCall:
    """One Web API call, as the fake saw it and answered it.

    `args` merges the query string, the form fields and the JSON body; `blocks`, `view` and
    `attachments` sent as JSON strings (form encoding) are decoded, so a test reads the same
    shape whichever encoding the client used. `token` is where it came from: the
    ``Authorization: Bearer`` header, else the ``token`` form field (never kept in `args`).
    """

    method: str
    args: JSON
    token: str | None
    http_method: str = "POST"
    content_type: str = ""
    status: int = 0
    response: JSON = field(default_factory=dict)
    failed_on_purpose: bool = False  # answered by a `fail_next` rule
    received_at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        """Tell whether the fake answered ``"ok": true``."""
        return bool(self.response.get("ok"))


@dataclass(frozen=True)
class RecordedResponse:
    """One POST to a `response_url` of the fake (what bolt's `respond()` sends).

    `status` is what the fake answered: 200, or 404 for blocks Slack would refuse (an image
    of a file it cannot show), as Slack answers a response_url.
    """

    key: str
    json: Any
    content_type: str
    status: int = 200
    received_at: float = field(default_factory=time.monotonic)

    @property
    def accepted(self) -> bool:
        """Tell whether the fake took the message (HTTP 200)."""
        return self.status == 200


@dataclass
class FailureRule:
    """Answer the next `times` calls of `method` with `error` (and HTTP `status`)."""

    method: str
    error: str
    status: int
    retry_after: int | None
    times: int


class Recorder:
    """Every call and response_url post, the pending failures, and errors inside the fake."""

    def __init__(self) -> None:
        self.calls: list[RecordedCall] = []
        self.responses: list[RecordedResponse] = []
        self.failures: list[FailureRule] = []
        self.errors: list[str] = []
        self.signal = ChangeSignal("fake Slack")

    async def add_call(self, call: RecordedCall) -> None:
        """Record an answered call and wake the waiters."""
        self.calls.append(call)
        await self.signal.notify()

    async def add_response(self, response: RecordedResponse) -> None:
        """Record a response_url post and wake the waiters."""
        self.responses.append(response)
        await self.signal.notify()

    def take_failure(self, method: str) -> FailureRule | None:
        """Use up one failure of the first rule for `method`, if any."""
        for rule in self.failures:
            if rule.method == method and rule.times > 0:
                rule.times -= 1
                return rule
        return None

    def calls_to(self, method: str, *, include_failed: bool = False) -> list[RecordedCall]:
        """Return the calls of `method`, oldest first (`fail_next` answers left out)."""
        return [
            c
            for c in self.calls
            if c.method == method and (include_failed or not c.failed_on_purpose)
        ]
