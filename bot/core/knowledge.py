"""The roadmap knowledge base as plain data: topics, roadmaps, resources and facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.core.ports import Source


@dataclass(frozen=True, slots=True)
class Topic:
    """Something to learn (or a career subject), with how it fits the path."""

    id: str
    name: str
    stage: str
    summary: str
    why: str = ""
    aliases: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    unlocks: tuple[str, ...] = ()
    subtopics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    former_ids: tuple[str, ...] = ()  # ids this topic had before a rename; progress follows


@dataclass(frozen=True, slots=True)
class Resource:
    """A course, book, doc or community an article recommends."""

    id: str
    title: str
    kind: str
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    url: str | None = None
    free: bool | None = None  # None: the article does not say
    level: str = "any"
    note: str = ""
    list_number: int | None = None  # its number in a numbered list of its first article


@dataclass(frozen=True, slots=True)
class Fact:
    """One answerable piece of knowledge, in the project's own words."""

    id: str
    answer: str
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    asks: tuple[str, ...] = ()  # ways a learner might ask for it
    keywords: tuple[str, ...] = ()
    section: str = ""  # id of the section of its first source's article it comes from


@dataclass(frozen=True, slots=True)
class Section:
    """A heading of an article (or its untitled introduction) that facts come from."""

    source: str
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class PathStep:
    """One step of an article's own learning path."""

    title: str
    topics: tuple[str, ...]
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ArticlePath:
    """An article's ordered learning path."""

    source: str
    title: str
    steps: tuple[PathStep, ...]


@dataclass(frozen=True, slots=True)
class Stage:
    """A stage of the merged canonical path, with its topics in order."""

    id: str
    title: str
    topics: tuple[str, ...]
    summary: str = ""


@dataclass(frozen=True, slots=True)
class View:
    """What one article says on a point where the articles disagree."""

    source: str
    view: str


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A point (such as when to learn HTML/CSS) on which the articles differ."""

    id: str
    question: str
    topics: tuple[str, ...]
    views: tuple[View, ...]


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything the bot knows about the roadmap, with lookups by id."""

    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    stages: tuple[Stage, ...]
    paths: tuple[ArticlePath, ...]
    resources: tuple[Resource, ...]
    facts: tuple[Fact, ...]
    disagreements: tuple[Disagreement, ...] = ()
    sections: tuple[Section, ...] = ()  # every article's headings, in each article's order
    # Lookup tables built in __post_init__: never passed in, compared or copied by replace().
    _topics: dict[str, Topic] = field(default_factory=dict, init=False, repr=False)
    _sources: dict[str, Source] = field(default_factory=dict, init=False, repr=False)
    _facts: dict[str, Fact] = field(default_factory=dict, init=False, repr=False)
    _resources: dict[str, Resource] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for topic in self.topics:
            for key in (topic.id, *topic.former_ids):
                self._topics[key] = topic
        self._sources.update((source.id, source) for source in self.sources)
        self._facts.update((fact.id, fact) for fact in self.facts)
        self._resources.update((resource.id, resource) for resource in self.resources)

    def topic(self, topic_id: str) -> Topic | None:
        """Return the topic with this id (or a former id), or None."""
        return self._topics.get(topic_id)

    def fact(self, fact_id: str) -> Fact | None:
        """Return the fact with this id, or None."""
        return self._facts.get(fact_id)

    def resource(self, resource_id: str) -> Resource | None:
        """Return the resource with this id, or None."""
        return self._resources.get(resource_id)

    def source(self, source_id: str) -> Source | None:
        """Return the source article with this id, or None."""
        return self._sources.get(source_id)

    def canonical_order(self) -> tuple[str, ...]:
        """Return every topic id of the canonical path, stage by stage."""
        return tuple(topic_id for stage in self.stages for topic_id in stage.topics)

    def resources_for(self, topic_ids: Iterable[str]) -> tuple[Resource, ...]:
        """Return the resources tagged with any of topic_ids."""
        wanted = set(topic_ids)
        return tuple(r for r in self.resources if wanted.intersection(r.topics))
