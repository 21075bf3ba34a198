"""What command tree was last synced to each Discord application, so restarts skip the sync."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


def sync_target(api_base: str, application_id: int | None, scope: str) -> str:
    """Name where a sync goes: one API base, one application, global or one guild."""
    # Keyed by all three: a data folder reused with another application, another API base
    # (a proxy, a test server) or another guild must still sync there once.
    return f"{api_base.rstrip('/')} application:{application_id} {scope}"


class SyncState:
    """The digest of the tree last synced to each target, kept in one JSON file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path  # None: remember nothing (always sync)

    def is_current(self, target: str, digest: str) -> bool:
        """Say whether target was last synced with this digest."""
        return self._read().get(target) == digest

    def remember(self, target: str, digest: str) -> None:
        """Record that target now has this digest (written atomically)."""
        if self.path is None:
            return
        synced = self._read() | {target: digest}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(synced, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        partial.replace(self.path)

    def _read(self) -> dict[str, str]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            found = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            # Losing it costs one sync per target, nothing more.
            log.warning("ignoring unreadable %s (%s); commands will be synced", self.path, error)
            return {}
        if not isinstance(found, dict):
            return {}
        return {str(k): str(v) for k, v in found.items()}
