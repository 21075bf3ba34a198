"""A small knowledge base for core tests: two stages, five topics, a few resources."""

from __future__ import annotations

from bot.core.knowledge import KnowledgeBase, Resource, Stage, Topic
from bot.core.ports import Source


def topic(id: str, stage: str, prerequisites: tuple[str, ...] = (), **more: object) -> Topic:
    return Topic(
        id, id.title(), stage, f"About {id}.", prerequisites=prerequisites, sources=("a",), **more
    )  # type: ignore[arg-type]


def resource(id: str, topics: tuple[str, ...], **more: object) -> Resource:
    return Resource(
        id, id.replace("-", " ").title(), more.pop("kind", "course"), topics, ("a",), **more
    )  # type: ignore[arg-type]


def small_kb(**renames: str) -> KnowledgeBase:
    """Return the test knowledge base; renames maps old topic ids to new ones."""
    topics = [
        topic("basics", "foundations", aliases=("fundamentals",)),
        topic("git", "foundations", ("basics",), aliases=("version control",)),
        topic("http", "web", ("basics",)),
        topic("databases", "web", ("basics",), aliases=("db",)),
        topic("apis", "web", ("http", "databases")),
    ]
    for old, new in renames.items():
        topics = [
            Topic(
                new,
                t.name,
                t.stage,
                t.summary,
                prerequisites=t.prerequisites,
                sources=t.sources,
                former_ids=(old,),
            )
            if t.id == old
            else t
            for t in topics
        ]
    order = {"foundations": [], "web": []}  # type: dict[str, list[str]]
    for t in topics:
        order[t.stage].append(t.id)
    return KnowledgeBase(
        sources=(Source("a", "Article A", "Site A", "https://a.example/"),),
        topics=tuple(topics),
        stages=(
            Stage("foundations", "Foundations", tuple(order["foundations"])),
            Stage("web", "The web", tuple(order["web"])),
        ),
        paths=(),
        resources=(
            resource(
                "db-intro", ("databases",), level="beginner", url="https://db.example/", free=True
            ),
            resource("db-deep-dive", ("databases",), level="advanced", kind="book"),
            resource("sql-videos", ("databases",), level="any", kind="video", free=True),
            resource("git-book", ("git",), kind="book", free=True),
        ),
        facts=(),
    )
