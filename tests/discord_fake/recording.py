"""What the fake Discord remembers about the calls it answered, and how tests wait for them."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from tests.fake_support import ChangeSignal

JSON = dict[str, Any]


@dataclass(frozen=True)
class RecordedFile:
    """One file part of a multipart request (`files[0]`, ...)."""

    form_name: str
    filename: str
    content_type: str | None
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        """Return the size of the file in bytes."""
        return len(self.data)


@dataclass
class RecordedRequest:
    """One REST call, as the fake saw it and answered it.

    `path` is relative to the API base (``/channels/1/messages``, no ``/api/v10``).
    `json` is the JSON body, or the parsed ``payload_json`` part of a multipart body.
    `reason` is the audit-log reason (``X-Audit-Log-Reason``, unquoted), if one was sent.
    """

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[RecordedFile]
    reason: str | None = None
    status: int = 0
    rate_limited: bool = False
    response: Any = None
    received_at: float = field(default_factory=time.monotonic)

    def matches(self, method: str, path_regex: str) -> bool:
        """Tell whether this request has `method` and a path that fully matches `path_regex`."""
        return self.method == method.upper() and re.fullmatch(path_regex, self.path) is not None


@dataclass
class RateLimitRule:
    """Answer the next `times` calls that match with a 429."""

    method: str
    path_regex: str
    times: int
    retry_after: float

    def applies_to(self, method: str, path: str) -> bool:
        """Tell whether a call is covered by this rule (and the rule is not used up)."""
        return (
            self.times > 0
            and self.method == method.upper()
            and re.fullmatch(self.path_regex, path) is not None
        )


@dataclass
class FailureRule:
    """Answer the next `times` calls that match with HTTP `status` and Discord's error `body`."""

    method: str
    path_regex: str
    status: int
    body: JSON
    times: int

    def applies_to(self, method: str, path: str) -> bool:
        """Tell whether a call is covered by this rule (and the rule is not used up)."""
        return (
            self.times > 0
            and self.method == method.upper()
            and re.fullmatch(self.path_regex, path) is not None
        )


class Recorder:
    """Every REST call answered, the pending rate limits, and errors inside the fake itself."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.rate_limits: list[RateLimitRule] = []
        self.failures: list[FailureRule] = []
        self.errors: list[str] = []
        self.signal = ChangeSignal("fake Discord")

    async def add(self, request: RecordedRequest) -> None:
        """Record an answered request and wake the waiters."""
        self.requests.append(request)
        await self.signal.notify()

    def take_rate_limit(self, method: str, path: str) -> RateLimitRule | None:
        """Use up one 429 of the first rule that covers this call, if any."""
        for rule in self.rate_limits:
            if rule.applies_to(method, path):
                rule.times -= 1
                return rule
        return None

    def take_failure(self, method: str, path: str) -> FailureRule | None:
        """Use up one answer of the first failure rule that covers this call, if any."""
        for rule in self.failures:
            if rule.applies_to(method, path):
                rule.times -= 1
                return rule
        return None

    def matching(
        self, method: str, path_regex: str, *, include_rate_limited: bool = False
    ) -> list[RecordedRequest]:
        """Return the recorded calls that match, oldest first."""
        return [
            r
            for r in self.requests
            if r.matches(method, path_regex) and (include_rate_limited or not r.rate_limited)
        ]
