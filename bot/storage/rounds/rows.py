"""Small helpers the pairing repositories share."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result


def changed(result: Result[Any]) -> int:
    """Return how many rows an UPDATE or INSERT changed (a claim won when above zero)."""
    return int(cast(CursorResult[Any], result).rowcount)
