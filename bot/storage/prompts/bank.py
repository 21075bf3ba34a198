"""Load roadmap_data/prompts/<stage>.yaml into the core's Prompt, validating it like code."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, ValidationError
from pydantic_core import ErrorDetails

from bot.core.prompts.bank import (
    BODY_LIMIT,
    DIFFICULTIES,
    EXAMPLE_LIMIT,
    FOLLOW_UP_LIMIT,
    HINT_LIMIT,
    TITLE_LIMIT,
    Difficulty,
    Prompt,
)
from bot.core.prompts.library import CUSTOM_PREFIX
from bot.storage.content import ContentError, Id, _Model, read_yaml

PROMPTS_DIR = "prompts"


Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_LIMIT)
]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=BODY_LIMIT)]
Hint = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=HINT_LIMIT)]
Example = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=EXAMPLE_LIMIT)
]
FollowUp = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=FOLLOW_UP_LIMIT)
]


class PromptEntry(_Model):
    """One prompt as written in prompts/<stage>.yaml."""

    id: Id
    title: Title
    difficulty: Difficulty
    topics: list[Id] = Field(min_length=1)
    body: Body
    hint: Hint | None = None
    example: Example | None = None
    follow_up: FollowUp | None = None


class PromptFile(_Model):
    """prompts/<stage>.yaml: its prompts, and the ids of prompts taken out (never reused)."""

    prompts: list[dict[str, Any]] = Field(min_length=1)
    retired: tuple[Id, ...] = ()


def load_prompts(content_dir: Path, topic_ids: Collection[str]) -> tuple[Prompt, ...]:
    """Return every prompt of content_dir/prompts/*.yaml, in file-name order then file order.

    Raise ContentError listing every problem, each naming its file and prompt id: a broken
    file, an unknown field, a bad difficulty, an empty or over-long text, an unknown topic id,
    a duplicate id, a retired id used again, or an id with the communities' `custom-` prefix.
    """
    folder = content_dir / PROMPTS_DIR
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise ContentError(f"{folder}: no prompt files (<stage>.yaml) found")
    known = frozenset(topic_ids)
    problems: list[str] = []
    files: list[tuple[Path, PromptFile]] = []
    for path in paths:
        document = _read_file(path, problems)
        if document is not None:
            files.append((path, document))
    retired = {i: path for path, document in files for i in document.retired}
    first_seen: dict[str, Path] = {}
    prompts: list[Prompt] = []
    for path, document in files:
        for number, raw in enumerate(document.prompts, start=1):
            name = _name(raw, number)
            entry, entry_problems = _entry(raw, known)
            prompt_id = raw.get("id")
            if isinstance(prompt_id, str):
                if prompt_id in first_seen:
                    entry_problems.append(f"duplicate id (first used in {first_seen[prompt_id]})")
                else:
                    first_seen[prompt_id] = path
                if prompt_id.startswith(CUSTOM_PREFIX):
                    entry_problems.append(
                        f"ids starting with {CUSTOM_PREFIX!r} are kept for communities' own prompts"
                    )
                if prompt_id in retired:
                    entry_problems.append(
                        f"id was retired in {retired[prompt_id]}; give this prompt a new id"
                    )
            problems.extend(f"{path}: prompt {name}: {problem}" for problem in entry_problems)
            if entry is not None and not entry_problems:
                prompts.append(_prompt(entry))
    if len(problems) == 1:
        raise ContentError(problems[0])  # one line, like every other content mistake
    if problems:
        raise ContentError(
            f"{len(problems)} problems in the prompt bank:\n"
            + "\n".join(f"- {p}" for p in problems)
        )
    return tuple(prompts)


def _read_file(path: Path, problems: list[str]) -> PromptFile | None:
    try:
        data = read_yaml(path)  # the same safe loader as the rest of the content
    except ContentError as error:  # names the file and the line
        problems.append(str(error))
        return None
    try:
        return PromptFile.model_validate(data)
    except ValidationError as error:
        problems.extend(f"{path}: {_describe(e)}" for e in error.errors())
        return None


def _name(raw: dict[str, Any], number: int) -> str:
    prompt_id = raw.get("id")
    return prompt_id if isinstance(prompt_id, str) and prompt_id else f"#{number} (no id)"


def _entry(raw: dict[str, Any], known: frozenset[str]) -> tuple[PromptEntry | None, list[str]]:
    """Return the validated entry (None if its shape is wrong) and the problems found."""
    try:
        entry = PromptEntry.model_validate(raw)
    except ValidationError as error:
        return None, [_describe(e) for e in error.errors()]
    problems = ["title must be one line"] if "\n" in entry.title else []
    for topic_id in dict.fromkeys(entry.topics):
        if topic_id not in known:
            problems.append(f"unknown topic {topic_id!r}")
        elif entry.topics.count(topic_id) > 1:
            problems.append(f"topic {topic_id!r} is listed twice")
    return entry, problems


def _describe(error: ErrorDetails) -> str:
    """One pydantic error in the words of a content author."""
    where = ".".join(str(part) for part in error["loc"]) or "the file"
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx", {})
    if kind == "extra_forbidden":
        return f"unknown field {where!r}"
    if kind == "model_type":
        return "expected a mapping with a 'prompts' list"
    if kind == "missing":
        return f"{where} is missing"
    if kind in ("string_too_short", "too_short"):
        return f"{where} is empty"
    if kind == "string_too_long":
        length = len(str(value).strip())
        return f"{where} is {length} characters, over the limit of {ctx['max_length']}"
    if kind == "literal_error" and where == "difficulty":
        return f"difficulty {value!r} is not one of {', '.join(DIFFICULTIES)}"
    if kind == "string_pattern_mismatch":
        return f"{where} {value!r} is not a kebab-case id (like sql-top-customers)"
    return f"{where}: {error['msg']}"


def _prompt(entry: PromptEntry) -> Prompt:
    return Prompt(
        id=entry.id,
        title=entry.title,
        body=entry.body,
        difficulty=entry.difficulty,
        topics=tuple(entry.topics),
        hint=entry.hint,
        example=entry.example,
        follow_up=entry.follow_up,
    )


def main() -> None:
    """Check a content folder's prompt bank by hand: python -m bot.storage.prompts.bank DIR."""
    import sys

    from bot.storage.content import load_knowledge

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "roadmap_data")
    kb = load_knowledge(folder)
    prompts = load_prompts(folder, [t.id for t in kb.topics])
    counts = ", ".join(f"{sum(p.difficulty == d for p in prompts)} {d}" for d in DIFFICULTIES)
    print(f"OK: {len(prompts)} prompts ({counts})")


if __name__ == "__main__":
    main()
