"""Turn text into search terms: normalize, split, drop filler words, stem."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import Stemmer

# Filler words carry no meaning for retrieval. Kept short on purpose: words like "how long",
# "free" or "first" are meaningful in this domain and stay. The last line is the tone of a
# plea ("URGENT, anyone?"), never its subject.
_STOPWORD_TEXT = """
    a about above actually after again all also am an and any anyway are aren arent as at
    basically be because been before being below between both bother but by can cannot cant
    could couldn cuz did didn didnt do does doesn doesnt doing don dont down during each few
    for from further get gets gonna got guess had has have having he hello her here heres
    hers hey hi him his honestly hows i id if ill im in into is isn isnt it its itself ive
    just kinda let lets literally lot lots maybe me more most my myself no nor not of off ok
    okay on once only or other our ours out over own please pls plz probably really same
    seriously she should shud so some stuff such tell than thank thanks that thats the their
    them then there theres these they theyre thing things this those through to too totally
    u under until up ur very wanna was wat we were what whatever whats when where wheres
    which while who whom whos wht why whys wich will with wont would wut yeah yes you youll your
    youre yours yourself
    anybody anyone desperate desperately everybody folks guys somebody someone urgent urgently
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_TOKEN = re.compile(r"[a-z0-9]+")
_ONE_LETTER_WORDS = frozenset("cr")


class Analyzer:
    """Normalize, tokenize and stem text the same way for documents and questions."""

    def __init__(self, replacements: Mapping[str, str]) -> None:
        self._replacements = dict(replacements)
        # One pass for all spellings; longest first, so "asp.net" wins over ".net".
        alternatives = "|".join(re.escape(k) for k in sorted(replacements, key=len, reverse=True))
        self._spellings = re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")
        self._stemmer = Stemmer.Stemmer("english")

    def normalize(self, text: str) -> str:
        """Return lowercased text with technical spellings unified (c# -> csharp, ...)."""
        # Contractions lose their apostrophe ("what's" -> "whats", a filler word).
        text = f" {text.casefold()} ".replace("'", "").replace("\u2019", "")
        if not self._replacements:
            return text
        return self._spellings.sub(lambda m: f" {self._replacements[m.group()]} ", text)

    def words(self, text: str) -> list[str]:
        """Return the meaningful words of text, unstemmed (for spelling repair)."""
        return [
            w
            for w in _TOKEN.findall(self.normalize(text))
            # Single letters are initials and list markers ("q", "x", "b)"), except digits and the
            # languages C and R.
            if w not in STOPWORDS and (len(w) > 1 or w in _ONE_LETTER_WORDS or w.isdigit())
        ]

    def stem(self, words: Iterable[str]) -> list[str]:
        """Return the stems of words."""
        return list(self._stemmer.stemWords(list(words)))

    def terms(self, text: str) -> list[str]:
        """Return the stemmed search terms of text."""
        return self.stem(self.words(text))
