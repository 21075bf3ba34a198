"""A BM25 index (bm25s) over facts, topics and resources, with typo repair (rapidfuzz)."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
from rapidfuzz import fuzz, process

from bot.core.knowledge import KnowledgeBase
from bot.core.ports import SearchHit
from bot.retrieval.text import Analyzer

log = logging.getLogger(__name__)

CONTEXT_WEIGHT = 0.35  # how much the whole message counts when ranking one part of it
MIN_TYPO_LENGTH = 4  # shorter words have too many near neighbours to repair safely
TYPO_CUTOFF = 80.0
# A word this common in English is a real word the roadmap does not use ("trip", "square"),
# not a typo of one it does ("dokcer", "lern"): leave it alone.
COMMON_WORD_ZIPF = 3.0


def _english_frequency(word: str) -> float:
    """Return how common word is in English (Zipf scale: 0 never seen, 7 "the")."""
    # Imported on first use: loading the word lists costs a few hundred milliseconds,
    # which a one-shot `roadmap-bot ask` with no misspelling should not pay.
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


@dataclass(frozen=True, slots=True)
class _Document:
    kind: str
    id: str
    terms: list[str]


def _documents(kb: KnowledgeBase, analyzer: Analyzer) -> list[_Document]:
    """Build one weighted bag of terms per fact, topic and resource."""
    names = {t.id: " ".join((t.name, *t.aliases)) for t in kb.topics}
    docs = []
    for fact in kb.facts:
        # Ways of asking and keywords count twice: they are how learners phrase things.
        text = " ".join(
            [fact.answer, *fact.asks, *fact.asks, *fact.keywords, *fact.keywords]
            + [names[t] for t in fact.topics]
        )
        docs.append(_Document("fact", fact.id, analyzer.terms(text)))
    for topic in kb.topics:
        text = " ".join(
            [names[topic.id], names[topic.id], topic.summary, topic.why, *topic.subtopics]
        )
        docs.append(_Document("topic", topic.id, analyzer.terms(text)))
    for resource in kb.resources:
        text = " ".join(
            [resource.title, resource.title, resource.note, resource.kind]
            + [names[t] for t in resource.topics]
        )
        docs.append(_Document("resource", resource.id, analyzer.terms(text)))
    return docs


class BM25KnowledgeIndex:
    """Rank knowledge-base documents for a question; implements the KnowledgeIndex port."""

    def __init__(self, kb: KnowledgeBase, replacements: Mapping[str, str]) -> None:
        self._analyzer = Analyzer(replacements)
        self._docs = _documents(kb, self._analyzer)
        self._bm25 = bm25s.BM25()
        self._bm25.index([d.terms for d in self._docs], show_progress=False)
        self._term_sets = [frozenset(d.terms) for d in self._docs]
        frequency = Counter(term for terms in self._term_sets for term in terms)
        count = len(self._docs)
        self._idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5)
        self._vocabulary = sorted(self._words(kb))
        self._known_words = frozenset(self._vocabulary)
        self._topic_phrases = self._phrases(kb)

    def _words(self, kb: KnowledgeBase) -> set[str]:
        texts = [f.answer + " " + " ".join(f.asks + f.keywords) for f in kb.facts]
        texts += [" ".join((t.name, *t.aliases, t.summary, *t.subtopics)) for t in kb.topics]
        texts += [r.title + " " + r.note for r in kb.resources]
        return {w for text in texts for w in self._analyzer.words(text)}

    def _phrases(self, kb: KnowledgeBase) -> list[tuple[str, str]]:
        phrases = [
            (" ".join(self._analyzer.words(name)), topic.id)
            for topic in kb.topics
            for name in (topic.name, *topic.aliases)
        ]
        # Longest first, so "nosql databases" wins over "databases".
        return sorted((p for p in phrases if p[0]), key=lambda p: -len(p[0]))

    def repair(self, words: Sequence[str]) -> list[str]:
        """Replace misspelt words by the closest word the knowledge base uses."""
        repaired = []
        for word in words:
            if word in self._known_words or len(word) < MIN_TYPO_LENGTH or word.isdigit():
                repaired.append(word)
                continue
            match = process.extractOne(
                word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
            )
            if match and _english_frequency(word) < COMMON_WORD_ZIPF:
                repaired.append(match[0])
            else:
                repaired.append(word)
        return repaired

    def query_terms(self, text: str) -> list[str]:
        """Return the repaired, stemmed terms of a question."""
        return self._analyzer.stem(self.repair(self._analyzer.words(text)))

    def search(self, text: str, *, context: str = "", limit: int = 5) -> list[SearchHit]:
        """Return the best documents for text; context (the whole message) breaks ties."""
        terms = self.query_terms(text)
        if not terms:
            return []
        scores = self._bm25.get_scores(terms)
        if context and context != text:
            context_terms = self.query_terms(context)
            if context_terms:
                scores = scores + CONTEXT_WEIGHT * self._bm25.get_scores(context_terms)
        best = np.argsort(-scores)[:limit]
        unique = set(terms)
        total = sum(self._idf.get(t, self._unknown_idf) for t in unique)
        unknown = sum(self._unknown_idf for t in unique if t not in self._idf) / total
        hits = []
        for i in best:
            if scores[i] <= 0:
                continue
            matched = sum(self._idf[t] for t in unique if t in self._term_sets[i])
            hits.append(
                SearchHit(
                    kind=self._docs[i].kind,
                    id=self._docs[i].id,
                    score=float(scores[i]),
                    coverage=matched / total,
                    matched=matched,
                    unknown=unknown,
                )
            )
        return hits

    def topics_mentioned(self, text: str) -> list[str]:
        """Return ids of topics whose name or alias appears in text, in order of appearance."""
        words = " " + " ".join(self.repair(self._analyzer.words(text))) + " "
        found: dict[str, int] = {}
        for phrase, topic_id in self._topic_phrases:
            match = re.search(rf" {re.escape(phrase)}s? ", words)
            if match and topic_id not in found:
                found[topic_id] = match.start()
                words = words[: match.start()] + " " * len(match.group()) + words[match.end() :]
        return sorted(found, key=found.__getitem__)

    def find_topics(self, text: str, limit: int = 5) -> list[tuple[str, float]]:
        """Return (topic id, score 0-100) for topics whose name or alias text matches."""
        query = " ".join(self._analyzer.words(text)) or text.casefold().strip()
        choices = {phrase: topic_id for phrase, topic_id in reversed(self._topic_phrases)}
        matches = process.extract(query, list(choices), scorer=fuzz.WRatio, limit=limit * 3)
        best: dict[str, float] = {}
        for phrase, score, _ in matches:
            topic_id = choices[phrase]
            best[topic_id] = max(best.get(topic_id, 0.0), float(score))
        return sorted(best.items(), key=lambda kv: -kv[1])[:limit]
