"""Where the bot finds the files it ships with: content and migrations."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder `name` (roadmap_data, migrations) from a wheel or from a checkout."""
    bundled = _PACKAGE_DIR / "_bundled" / name  # an installed wheel, e.g. the Docker image
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / name  # an editable install or a plain checkout
