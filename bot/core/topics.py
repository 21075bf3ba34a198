"""Find the roadmap topic a learner means, from an id, a name, an alias or a near miss."""

from __future__ import annotations

from bot.core.errors import BotError
from bot.core.knowledge import KnowledgeBase, Topic
from bot.core.ports import KnowledgeIndex
from bot.core.sanitize import quote_user_text

CONFIDENT_MATCH = 90.0  # a fuzzy score at least this high is taken without asking


class UnknownTopicError(BotError):
    """The text names no roadmap topic."""

    code = "unknown_topic"

    def __init__(self, user_message: str, *, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(user_message, hint="Type `roadmap` to see every topic.")
        self.suggestions = suggestions


class TopicResolver:
    """Resolve free text to a topic of the knowledge base."""

    def __init__(self, kb: KnowledgeBase, index: KnowledgeIndex) -> None:
        self._kb = kb
        self._index = index
        self._by_name: dict[str, Topic] = {}
        for topic in kb.topics:
            for name in (topic.id, *topic.former_ids, topic.name, *topic.aliases):
                self._by_name.setdefault(name.casefold(), topic)

    def resolve(self, text: str) -> Topic:
        """Return the topic text names, or raise UnknownTopicError with suggestions."""
        key = " ".join(text.split()).casefold()
        exact = self._by_name.get(key) or self._by_name.get(key.rstrip("s"))
        if exact is not None:
            return exact
        named = self._index.topic_named(text)
        if named is not None:
            topic = self._kb.topic(named)
            if topic is not None:
                return topic
        matches = self._index.find_topics(text, limit=3)
        if matches and matches[0][1] >= CONFIDENT_MATCH:
            topic = self._kb.topic(matches[0][0])
            if topic is not None:
                return topic
        suggestions = tuple(t for t, score in matches if score >= 60)
        shown = quote_user_text(text, 40) or "that"
        message = f"I don't know a roadmap topic called `{shown}`."
        if suggestions:
            names = [self._kb.topic(t) for t in suggestions]
            message += " Did you mean " + " or ".join(
                f"`{t.id}` ({t.name})" for t in names if t is not None
            )
            message += "?"
        raise UnknownTopicError(message, suggestions=suggestions)

    def complete(self, prefix: str, limit: int = 25) -> list[Topic]:
        """Return topics for an autocomplete box, best first."""
        if not prefix.strip():
            return [t for t in (self._kb.topic(i) for i in self._kb.canonical_order()) if t][:limit]
        key = prefix.casefold().strip()
        starts = [
            t for t in self._kb.topics if t.name.casefold().startswith(key) or t.id.startswith(key)
        ]
        fuzzy = [self._kb.topic(t) for t, _ in self._index.find_topics(prefix, limit=limit)]
        ordered = list(dict.fromkeys([*starts, *(t for t in fuzzy if t is not None)]))
        return ordered[:limit]
