"""Load the human-edited content in roadmap_data/ into core types, validating as it goes."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, HttpUrl

from bot.core.ports import Source

log = logging.getLogger(__name__)


class SourceEntry(BaseModel):
    """One article as written in sources.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    site: str
    url: HttpUrl
    seed: str
    author: str | None = None
    year: int | None = None


class SourcesFile(BaseModel):
    """The whole sources.yaml file."""

    model_config = ConfigDict(extra="forbid")

    sources: list[SourceEntry]


def load_sources(content_dir: Path) -> list[Source]:
    """Return the articles listed in content_dir/sources.yaml; raise ValueError if invalid."""
    path = content_dir / "sources.yaml"
    document = SourcesFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    ids = [entry.id for entry in document.sources]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: source ids are not unique: {ids}")
    return [Source(e.id, e.title, e.site, str(e.url)) for e in document.sources]
