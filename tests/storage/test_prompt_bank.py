"""The daily-prompt bank (roadmap_data/prompts/) is content checked like code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.knowledge import KnowledgeBase
from bot.core.prompts.bank import BODY_LIMIT, DIFFICULTIES, TITLE_LIMIT, Prompt
from bot.paths import resource_dir
from bot.storage.content import ContentError, load_knowledge
from bot.storage.prompts.bank import PROMPTS_DIR, load_prompts

CONTENT = resource_dir("roadmap_data")
TOPICS = ("git", "sql-databases", "http")

GOOD = {
    "id": "sql-top-customers",
    "title": "Top customers",
    "difficulty": "medium",
    "topics": ["sql-databases"],
    "body": "Write a query that returns the five customers who spent the most.",
    "hint": "GROUP BY, then ORDER BY the sum.",
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(CONTENT)


@pytest.fixture(scope="module")
def bank(kb: KnowledgeBase) -> tuple[Prompt, ...]:
    return load_prompts(CONTENT, [t.id for t in kb.topics])


def stage_of(kb: KnowledgeBase, prompt: Prompt) -> str:
    """A prompt's stage: the canonical stage of its first (main) topic."""
    return next(s.id for s in kb.stages if prompt.topics[0] in s.topics)


def test_the_shipped_bank_has_at_least_120_prompts(bank: tuple[Prompt, ...]) -> None:
    assert len(bank) >= 120


def test_every_stage_has_prompts_at_every_difficulty(
    kb: KnowledgeBase, bank: tuple[Prompt, ...]
) -> None:
    have = {(stage_of(kb, p), p.difficulty) for p in bank}
    wanted = {(s.id, d) for s in kb.stages for d in DIFFICULTIES}
    assert sorted(wanted - have) == []


def test_each_stage_file_holds_the_prompts_of_its_stage(
    kb: KnowledgeBase, bank: tuple[Prompt, ...]
) -> None:
    by_id = {p.id: p for p in bank}
    files = sorted((CONTENT / PROMPTS_DIR).glob("*.yaml"))
    assert [f.stem for f in files] == sorted(s.id for s in kb.stages)
    for path in files:
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["prompts"]:
            assert stage_of(kb, by_id[entry["id"]]) == path.stem, entry["id"]


def test_no_two_prompts_share_a_title(bank: tuple[Prompt, ...]) -> None:
    titles = [p.title.casefold() for p in bank]
    assert sorted({t for t in titles if titles.count(t) > 1}) == []


def test_no_placeholder_text_is_left(bank: tuple[Prompt, ...]) -> None:
    texts = [p.title + p.body + (p.hint or "") + (p.example or "") for p in bank]
    assert not [t for t in texts if "TODO" in t or "TBD" in t]


def write_bank(root: Path, **files: list[dict[str, object]]) -> Path:
    folder = root / "prompts"
    folder.mkdir()
    for stage, prompts in files.items():
        (folder / f"{stage}.yaml").write_text(yaml.safe_dump({"prompts": prompts}))
    return root


def test_a_good_prompt_loads(tmp_path: Path) -> None:
    (prompt,) = load_prompts(write_bank(tmp_path, backend=[GOOD]), TOPICS)
    assert prompt.id == "sql-top-customers"
    assert prompt.topics == ("sql-databases",)
    assert prompt.difficulty == "medium"
    assert prompt.hint == "GROUP BY, then ORDER BY the sum."
    assert prompt.example is None and prompt.follow_up is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"topics": ["sql-databases", "kubernetes"]}, "unknown topic 'kubernetes'"),
        ({"topics": []}, "topics is empty"),
        ({"body": ""}, "body is empty"),
        ({"body": "   \n  "}, "body is empty"),
        ({"body": "x" * (BODY_LIMIT + 1)}, f"body is {BODY_LIMIT + 1} characters, over the limit"),
        ({"title": "t" * (TITLE_LIMIT + 1)}, "title is 101 characters, over the limit of 100"),
        ({"hint": "h" * 2000}, "hint is 2000 characters, over the limit"),
        ({"example": "e" * 2000}, "example is 2000 characters, over the limit"),
        ({"follow_up": "f" * 2000}, "follow_up is 2000 characters, over the limit"),
        ({"solution": "SELECT 1"}, "unknown field 'solution'"),
        ({"difficulty": "expert"}, "difficulty 'expert' is not one of easy, medium, hard"),
        ({"id": "SQL_Top"}, "id 'SQL_Top' is not a kebab-case id"),
        ({"title": "Two\nlines"}, "title must be one line"),
    ],
)
def test_a_broken_prompt_is_refused_naming_file_prompt_and_problem(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    broken = {**GOOD, **change}
    write_bank(tmp_path, backend=[broken])
    with pytest.raises(ContentError) as caught:
        load_prompts(tmp_path, TOPICS)
    message = str(caught.value)
    assert expected in message
    assert str(tmp_path / "prompts" / "backend.yaml") in message
    assert f"prompt {broken['id']}:" in message


def test_a_missing_body_is_refused(tmp_path: Path) -> None:
    entry = {k: v for k, v in GOOD.items() if k != "body"}
    with pytest.raises(ContentError, match="prompt sql-top-customers: body is missing"):
        load_prompts(write_bank(tmp_path, backend=[entry]), TOPICS)


def test_a_duplicate_id_is_refused_even_across_files(tmp_path: Path) -> None:
    again = {**GOOD, "title": "Another title"}
    write_bank(tmp_path, backend=[GOOD], web=[again])
    with pytest.raises(ContentError) as caught:
        load_prompts(tmp_path, TOPICS)
    message = str(caught.value)
    assert "web.yaml: prompt sql-top-customers: duplicate id (first used in" in message
    assert "backend.yaml)" in message


def test_a_retired_id_is_not_used_again(tmp_path: Path) -> None:
    folder = write_bank(tmp_path, backend=[GOOD]) / "prompts"
    (folder / "web.yaml").write_text(
        yaml.safe_dump({"prompts": [{**GOOD, "id": "http-status"}], "retired": [GOOD["id"]]})
    )
    with pytest.raises(ContentError, match="prompt sql-top-customers: id was retired in"):
        load_prompts(tmp_path, TOPICS)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    write_bank(
        tmp_path,
        backend=[
            {**GOOD, "body": ""},
            {**GOOD, "id": "git-undo", "topics": ["gti"], "difficulty": "trivial"},
        ],
    )
    with pytest.raises(ContentError) as caught:
        load_prompts(tmp_path, TOPICS)
    message = str(caught.value)
    assert message.startswith("2 problems in the prompt bank:")
    assert "prompt sql-top-customers: body is empty" in message
    assert "prompt git-undo: difficulty 'trivial'" in message


def test_a_prompt_without_an_id_is_named_by_its_place(tmp_path: Path) -> None:
    entry = {k: v for k, v in GOOD.items() if k != "id"}
    write_bank(tmp_path, backend=[GOOD | {"id": "first"}, entry])
    with pytest.raises(ContentError, match=r"prompt #2 \(no id\): id is missing"):
        load_prompts(tmp_path, TOPICS)


def test_one_problem_is_one_line_naming_the_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "web.yaml").write_text("prompts:\n  - id: x\n    title: [unclosed\n")
    with pytest.raises(ContentError) as caught:
        load_prompts(tmp_path, TOPICS)
    (line,) = str(caught.value).splitlines()
    assert "web.yaml:" in line and "(from line 3)" in line


def test_broken_files_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "web.yaml").write_text("prompts: [unclosed\n")
    (folder / "backend.yaml").write_text("- just a list\n")
    (folder / "career.yaml").write_text("prompts: []\n")
    with pytest.raises(ContentError) as caught:
        load_prompts(tmp_path, TOPICS)
    message = str(caught.value)
    assert "web.yaml:2: invalid YAML" in message and "(from line 1)" in message
    assert "backend.yaml: expected a mapping with a 'prompts' list" in message
    assert "career.yaml: prompts is empty" in message


def test_a_missing_bank_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="no prompt files"):
        load_prompts(tmp_path, TOPICS)
