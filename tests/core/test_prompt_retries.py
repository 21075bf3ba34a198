"""When a failed prompt delivery is tried again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.core.prompts.retries import BACKOFF, JITTER, MAX_ATTEMPTS, next_retry

NOW = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=3)


def test_waits_grow_with_each_failed_try() -> None:
    waits = [next_retry(n, NOW, LATER) for n in range(1, MAX_ATTEMPTS)]
    assert [w - NOW for w in waits if w] == list(BACKOFF)


def test_gives_up_after_the_last_try() -> None:
    assert next_retry(MAX_ATTEMPTS, NOW, LATER) is None


def test_waits_at_least_what_the_platform_asked() -> None:
    at = next_retry(1, NOW, LATER, retry_after=300)
    assert at == NOW + timedelta(seconds=300)


def test_a_wait_past_the_grace_is_cut_to_it_and_a_forced_one_gives_up() -> None:
    deadline = NOW + timedelta(minutes=10)
    assert next_retry(3, NOW, deadline) == deadline  # 15 minutes would overshoot
    assert next_retry(1, NOW, deadline, retry_after=11 * 60) is None
    assert next_retry(1, deadline, deadline) is None  # no time left at all


@given(
    attempts=st.integers(1, MAX_ATTEMPTS - 1),
    jitter=st.floats(*JITTER),
    retry_after=st.floats(0, 7200),
    grace_minutes=st.integers(0, 1440),
)
def test_a_retry_is_always_after_now_within_the_deadline_and_respects_the_wait(
    attempts: int, jitter: float, retry_after: float, grace_minutes: int
) -> None:
    deadline = NOW + timedelta(minutes=grace_minutes)
    at = next_retry(attempts, NOW, deadline, retry_after=retry_after, jitter=jitter)
    if at is not None:
        assert NOW < at <= deadline
        assert at >= NOW + timedelta(seconds=retry_after)
