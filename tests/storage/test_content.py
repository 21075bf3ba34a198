"""roadmap_data/ is code too: the schema, references, coverage of every article."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.paths import resource_dir
from bot.storage.content import (
    ContentError,
    find_problems,
    load_knowledge,
    load_vocabulary,
    sections_without_facts,
)

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


def test_every_section_of_every_article_has_facts(kb: KnowledgeBase) -> None:
    empty = [f"{s.source}/{s.id} ({s.title})" for s in sections_without_facts(kb)]
    assert empty == [], "sections without any fact: " + "; ".join(empty)


def test_every_fact_names_a_section_of_its_own_article(kb: KnowledgeBase) -> None:
    declared = {(s.source, s.id) for s in kb.sections}
    assert {s.source for s in kb.sections} == {s.id for s in kb.sources}
    assert [f.id for f in kb.facts if (f.sources[0], f.section) not in declared] == []


def test_an_empty_section_is_listed(kb: KnowledgeBase) -> None:
    first = kb.sections[0]
    without = tuple(f for f in kb.facts if (f.sources[0], f.section) != (first.source, first.id))
    before = sections_without_facts(kb)
    after = sections_without_facts(dataclasses.replace(kb, facts=without))
    assert after[0] == first and after[1:] == before


def test_an_undeclared_section_is_a_problem(kb: KnowledgeBase) -> None:
    fact = dataclasses.replace(kb.facts[0], section="no-such-section")
    problems = find_problems(dataclasses.replace(kb, facts=(fact, *kb.facts[1:])))
    assert any(fact.id in p and "no-such-section" in p for p in problems)
    doubled = dataclasses.replace(kb, sections=(*kb.sections, kb.sections[0]))
    assert any("duplicate section ids" in p for p in find_problems(doubled))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    return folder


def edit_article(content: Path, source: str, old: str, new: str) -> Path:
    path = content / "articles" / f"{source}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_a_fact_in_an_undeclared_section_names_the_file_line_and_field(content: Path) -> None:
    path = edit_article(content, "trawle", "section: faq-bootcamp", "section: faq-bootcmp")
    with pytest.raises(ContentError) as raised:
        load_knowledge(content)
    message = str(raised.value)
    assert f"trawle.yaml:{line_of(path, 'faq-bootcmp')}:" in message
    assert "section" in message and "faq-bootcmp" in message


def test_a_fact_without_a_section_is_refused(content: Path) -> None:
    edit_article(content, "trawle", "    section: faq-bootcamp\n", "")
    refused = r"trawle\.yaml:\d+: facts\.\d+\.section: Field required"
    with pytest.raises(ContentError, match=refused):
        load_knowledge(content)


def test_a_duplicate_section_id_is_refused(content: Path) -> None:
    path = edit_article(content, "trawle", "  - id: faq-bootcamp\n", "  - id: faq-how-long\n")
    with pytest.raises(ContentError, match="duplicate 'faq-how-long'") as raised:
        load_knowledge(content)
    assert f"trawle.yaml:{line_of(path, 'id: faq-how-long') + 2}:" in str(raised.value)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles are not beside this clone")
def test_the_bootdev_sections_are_its_headings_in_order(kb: KnowledgeBase) -> None:
    article = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    headings = re.findall(r"^#{2,3} (.+)$", article, flags=re.MULTILINE)
    titles = [s.title for s in kb.sections if s.source == "bootdev"]
    assert titles[0].startswith("Introduction") and titles[1:] == headings
