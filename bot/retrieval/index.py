"""A BM25 index (bm25s) over facts, topics and resources, with typo repair (rapidfuzz)."""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import bm25s
import numpy as np
from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

from bot.core.knowledge import KnowledgeBase
from bot.core.ports import SearchHit
from bot.retrieval.spelling import SpellingRepair
from bot.retrieval.text import Analyzer

log = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG when imported, which would print on every start.
logging.getLogger("bm25s").setLevel(logging.WARNING)

DOMAIN_WORDS = "backend developer developers development become becoming"
BM25_K1 = 1.5
BM25_B = 0.5  # measured on held-out asks: 0.4-0.6 alike, 0.75 (default) and 0.3 worse
CONTEXT_WEIGHT = 0.35  # how much the whole message counts when ranking one part of it
# An English word this common (wordfreq Zipf scale) that the roadmap never uses weighs only
# this share of a rare unknown word when deciding how much of a question a document covers.
# Only everyday words ("giant", "guys") get the discount: since every fact carries casual ways
# of asking, most casual words are known, and an unknown word like "iphone", "taxes" or
# "formula" is usually the very thing an off-topic question asks about.
COMMON_WORD_ZIPF = 4.5
COMMON_UNKNOWN_SHARE = 0.75
# Below this an unknown word is more likely a typo or junk ("ded", "companys") than English.
REAL_WORD_ZIPF = 3.0


class _Concept(NamedTuple):
    group: frozenset[str]  # a word's stem and its synonyms' stems
    weight: float
    english: bool = False  # a real English word the knowledge base never uses ("taxes")


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
        # Keywords count twice and each way of asking once: with about eight casual asks per fact,
        # counting them twice let their everyday words outweigh the answer itself.
        text = " ".join(
            [fact.answer, *fact.asks, *fact.keywords, *fact.keywords]
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
        # Milder length normalisation than the default 0.75: a fact's length is mostly its
        # casual asks, and a fact asked about in more ways should not rank lower for it.
        self._bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        self._bm25.index([d.terms for d in self._docs], show_progress=False)
        self._term_sets = [frozenset(d.terms) for d in self._docs]
        frequency = Counter(term for terms in self._term_sets for term in terms)
        count = len(self._docs)
        self._idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5)
        self.spelling = SpellingRepair(self._words(kb))
        self._topic_phrases = self._phrases(kb)
        # find_topics' fuzzy choices: each phrase once, the longest topic phrase winning.
        self._topic_choices = {phrase: topic for phrase, topic in reversed(self._topic_phrases)}
        self._choice_list = list(self._topic_choices)
        self._phrases_by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, topic_id in self._topic_phrases:  # longest first, kept per first word
            words = tuple(phrase.split())
            self._phrases_by_first.setdefault(words[0], []).append((words, topic_id))
            # "apis" finds the phrase "api": the first word may carry the plural too.
            if len(words) == 1:
                self._phrases_by_first.setdefault(words[0] + "s", []).append((words, topic_id))
        self._everywhere = frozenset(self._analyzer.terms(DOMAIN_WORDS))
        self._score_cache: dict[str, np.ndarray] = {}
        # Synonyms by stem, so "bugs" finds what "bug" is listed with.
        self._also_stems: dict[str, set[str]] = {}
        for word, more in self._also_search.items():
            stems = self._analyzer.stem([word, *more])
            self._also_stems.setdefault(stems[0], set()).update(s for s in stems[1:] if s)

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

    def terms(self, text: str) -> list[str]:
        """Return the meaningful search terms of text: repaired, stemmed, synonyms added."""
        words = self.repair(self._analyzer.words(text))
        words += [s for w in words for s in self._also_search.get(w, ()) if s not in words]
        terms = self._analyzer.stem(words)
        # Almost every question is about becoming a backend developer; those words only
        # decide the ranking when nothing else is asked.
        specific = [t for t in terms if t not in self._everywhere]
        return specific or terms

    def _concepts(self, text: str) -> list[_Concept]:
        """Return each distinct word of text as its stem and its synonyms' stems, weighted."""
        words = self.repair(self._analyzer.words(text))
        stems = self._analyzer.stem(words)
        # "What does a backend developer do?" has only domain words: then they are the question.
        specific = any(stem not in self._everywhere for stem in stems)
        concepts: dict[str, _Concept] = {}
        for word, stem in zip(words, stems, strict=True):
            if stem in concepts or (stem in self._everywhere and specific):
                continue
            group = frozenset([stem, *self._also_stems.get(stem, ())])
            known = [self._idf[t] for t in group if t in self._idf]
            if known:
                concepts[stem] = _Concept(group, max(known))
            else:
                english = zipf_frequency(word, "en") >= REAL_WORD_ZIPF
                concepts[stem] = _Concept(group, self._unknown_weight(word), english)
        return list(concepts.values())

    def _unknown_weight(self, word: str) -> float:
        """Weigh a word the knowledge base never uses: rare words weigh most."""
        # A word the roadmap never uses is either a specific term it does not cover
        # ("lasagna", "visa") or plain English a beginner words things with ("chopping",
        # "giant", "toolkit"). Only the first kind says the question is off the roadmap.
        if zipf_frequency(word, "en") >= COMMON_WORD_ZIPF:
            return self._unknown_idf * COMMON_UNKNOWN_SHARE
        return self._unknown_idf

    def _scores(self, concepts: list[_Concept]) -> np.ndarray:
        """Return each document's BM25 score: per concept, its best-scoring spelling."""
        # A word and its synonyms are one concept: summing them would count "money" four
        # times (money, salary, income, compensation) and drown the rest of the question.
        total = np.zeros(len(self._docs), dtype=np.float32)
        for group, *_ in concepts:
            known = [t for t in group if t in self._idf]
            if known:
                total += np.max([self._term_scores(t) for t in known], axis=0)
        return total

    def _term_scores(self, term: str) -> np.ndarray:
        """Return every document's BM25 score for one known term (cached per term)."""
        scores = self._score_cache.get(term)
        if scores is None:
            scores = self._bm25.get_scores([term]).astype(np.float32)
            self._score_cache[term] = scores
        return scores

    def search(self, text: str, *, context: str = "", limit: int = 5) -> list[SearchHit]:
        """Return the best documents for text; context (the whole message) breaks ties."""
        concepts = self._concepts(text)
        if not concepts:
            return []
        scores = self._scores(concepts)
        if context and context != text:
            scores = scores + CONTEXT_WEIGHT * self._scores(self._concepts(context))
        best = np.argsort(-scores)[:limit]
        total = sum(c.weight for c in concepts) or 1.0
        unknown = sum(c.weight for c in concepts if not c.group & self._idf.keys()) / total
        unfamiliar = sum(c.weight for c in concepts if c.english) / total
        hits = []
        for i in best:
            if scores[i] <= 0:
                continue
            found = [c.weight for c in concepts if c.group & self._term_sets[i]]
            hits.append(
                SearchHit(
                    kind=self._docs[i].kind,
                    id=self._docs[i].id,
                    score=float(scores[i]),
                    coverage=sum(found) / total,
                    matched=sum(found),
                    unknown=unknown,
                    shared=len(found),
                    asked=len(concepts),
                    unfamiliar=unfamiliar,
                )
            )
        return hits

    def known_share(self, text: str) -> float:
        """Return the share of text's meaningful words the knowledge base uses."""
        concepts = self._concepts(text)
        known = sum(1 for c in concepts if c.group & self._idf.keys())
        return known / len(concepts) if concepts else 0.0

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
        choices = self._topic_choices
        matches = process.extract(query, self._choice_list, scorer=fuzz.WRatio, limit=limit * 3)
        best: dict[str, float] = {}
        for phrase, score, _ in matches:
            topic_id = choices[phrase]
            best[topic_id] = max(best.get(topic_id, 0.0), float(score))
        return sorted(best.items(), key=lambda kv: -kv[1])[:limit]
