"""Measure casual wording the index has not seen: each fact's asks, half held out.

Run: .venv/bin/python bench/held_out_asks.py

Every fact is indexed with only its even-numbered ways of asking and asked with the odd ones,
then the other way round. An ask is on-topic by construction, so a decline is always wrong;
the right fact (or its topic's card) being shown is the paraphrase rate the public files
measure with far fewer questions. Used to price a decline rule: what it costs on-topic.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answering import content_dir
from bot.config import load_settings
from bot.core.knowledge import KnowledgeBase
from bot.core.roadmap.qa import QuestionAnswerer
from bot.retrieval.index import BM25KnowledgeIndex
from bot.storage.content import load_knowledge, load_vocabulary


def _half(kb: KnowledgeBase, parity: int) -> KnowledgeBase:
    """Return kb with only the asks at positions of the given parity."""
    facts = tuple(
        dataclasses.replace(f, asks=tuple(a for i, a in enumerate(f.asks) if i % 2 == parity))
        for f in kb.facts
    )
    return dataclasses.replace(kb, facts=facts)


def main() -> None:
    folder = content_dir(load_settings())
    kb = load_knowledge(folder)
    replacements, also_search = load_vocabulary(folder)
    asked = first = shown = declined = 0
    for parity in (0, 1):
        half = _half(kb, parity)
        answerer = QuestionAnswerer(half, BM25KnowledgeIndex(half, replacements, also_search))
        for fact in kb.facts:
            for ask in fact.asks[1 - parity :: 2]:
                answer = answerer.answer(ask)
                asked += 1
                declined += not answer.confident
                first += answer.documents[:1] == (f"fact:{fact.id}",)
                shown += f"fact:{fact.id}" in answer.documents or any(
                    d.removeprefix("topic:") in fact.topics for d in answer.documents
                )
    print(f"held-out asks: {asked}")
    for label, count in (("right fact first", first), ("right fact or its topic shown", shown)):
        print(f"  {label}: {count} ({100 * count / asked:.1f}%)")
    print(f"  declined (always wrong): {declined} ({100 * declined / asked:.1f}%)")


if __name__ == "__main__":
    main()
