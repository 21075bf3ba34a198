"""Score the bot on the public dev files: pass rate per kind and half, latency, loop stalls.

Run: .venv/bin/python bench/dev_questions.py [--second PATH] [--split parity] [--show-failures]

File 1 is tests/data/dev_questions.jsonl. File 2 is read from --second (default
../shared/dev_questions_2.jsonl next to the repository) and skipped with a note when missing.
With --split parity, file 2 is reported in two fixed halves: TUNE (even ids) and HELD-OUT
(odd ids). Tuning looks at file 1 and the tune half only; --show-failures never prints a
held-out question, so that half stays an honest measure.
Latency: every answer is timed (after one warm-up pass); answers run on the event loop, so
the worst single answer is the worst stall. The loop's own slow-callback log (debug mode,
threshold 5 ms) is counted too, while the questions are answered through AskService.chat.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answering import build_answerer
from bot.config import load_settings
from bot.core.messages import Actor
from bot.core.roadmap.ask import AskService
from tests.devset import Question, Verdict, evaluate, load_questions, pass_rates

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("direct", "paraphrase", "typo", "multi", "offtopic", "hostile")
STALL_MS = 5.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _id_number(question: Question) -> int:
    digits = "".join(ch for ch in question.id if ch.isdigit())
    return int(digits) if digits else 0


def _row(name: str, verdicts: list[Verdict]) -> str:
    rates = pass_rates(verdicts)
    cells = []
    for kind in (*KINDS, "overall"):
        passed, total = rates.get(kind, (0, 0))
        cells.append(f"{passed:>3}/{total:<3}" if total else "   -   ")
    passed, total = rates.get("overall", (0, 1))
    return f"{name:18}" + " ".join(f"{c:>9}" for c in cells) + f"  {100 * passed / total:5.1f}%"


def _timed(answer: Callable[[str], str], questions: list[Question]) -> list[float]:
    times = []
    for question in questions:
        started = time.perf_counter()
        answer(question.question.replace("\n", " "))
        times.append((time.perf_counter() - started) * 1000)
    return times


class _SlowCallbacks(logging.Handler):
    """Count asyncio's "Executing ... took N seconds" warnings (debug mode)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "took" in record.getMessage():
            self.count += 1


async def _on_loop(service: AskService, questions: list[Question]) -> None:
    actor = Actor("console", "local", "bench", "bench", "bench")
    for question in questions:
        await service.chat(actor, question.question.replace("\n", " "))
        await asyncio.sleep(0)  # each answer is its own callback, as in the bot


def _loop_stalls(service: AskService, questions: list[Question]) -> int:
    counter = _SlowCallbacks()
    logger = logging.getLogger("asyncio")
    logger.addHandler(counter)
    try:
        loop = asyncio.new_event_loop()
        loop.set_debug(True)
        loop.slow_callback_duration = STALL_MS / 1000
        loop.run_until_complete(_on_loop(service, questions))
        loop.close()
    finally:
        logger.removeHandler(counter)
    return counter.count


def _show(verdicts: list[Verdict], title: str) -> None:
    for verdict in verdicts:
        if verdict.passed:
            continue
        q = verdict.question
        print(f"\n--- [{title}] {q.id} {q.kind}: {q.question}")
        print("problems:", "; ".join(verdict.problems))
        print(verdict.answer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--second", type=Path, default=ROOT.parent / "shared/dev_questions_2.jsonl")
    parser.add_argument("--split", choices=("none", "parity"), default="parity")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    _, _, answerer = build_answerer(load_settings())
    build_ms = (time.perf_counter() - started) * 1000

    first_sight: list[float] = []

    def answer(text: str) -> str:
        started = time.perf_counter()
        reply = answerer.answer(text).text
        first_sight.append((time.perf_counter() - started) * 1000)
        return reply

    first = load_questions()
    second = load_questions(args.second) if args.second.exists() else []
    header = f"{'':18}" + " ".join(f"{k[:9]:>9}" for k in (*KINDS, "overall"))
    print(header)
    verdicts_1 = evaluate(answer, first)
    print(_row("file 1", verdicts_1))
    tune: list[Verdict] = []
    if second:
        verdicts_2 = evaluate(answer, second)
        print(_row("file 2", verdicts_2))
        if args.split == "parity":
            tune = [v for v in verdicts_2 if _id_number(v.question) % 2 == 0]
            held = [v for v in verdicts_2 if _id_number(v.question) % 2 == 1]
            print(_row("  tune (even ids)", tune))
            print(_row("  held-out (odd)", held))
        else:
            tune = verdicts_2
    else:
        print(f"(file 2 not found at {args.second}: skipped)")

    everything = first + second
    seen = _timed(lambda text: answerer.answer(text).text, everything)
    stalls = _loop_stalls(AskService(answerer), everything)
    print(f"\nknowledge base + index build: {build_ms:.0f} ms; {len(seen)} answers")
    for label, times in (("first sight", first_sight), ("seen before", seen)):
        print(
            f"  {label}: p50 {percentile(times, 0.5):.2f} ms, "
            f"p99 {percentile(times, 0.99):.2f} ms, worst {max(times):.2f} ms"
        )
    print(f"  event-loop callbacks over {STALL_MS:.0f} ms (asyncio debug, seen before): {stalls}")
    if args.show_failures:
        _show(verdicts_1, "file 1")
        _show(tune, "tune")


if __name__ == "__main__":
    main()
