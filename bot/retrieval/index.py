"""A BM25 index (bm25s) over facts, topics and resources, with typo repair (rapidfuzz)."""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
from rapidfuzz import fuzz, process

from bot.core.knowledge import KnowledgeBase
from bot.core.ports import SearchHit
from bot.retrieval.spelling import SpellingRepair
from bot.retrieval.text import Analyzer

log = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG when imported, which would print on every start.
logging.getLogger("bm25s").setLevel(logging.WARNING)

DOMAIN_WORDS = "backend developer developers development become becoming"
CONTEXT_WEIGHT = 0.35  # how much the whole message counts when ranking one part of it


@dataclass(frozen=True, slots=True)
class _Document:
    kind: str
    id: str
    terms: list[str]


def _documents(kb: KnowledgeBase, analyzer: Analyzer) -> list[_Document]:
    """Build one weighted bag of terms per fact, topic and resource."""
    names = {t.id: " ".join((t.name, *t.aliases)) for t in kb.topics}
    # "What does the Boot.dev author say..." names an article, not a topic.
    articles = {s.id: f"{s.site} {s.title} {s.author} author article" for s in kb.sources}
    docs = []
    for fact in kb.facts:
        # Ways of asking and keywords count twice: they are how learners phrase things.
        text = " ".join(
            [fact.answer, *fact.asks, *fact.asks, *fact.keywords, *fact.keywords]
            + [names[t] for t in fact.topics]
            + [articles[s] for s in fact.sources[:1]]
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

    def __init__(
        self,
        kb: KnowledgeBase,
        replacements: Mapping[str, str],
        also_search: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._analyzer = Analyzer(replacements)
        self._also_search = dict(also_search or {})
        self._docs = _documents(kb, self._analyzer)
        self._bm25 = bm25s.BM25()
        self._bm25.index([d.terms for d in self._docs], show_progress=False)
        self._term_sets = [frozenset(d.terms) for d in self._docs]
        frequency = Counter(term for terms in self._term_sets for term in terms)
        count = len(self._docs)
        self._idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5)
        self.spelling = SpellingRepair(self._words(kb))
        self._topic_phrases = self._phrases(kb)
        self._phrases_by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, topic_id in self._topic_phrases:  # longest first, kept per first word
            words = tuple(phrase.split())
            self._phrases_by_first.setdefault(words[0], []).append((words, topic_id))
            # "apis" finds the phrase "api": the first word may carry the plural too.
            if len(words) == 1:
                self._phrases_by_first.setdefault(words[0] + "s", []).append((words, topic_id))
        self._everywhere = frozenset(self._analyzer.terms(DOMAIN_WORDS))

    def _words(self, kb: KnowledgeBase) -> set[str]:
        texts = [f.answer + " " + " ".join(f.asks + f.keywords) for f in kb.facts]
        texts += [" ".join((t.name, *t.aliases, t.summary, *t.subtopics)) for t in kb.topics]
        texts += [r.title + " " + r.note for r in kb.resources]
        return {w for text in texts for w in self._analyzer.words(text)}

    def _phrases(self, kb: KnowledgeBase) -> list[tuple[str, str]]:
        phrases = [
            (" ".join(self._analyzer.words(name)), topic.id)
            for topic in kb.topics
            # The id names the topic too ("git", "caching"), even when no alias repeats it.
            for name in (topic.name, topic.id.replace("-", " "), *topic.aliases)
        ]
        # Longest first, so "nosql databases" wins over "databases".
        return sorted((p for p in phrases if p[0]), key=lambda p: -len(p[0]))

    def repair(self, words: Sequence[str]) -> list[str]:
        """Replace misspelt words by the closest word the knowledge base uses."""
        return self.spelling.words(words)

    def query_terms(self, text: str) -> list[str]:
        """Return the repaired, stemmed terms of a question, synonyms added."""
        words = self.repair(self._analyzer.words(text))
        words += [s for w in words for s in self._also_search.get(w, ()) if s not in words]
        terms = self._analyzer.stem(words)
        # Almost every question is about becoming a backend developer; those words only
        # decide the ranking when nothing else is asked.
        specific = [t for t in terms if t not in self._everywhere]
        return specific or terms

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
        words = self.repair(self._analyzer.words(text))
        found: dict[str, int] = {}
        position = 0
        while position < len(words):
            length = self._phrase_at(words, position, found)
            position += length or 1
        return sorted(found, key=found.__getitem__)

    def _phrase_at(self, words: list[str], position: int, found: dict[str, int]) -> int:
        """Record the longest topic phrase starting at position; return its length (0: none)."""
        for phrase, topic_id in self._phrases_by_first.get(words[position], ()):
            candidate = words[position : position + len(phrase)]
            if len(candidate) == len(phrase) and (
                tuple(candidate) == phrase or (*candidate[:-1], candidate[-1][:-1]) == phrase
            ):
                found.setdefault(topic_id, position)
                return len(phrase)
        return 0

    def terms(self, text: str) -> list[str]:
        """Return the meaningful search terms of text."""
        return self.query_terms(text)

    def topic_named(self, text: str) -> str | None:
        """Return the topic whose name or alias is all that text says (after filler words)."""
        words = " ".join(self.repair(self._analyzer.words(text)))
        plural = words[:-1] if words.endswith("s") else words
        for phrase, topic_id in self._topic_phrases:
            if phrase in (words, plural):
                return topic_id
        return None

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
