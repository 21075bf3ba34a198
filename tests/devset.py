"""The public dev sample of learner questions and its pass rule (see tests/data/README.md)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

DEV_QUESTIONS = Path(__file__).parent / "data" / "dev_questions.jsonl"
MAX_ANSWER_CHARS = 1800


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    kind: str
    must_include: list[list[str]]
    must_not_include: list[str]


@dataclass(frozen=True)
class Verdict:
    question: Question
    answer: str
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def load_questions(path: Path = DEV_QUESTIONS) -> list[Question]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        Question(r["id"], r["question"], r["kind"], r["must_include"], r["must_not_include"])
        for r in rows
    ]


def _variants(text: str) -> set[str]:
    lowered = text.casefold()
    return {lowered, lowered.replace("'", "\u2019"), lowered.replace("\u2019", "'")}


def judge(question: Question, answer: str) -> Verdict:
    """Apply the pass rule: length, every must_include group, no must_not_include string."""
    text = answer.casefold()
    problems = []
    if len(answer) > MAX_ANSWER_CHARS:
        problems.append(f"too long ({len(answer)} chars)")
    for group in question.must_include:
        if not any(v in text for option in group for v in _variants(option)):
            problems.append(f"missing one of {group[:6]}")
    for banned in question.must_not_include:
        if any(v in text for v in _variants(banned)):
            problems.append(f"contains {banned!r}")
    return Verdict(question, answer, problems)


def evaluate(answer: Callable[[str], str], questions: Iterable[Question]) -> list[Verdict]:
    # Questions arrive one per line: a line break inside one becomes a space.
    return [judge(q, answer(q.question.replace("\n", " "))) for q in questions]


def pass_rates(verdicts: list[Verdict]) -> dict[str, tuple[int, int]]:
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for verdict in verdicts:
        by_kind[verdict.question.kind].append(verdict.passed)
        by_kind["overall"].append(verdict.passed)
    return {kind: (sum(results), len(results)) for kind, results in by_kind.items()}
