"""Turn the knowledge-base documents chosen for a question into one short chat message."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.knowledge import KnowledgeBase, Resource
from bot.core.ports import SearchHit

CAN_HELP = (
    "I can help with what to learn and in which order, languages, databases, APIs, "
    "deployment, learning resources, and getting a backend job. Try asking "
    '"what should I learn after databases?" or type `help`.'
)


@dataclass
class Part:
    """One question of a message and the documents chosen to answer it."""

    question: str
    hits: list[SearchHit]
    kb: KnowledgeBase
    topics: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for hit in self.hits:
            topics, sources = _about(self.kb, hit)
            self.topics += [t for t in topics if t not in self.topics]
            self.sources += [s for s in sources if s not in self.sources]


def _about(kb: KnowledgeBase, hit: SearchHit) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (topics, sources) of a hit's document."""
    if hit.kind == "fact":
        fact = kb.fact(hit.id)
        return (fact.topics, fact.sources) if fact else ((), ())
    if hit.kind == "resource":
        resource = kb.resource(hit.id)
        return (resource.topics, resource.sources) if resource else ((), ())
    topic = kb.topic(hit.id)
    if topic is None:
        return (), ()
    if hit.kind == "next":
        following = _following(kb, topic.id)
        return (topic.id, *following), topic.sources
    return (topic.id,), topic.sources


def _following(kb: KnowledgeBase, topic_id: str, count: int = 3) -> tuple[str, ...]:
    """Return the topics that come next on the canonical path after topic_id."""
    order = kb.canonical_order()
    later = order[order.index(topic_id) + 1 :] if topic_id in order else ()
    return tuple(later[:count])


class Renderer:
    """Compose answers within a character budget, naming their sources."""

    def __init__(self, kb: KnowledgeBase, max_chars: int) -> None:
        self._kb = kb
        self._max = max_chars

    def decline(self) -> str:
        """Say plainly that the roadmap does not cover this, and what the bot can do."""
        return (
            "Sorry, I can't help with that: it isn't covered by the backend roadmap articles "
            f"I answer from, and I'd rather not guess. {CAN_HELP}"
        )

    def nothing_to_answer(self) -> str:
        """Answer a message with no words in it."""
        return f"I couldn't find a question in that message. {CAN_HELP}"

    def render(self, parts: list[Part]) -> str:
        """Return the message answering every part, within the budget."""
        sections: list[str] = []
        shown: set[str] = set()
        for part in parts:
            if not part.hits:
                # Never quote the question back: it may carry injected instructions.
                sections.append(
                    "I couldn't find an answer to the other part of your message in the "
                    "roadmap articles, so I won't guess."
                )
                continue
            body = self._body(part, shown)
            if body:
                sections.append(body)
        source_ids = list(dict.fromkeys(s for part in parts for s in part.sources))
        topic_ids = list(dict.fromkeys(t for part in parts for t in part.topics))
        footer = "\n".join(x for x in (self._footer(source_ids), _pointer(topic_ids)) if x)
        return _fit("\n\n".join(sections), footer, self._max)

    def _body(self, part: Part, shown: set[str]) -> str:
        lines: list[str] = []
        resources: list[Resource] = []
        for hit in part.hits:
            if hit.id in shown and hit.kind != "next":
                continue
            shown.add(hit.id)
            fact, resource = self._kb.fact(hit.id), self._kb.resource(hit.id)
            if hit.kind == "fact" and fact is not None:
                lines.append(fact.answer)
            elif hit.kind == "resource" and resource is not None:
                resources.append(resource)
            elif hit.kind == "topic":
                lines.append(self._topic(hit.id))
            elif hit.kind == "next":
                lines.append(self._next(hit.id))
        if resources:
            lines.append("\n".join(_resource_line(r) for r in resources))
        return "\n\n".join(lines)

    def _topic(self, topic_id: str) -> str:
        topic = self._kb.topic(topic_id)
        if topic is None:
            return ""
        text = f"**{topic.name}**: {topic.summary}"
        return f"{text} {topic.why}".strip() if topic.why else text

    def _next(self, topic_id: str) -> str:
        topic = self._kb.topic(topic_id)
        following = [self._kb.topic(t) for t in _following(self._kb, topic_id)]
        names = [f"**{t.name}**" for t in following if t is not None]
        if topic is None or not names:
            return "That is the end of the roadmap: time to build projects and apply for jobs."
        lines = [f"After {topic.name}, the roadmap continues with " + ", then ".join(names) + "."]
        first = following[0]
        if first is not None:
            lines.append(f"{first.name}: {first.summary}")
        opened = [
            self._kb.topic(t) for t in topic.unlocks if t not in _following(self._kb, topic_id)
        ]
        if opened:
            lines.append("It also opens up " + ", ".join(t.name for t in opened[:4] if t) + ".")
        return "\n".join(lines)

    def _footer(self, source_ids: list[str]) -> str:
        sources = [self._kb.source(i) for i in source_ids]
        named = [f"{s.site} ({s.title})" for s in sources if s is not None]
        return "Source: " + "; ".join(named) if named else ""


def _pointer(topic_ids: list[str]) -> str:
    """Point to the commands that go deeper into the answer's main topic."""
    if not topic_ids:
        return ""
    return f"More: `roadmap {topic_ids[0]}` · `resources {topic_ids[0]}`"


def _resource_line(resource: Resource) -> str:
    details = [resource.kind, "free" if resource.free else ""]
    label = ", ".join(d for d in details if d)
    line = f"- {resource.title} ({label})"
    if resource.url:
        line += f" <{resource.url}>"
    return f"{line}: {resource.note}" if resource.note else line


def _fit(body: str, footer: str, limit: int) -> str:
    """Join body and footer, cutting the body at a sentence or line so the whole fits."""
    room = limit - len(footer) - 2
    if len(body) > room:
        cut = body[:room]
        end = max(cut.rfind("\n"), cut.rfind(". "))
        body = (cut[: end + 1] if end > room // 2 else cut[: room - 1]).rstrip() + "…"
    return f"{body}\n\n{footer}" if footer else body
