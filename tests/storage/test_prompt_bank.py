"""The daily-prompt bank (roadmap_data/prompts/) is content checked like code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.prompts.bank import BODY_LIMIT, TITLE_LIMIT
from bot.storage.content import ContentError
from bot.storage.prompts.bank import load_prompts

TOPICS = ("git", "sql-databases", "http")

GOOD = {
    "id": "sql-top-customers",
    "title": "Top customers",
    "difficulty": "medium",
    "topics": ["sql-databases"],
    "body": "Write a query that returns the five customers who spent the most.",
    "hint": "GROUP BY, then ORDER BY the sum.",
}


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
    assert message.startswith("2 problem(s) in the prompt bank:")
    assert "prompt sql-top-customers: body is empty" in message
    assert "prompt git-undo: difficulty 'trivial'" in message


def test_a_prompt_without_an_id_is_named_by_its_place(tmp_path: Path) -> None:
    entry = {k: v for k, v in GOOD.items() if k != "id"}
    write_bank(tmp_path, backend=[GOOD | {"id": "first"}, entry])
    with pytest.raises(ContentError, match=r"prompt #2 \(no id\): id is missing"):
        load_prompts(tmp_path, TOPICS)


def test_broken_files_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "web.yaml").write_text("prompts: [unclosed\n")
    (folder / "backend.yaml").write_text("- just a list\n")
    (folder / "career.yaml").write_text("prompts: []\n")
    with pytest.raises(ContentError) as caught:
        load_prompts(tmp_path, TOPICS)
    message = str(caught.value)
    assert "web.yaml: not valid YAML" in message
    assert "backend.yaml: expected a mapping with a 'prompts' list" in message
    assert "career.yaml: prompts is empty" in message


def test_a_missing_bank_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="no prompt files"):
        load_prompts(tmp_path, TOPICS)
