"""Roadmap Q&A: understand a learner's message and answer it from the knowledge base only."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from bot.core.knowledge import KnowledgeBase
from bot.core.ports import KnowledgeIndex, SearchHit, Source
from bot.core.roadmap.noise import keep_clauses, strip_noise
from bot.core.roadmap.qa_render import Part, Renderer

MAX_QUESTION_CHARS = 600  # longer messages are read up to here; questions are short
MIN_COVERAGE = 0.5  # share of a question's meaning a document must contain to be trusted
MIN_TOPIC_COVERAGE = 0.3  # lower bar when the question names a roadmap topic outright
MIN_MATCHED = 4.5  # ...or when the document shares the question's rare, specific words
MIN_SHARED = 2
STRONG_SHARED = 3
STRONG_MATCHED = 9.0
MAX_UNFAMILIAR_STRONG = 0.5
# Naming a topic with this much unfamiliar English beside it ("file taxes as a freelancer") is
# no longer enough. Lower declines more casual on-topic wording: measured on facts' own asks
# held out of the index (0.25: 3.7% declined, 0.35: 3.3%, no limit: 2.0%).
MAX_UNFAMILIAR_NAMED = 0.35
MAX_UNKNOWN = 0.25  # ...unless much of the question is in words the roadmap never uses
RELATED_SCORE_RATIO = 0.7  # a second document is shown when it scores this close to the first
RELATED_COVERAGE_RATIO = 0.6
CHOICE_SCORE_RATIO = 0.5  # ...or this close when it is the other option of an "A or B?" question
REQUIRE_AGREEMENT = True  # ...and covers about as much of the question
RESOURCE_PENALTY = 0.6  # resource entries rank lower unless the learner asks for resources
TOPIC_PENALTY = 0.6  # broad topic cards rank below specific facts unless asked "what is X"

# Where one message asks two things: "..., and which ...", "...? How ...", "...; also ...".
_PARTS = re.compile(
    # A filler word may open the next sentence: "My cat spilled coffee. Anyway, what is git?"
    r"\?\s+(?=\w)|;\s*|[.!]\s+(?=(?:(?:and|anyway|so|ok|okay|but|also|well)\W+)?"
    r"(?:what|whats|which|how|hows|why|when|where|who|is|are|do|does|can|should)\b)|"
    r",?\s+(?:and|also|plus)\s+(?=(?:what|which|how|why|when|where|who|is|are|do|"
    r"does|can|should|name|list)\b)",
    re.IGNORECASE,
)
# Casual spellings without the apostrophe ("whats", "hows") ask too.
_QUESTION_WORD = (
    r"(?:what|whats|which|how|hows|why|when|where|who|is|are|do|does|can|could|should|will)\b"
)
# "Besides X, what ...?" or "<junk>, what is an API?": the question starts after the comma.
_LEAD_IN = re.compile(
    rf"^(?!\s*{_QUESTION_WORD})[^?]*?,\s*(?P<question>{_QUESTION_WORD}.*)$", re.IGNORECASE
)
_DEFINITION = re.compile(
    # "what does X do for me" asks what X does, not what X is: the card is no answer.
    # A short greeting or filler before it ("ok so", "anyway", "quick q") does not change that.
    r"^\s*(?:(?:ok|okay|so|but|and|anyway|hey|hi|hello|um|well|quick|q|question|also)\W+){0,3}"
    r"(?:what|wat|wht|wut)(?:'s|\u2019s|s)?\s+(?!(?:do|does|did|can|could|should|"
    r"would|will)\b)(?:exactly\s+|really\s+|even\s+)?"
    r"(?:is|are|r)?\s*(?:an?\s+|the\s+)?(?P<subject>.+?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_WANTS_RESOURCES = re.compile(
    r"\b(?:resources?|courses?|books?|tutorials?|docs|documentation|videos?|channels?|sites?|"
    r"websites?|platforms?|reading|read|watch|links?|materials?|list)\b",
    re.IGNORECASE,
)
# "Framework with everything, or a bare one?": a choice between options ("or not" is none).
_CHOICE = re.compile(r"\w,?\s+or\s+(?!not\b|nah\b|what\b|so\b)\w", re.IGNORECASE)
_AFTER = re.compile(r"\b(?:after|next|once i(?:'ve| have)?\s+(?:learn|know|finish)\w*)\b", re.I)


@dataclass(frozen=True, slots=True)
class Answer:
    """The bot's answer to one message."""

    question: str
    text: str
    topics: tuple[str, ...]
    sources: tuple[Source, ...]
    confident: bool
    # The knowledge-base entries chosen, as `kind:id` (`fact:sql-joins`, `topic:docker`):
    # what a Helpful / Not helpful rating is about.
    documents: tuple[str, ...] = ()


def clean_question(text: str) -> str:
    """Return text without mentions, markup and template junk, whitespace folded, bounded."""
    return strip_noise(text[: MAX_QUESTION_CHARS * 2])[:MAX_QUESTION_CHARS]


def split_parts(text: str) -> list[str]:
    """Return the separate questions in text (at most three), lead-in phrases dropped."""
    lead_in = _LEAD_IN.match(text)
    if lead_in:
        text = lead_in.group("question")
    parts = [p.strip(" ,.?!") for p in _PARTS.split(text)]
    parts = [p for p in parts if len(p.split()) >= 2]
    return parts[:3] or [text]


class QuestionAnswerer:
    """Answer roadmap questions from the knowledge base, or say plainly that it cannot."""

    def __init__(self, kb: KnowledgeBase, index: KnowledgeIndex, max_chars: int = 1800) -> None:
        self._kb = kb
        self._index = index
        self._renderer = Renderer(kb, max_chars)

    def answer(self, question: str) -> Answer:
        """Return the answer to question."""
        cleaned = keep_clauses(clean_question(question), self._index.known_share)
        if not any(ch.isalnum() for ch in cleaned):
            return self._result(question, [], self._renderer.nothing_to_answer())
        parts = self._parts(cleaned)
        found = [p for p in parts if p.hits]
        if not found:
            return self._result(question, [], self._renderer.decline())
        return self._result(question, found, self._renderer.render(parts))

    def _parts(self, cleaned: str) -> list[Part]:
        """Answer the message as one question, or as several when it clearly asks several."""
        # A piece with fewer than two meaningful words ("besides backend developer") is a
        # lead-in to the question, not a question of its own.
        pieces = [
            p
            for p in split_parts(cleaned)
            if len(set(self._index.terms(p))) >= 2 or _DEFINITION.match(p)
        ]
        whole = self._answer_part(cleaned, cleaned)
        if not pieces:
            return [whole]
        if len(pieces) == 1:
            single = self._answer_part(pieces[0], cleaned)
            return [single if _coverage(single) >= _coverage(whole) else whole]
        parts = [self._answer_part(piece, cleaned) for piece in pieces]
        if not _distinct(parts):
            # The whole message may pull two parts onto one document; each part on its own
            # says what it asks.
            alone = [self._answer_part(piece, piece) for piece in pieces]
            if _distinct(alone):
                return alone
        answered = [p for p in parts if p.hits]
        if _distinct(parts):
            return parts
        best_part = max((p.hits[0].coverage for p in answered), default=0.0)
        if whole.hits and whole.hits[0].coverage >= best_part:
            return [whole]
        return parts

    def _result(self, question: str, parts: list[Part], text: str) -> Answer:
        topics: list[str] = []
        source_ids: list[str] = []
        for part in parts:
            for topic_id in part.topics:
                if topic_id not in topics:
                    topics.append(topic_id)
            for source_id in part.sources:
                if source_id not in source_ids:
                    source_ids.append(source_id)
        sources = tuple(s for s in (self._kb.source(i) for i in source_ids) if s is not None)
        documents = tuple(dict.fromkeys(f"{h.kind}:{h.id}" for part in parts for h in part.hits))
        return Answer(question, text, tuple(topics), sources, bool(parts), documents)

    def _agree(self, best: SearchHit, hit: SearchHit) -> bool:
        """Return True when both documents are about a same topic."""
        first, second = Part("", [best], self._kb), Part("", [hit], self._kb)
        return bool(set(first.topics) & set(second.topics))

    def _fact_beats_card(self, part: str, whole: str, topic_id: str, named: str) -> bool:
        """Return True when a fact matches "what is X" better than X's topic card does."""
        # "What is the Apache HTTP Server?" names the web-servers topic through an alias,
        # but the fact about Apache is the answer; "what is caching?" keeps the card.
        topic = self._kb.topic(topic_id)
        asked = set(self._index.terms(named))
        # One word ("docker") is what the card is about; a longer name is something specific.
        if (
            topic is None
            or len(asked) < 2
            or any(asked == set(self._index.terms(name)) for name in (topic.name, topic.id))
        ):
            return False
        hits = self._index.search(part, context=whole, limit=5)
        card = next((h for h in hits if h.kind == "topic" and h.id == topic_id), None)
        fact = next((h for h in hits if h.kind == "fact"), None)
        if fact is None:
            return False
        if card is None:
            return True
        return fact.score > card.score and fact.coverage >= card.coverage

    def _answer_part(self, part: str, whole: str) -> Part:
        mentioned = self._index.topics_mentioned(part)
        definition = _DEFINITION.match(part)
        if definition:
            subject = self._index.topic_named(definition.group("subject"))
            named = definition.group("subject")
            if subject and not self._fact_beats_card(part, whole, subject, named):
                return Part(part, [SearchHit("topic", subject, 1.0, 1.0)], self._kb)
        if _AFTER.search(part) and mentioned and _asks_for_path(part):
            return Part(part, [SearchHit("next", mentioned[-1], 1.0, 1.0)], self._kb)
        hits = self._index.search(part, context=whole, limit=10)
        penalties = {"topic": TOPIC_PENALTY}
        if not _WANTS_RESOURCES.search(part):
            penalties["resource"] = RESOURCE_PENALTY
        hits = sorted(
            (_scaled(h, penalties[h.kind]) if h.kind in penalties else h for h in hits),
            key=lambda h: -h.score,
        )
        if not hits:
            return Part(part, [], self._kb)
        best = hits[0]
        trusted = _trusted(best, bool(mentioned))
        if not trusted:
            return Part(part, [], self._kb)
        chosen = [best]
        choice = bool(_CHOICE.search(part))
        for hit in hits[1:]:
            close = hit.score >= RELATED_SCORE_RATIO * best.score
            # "A or B?": the other option's fact is part of the answer, on the same topic.
            other = (
                choice and hit.score >= CHOICE_SCORE_RATIO * best.score and self._agree(best, hit)
            )
            relevant = hit.coverage >= min(MIN_COVERAGE, RELATED_COVERAGE_RATIO * best.coverage)
            relevant = relevant or (other and hit.coverage >= MIN_TOPIC_COVERAGE)
            if (close or other) and relevant and hit.kind == best.kind:
                chosen.append(hit)
            if len(chosen) == (4 if best.kind == "resource" else 2):
                break
        return Part(part, chosen, self._kb)


def _trusted(best: SearchHit, mentioned: bool) -> bool:
    """Return True when the best document answers the question rather than sharing a word."""
    # One shared word is not enough ("message her again" is not about message brokers)
    # unless the question has only one meaningful word or names a roadmap topic outright.
    if best.shared < min(MIN_SHARED, best.asked) and not mentioned:
        return False
    # Naming a topic lowers the bar, but not when the rest is a real subject the roadmap
    # never mentions ("taxes as a freelancer"); typos and junk words do not count as one.
    named = mentioned and best.unfamiliar <= MAX_UNFAMILIAR_NAMED
    return (
        best.coverage >= MIN_COVERAGE
        or (best.coverage >= MIN_TOPIC_COVERAGE and named)
        # A few rare shared words still need a fair share of the question behind them.
        or (
            best.matched >= MIN_MATCHED
            and best.unknown <= MAX_UNKNOWN
            and best.coverage >= MIN_TOPIC_COVERAGE
        )
        # Casual wording leaves much of a question unmatched, yet a document sharing several
        # of its specific words is about it, unless half the question is English the roadmap
        # never uses ("recommend a good horror movie for tonight").
        or (
            best.shared >= STRONG_SHARED
            and best.matched >= STRONG_MATCHED
            and best.unfamiliar <= MAX_UNFAMILIAR_STRONG
        )
    )


def _distinct(parts: list[Part]) -> bool:
    """Return True when every part is answered, each by a different first document."""
    firsts = {p.hits[0].id for p in parts if p.hits}
    return len(firsts) == len(parts)


def _coverage(part: Part) -> float:
    return part.hits[0].coverage if part.hits else -1.0


def _scaled(hit: SearchHit, factor: float) -> SearchHit:
    return dataclasses.replace(hit, score=hit.score * factor)


def _asks_for_path(text: str) -> bool:
    """Return True when text asks what to learn next rather than something else about a topic."""
    return bool(re.search(r"\b(learn|study|next|focus|move on|pick up|tackle)\b", text, re.I))
