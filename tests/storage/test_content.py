"""roadmap_data/ is code too: the schema, references, coverage of every article."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.paths import resource_dir
from bot.storage.content import find_problems, load_knowledge, load_vocabulary

CONTENT = resource_dir("roadmap_data")
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(CONTENT)


def test_content_loads_without_problems(kb: KnowledgeBase) -> None:
    assert find_problems(kb) == []
    replacements, synonyms = load_vocabulary(CONTENT)
    assert replacements and synonyms


def test_no_placeholder_text_is_left(kb: KnowledgeBase) -> None:
    texts = [t.summary for t in kb.topics] + [f.answer for f in kb.facts]
    assert not [t for t in texts if "TODO" in t]


def test_every_article_is_represented(kb: KnowledgeBase) -> None:
    for source in kb.sources:
        assert any(source.id in f.sources for f in kb.facts), source.id
        assert any(source.id in r.sources for r in kb.resources), source.id
        assert any(p.source == source.id for p in kb.paths), source.id
        assert any(source.id in t.sources for t in kb.topics), source.id


def test_every_topic_is_on_the_canonical_path_once(kb: KnowledgeBase) -> None:
    order = kb.canonical_order()
    assert sorted(order) == sorted(t.id for t in kb.topics)


def test_prerequisites_come_earlier_on_the_path(kb: KnowledgeBase) -> None:
    position = {topic_id: i for i, topic_id in enumerate(kb.canonical_order())}
    for topic in kb.topics:
        for prerequisite in topic.prerequisites:
            assert position[prerequisite] < position[topic.id], (topic.id, prerequisite)


def test_aliases_point_to_one_topic(kb: KnowledgeBase) -> None:
    owners: dict[str, str] = {}
    for topic in kb.topics:
        for name in {topic.name.casefold(), *(a.casefold() for a in topic.aliases)}:
            assert owners.setdefault(name, topic.id) == topic.id, name


def test_the_numbered_bonus_list_is_complete(kb: KnowledgeBase) -> None:
    numbers = sorted(
        r.list_number for r in kb.resources if r.sources[0] == "creativetim" and r.list_number
    )
    assert numbers == list(range(1, 101))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles are not beside this clone")
def test_every_linked_resource_of_the_bootdev_article_is_present(kb: KnowledgeBase) -> None:
    article = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    links = set(re.findall(r"(?<!!)\[[^\]]+\]\(([^)\s]+)\)", article))
    wanted = {
        f"https://blog.boot.dev{link}" if link.startswith("/") else link
        for link in links
        if "imgur" not in link
    }
    have = {r.url.rstrip("/") for r in kb.resources if r.url}
    assert sorted(u for u in wanted if u.rstrip("/") not in have) == []


def test_broken_references_are_reported(kb: KnowledgeBase) -> None:
    fact = dataclasses.replace(kb.facts[0], topics=("no-such-topic",), sources=("nowhere",))
    broken = dataclasses.replace(kb, facts=(fact, *kb.facts[1:]))
    problems = find_problems(broken)
    assert any("no-such-topic" in p for p in problems)
    assert any("nowhere" in p for p in problems)


def test_duplicate_ids_are_reported(kb: KnowledgeBase) -> None:
    doubled = dataclasses.replace(kb, facts=(*kb.facts, kb.facts[0]))
    assert any("duplicate fact ids" in p for p in find_problems(doubled))
