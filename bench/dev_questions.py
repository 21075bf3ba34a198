"""Score the bot on the public dev sample: pass rate per kind, failures, and answer latency.

Run: .venv/bin/python bench/dev_questions.py [--show-failures]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answering import build_answerer
from bot.config import load_settings
from tests.devset import evaluate, load_questions, pass_rates


def main() -> None:
    show = "--show-failures" in sys.argv
    started = time.perf_counter()
    _, _, answerer = build_answerer(load_settings())
    build_ms = (time.perf_counter() - started) * 1000
    verdicts = evaluate(lambda q: answerer.answer(q).text, load_questions())
    for kind, (passed, total) in sorted(pass_rates(verdicts).items()):
        print(f"{kind:12} {passed:3}/{total:<3} {100 * passed / total:5.1f}%")
    print(f"knowledge base + index build: {build_ms:.0f} ms")
    for verdict in verdicts:
        if not verdict.passed and show:
            print(
                f"\n--- {verdict.question.id} {verdict.question.kind}: {verdict.question.question}"
            )
            print("problems:", "; ".join(verdict.problems))
            print(verdict.answer)


if __name__ == "__main__":
    main()
