"""Build the roadmap Q&A alone: knowledge base and search index, no database."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.core.knowledge import KnowledgeBase
from bot.core.roadmap.qa import QuestionAnswerer
from bot.paths import resource_dir
from bot.retrieval.index import BM25KnowledgeIndex
from bot.storage.content import load_knowledge, load_vocabulary


def content_dir(settings: Settings) -> Path:
    """Return the roadmap_data folder the bot reads."""
    return settings.content_dir or resource_dir("roadmap_data")


def build_answerer(
    settings: Settings,
) -> tuple[KnowledgeBase, BM25KnowledgeIndex, QuestionAnswerer]:
    """Load the knowledge base and build the Q&A service on its search index."""
    folder = content_dir(settings)
    knowledge = load_knowledge(folder)
    replacements, also_search = load_vocabulary(folder)
    index = BM25KnowledgeIndex(knowledge, replacements, also_search)
    return knowledge, index, QuestionAnswerer(knowledge, index)
