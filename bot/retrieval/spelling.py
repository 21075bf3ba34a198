"""Spelling repair: a misspelt word becomes the closest word the knowledge base uses."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

MIN_TYPO_LENGTH = 4  # shorter words have too many near neighbours to repair safely
TYPO_CUTOFF = 80.0
# A word this common in English is a real word the roadmap does not use ("trip", "square"),
# not a typo of one it does ("dokcer", "lern"): leave it alone.
COMMON_WORD_ZIPF = 3.0
# Distinct unknown words remembered; a message repairs its words 6 to 10 times (parts,
# context, topic mentions), and learners repeat the same typos.
CACHE_SIZE = 8192


class SpellingRepair:
    """Repair words against a vocabulary; each distinct unknown word is looked up once."""

    def __init__(self, vocabulary: Iterable[str], cache_size: int = CACHE_SIZE) -> None:
        # Sorted, so that among equally close words the same one always wins.
        ordered = sorted(set(vocabulary))
        self._known = frozenset(ordered)
        # A word can only score TYPO_CUTOFF against words of a similar length (between 2/3
        # and 3/2 of its own), so each length gets its own shorter list to scan.
        longest = max(map(len, ordered), default=0)
        self._by_length = {
            size: [w for w in ordered if _close_in_length(size, len(w))]
            for size in range(MIN_TYPO_LENGTH, longest * 3 // 2 + 1)
        }
        # wordfreq reads its word lists on first use (0.2 to 0.5 s); pay that now, while
        # the bot starts, rather than inside the event loop on the first misspelt question.
        zipf_frequency("warm", "en")
        self.word = functools.lru_cache(maxsize=cache_size)(self._closest)

    def words(self, words: Sequence[str]) -> list[str]:
        """Return words with each misspelt one replaced by the closest known word."""
        return [
            w if w in self._known or len(w) < MIN_TYPO_LENGTH or w.isdigit() else self.word(w)
            for w in words
        ]

    def _closest(self, word: str) -> str:
        """Return the known word closest to an unknown word, or the word itself."""
        # The English check is a dictionary lookup (about 1 us), the fuzzy search scans
        # hundreds of words (about 60 us): ask the cheap question first.
        if zipf_frequency(word, "en") >= COMMON_WORD_ZIPF:
            return word
        candidates = self._by_length.get(len(word), [])
        match = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
        return match[0] if match else word


def _close_in_length(a: int, b: int) -> bool:
    """Return True when words of lengths a and b can be TYPO_CUTOFF similar (fuzz.ratio)."""
    # fuzz.ratio is 100 * 2 * common / (a + b), and common <= min(a, b).
    return 100 * 2 * min(a, b) >= TYPO_CUTOFF * (a + b)
