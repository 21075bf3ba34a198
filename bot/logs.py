"""Logging set-up: plain lines for people, JSON lines for log collectors."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

# Attributes every LogRecord has; anything else was passed with `extra=` and is worth keeping.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format each record as one JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(
    level: str, *, json_lines: bool = False, file: Path | None = None, stream: TextIO | None = None
) -> None:
    """Send logs to file (if given) or to stderr, as text or JSON lines."""
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # These are chatty at INFO (alembic lists its plugins on every start, APScheduler says
    # twice per tick that a job ran); their warnings still come through.
    for noisy in (
        "sqlalchemy.engine",
        "aiosqlite",
        "asyncio",
        "alembic.runtime.migration",
        "alembic.runtime.plugins",
        "apscheduler",
        "bm25s",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    _quiet_voice_warnings(logging.getLogger("discord.client"))
    # slack_sdk's debug lines print whole Web API bodies: what members wrote.
    logging.getLogger("slack_sdk").setLevel(max(logging.INFO, logging.getLevelName(level)))


class _NoVoiceWarnings(logging.Filter):
    """Drop discord.py's start-up warnings about voice libraries: the bot has no voice."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Return False for "PyNaCl/davey is not installed, voice will NOT be supported"."""
        return "voice will NOT be supported" not in str(record.msg)


def _quiet_voice_warnings(logger: logging.Logger) -> None:
    if not any(isinstance(f, _NoVoiceWarnings) for f in logger.filters):
        logger.addFilter(_NoVoiceWarnings())
