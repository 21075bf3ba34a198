"""Turn text into search terms: normalize, split, drop filler words, stem."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import Stemmer

# Filler words carry no meaning for retrieval. Kept short on purpose: words like "how long",
# "free" or "first" are meaningful in this domain and stay.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "couldn",
        "did",
        "didn",
        "do",
        "does",
        "doesn",
        "doing",
        "don",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "i",
        "if",
        "im",
        "in",
        "into",
        "is",
        "isn",
        "it",
        "its",
        "itself",
        "ive",
        "just",
        "let",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "please",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "wanna",
        "gonna",
        "kinda",
        "lot",
        "lots",
        "really",
        "also",
        "ok",
        "okay",
        "hey",
        "hi",
        "hello",
        "thanks",
        "thank",
        "tell",
        "wat",
        "wht",
        "whats",
        "u",
        "ur",
        "pls",
        "plz",
        "im",
        "ive",
        "id",
        "shud",
        "wich",
        "cuz",
        "youre",
        "theyre",
        "dont",
        "cant",
        "wont",
        "isnt",
        "arent",
        "didnt",
        "doesnt",
        "ill",
        "youll",
        "thats",
        "theres",
        "heres",
        "hows",
        "whys",
        "wheres",
        "whos",
        "lets",
    ]
)

_TOKEN = re.compile(r"[a-z0-9]+")


class Analyzer:
    """Normalize, tokenize and stem text the same way for documents and questions."""

    def __init__(self, replacements: Mapping[str, str]) -> None:
        # Longest first, so "asp.net" is replaced before ".net".
        self._replacements = sorted(replacements.items(), key=lambda kv: -len(kv[0]))
        self._stemmer = Stemmer.Stemmer("english")

    def normalize(self, text: str) -> str:
        """Return lowercased text with technical spellings unified (c# -> csharp, ...)."""
        # Contractions lose their apostrophe ("what's" -> "whats", a filler word).
        text = f" {text.casefold()} ".replace("'", "").replace("\u2019", "")
        for old, new in self._replacements:
            if old in text:
                text = re.sub(rf"(?<![a-z0-9]){re.escape(old)}(?![a-z0-9])", f" {new} ", text)
        return text

    def words(self, text: str) -> list[str]:
        """Return the meaningful words of text, unstemmed (for spelling repair)."""
        return [w for w in _TOKEN.findall(self.normalize(text)) if w not in STOPWORDS]

    def stem(self, words: Iterable[str]) -> list[str]:
        """Return the stems of words."""
        return list(self._stemmer.stemWords(list(words)))

    def terms(self, text: str) -> list[str]:
        """Return the stemmed search terms of text."""
        return self.stem(self.words(text))
