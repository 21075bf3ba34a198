"""Q&A speed: index build time, per-answer latency, peak memory, cold `roadmap-bot ask` time.

Run: .venv/bin/python bench/qa_speed.py
Targets (issue 3, on the 2-core machine): build <= 300 ms, p99 <= 5 ms, cold CLI <= 1 s.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answering import build_answerer
from bot.config import Settings
from tests.devset import load_questions

ROUNDS = 20  # answers per question, after one warm-up round
COLD_RUNS = 5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    questions = [q.question for q in load_questions()]
    builds = []
    for _ in range(5):
        started = time.perf_counter()
        _, _, answerer = build_answerer(Settings())
        builds.append((time.perf_counter() - started) * 1000)
    for question in questions:  # warm-up: first-use imports and caches
        answerer.answer(question)
    latencies = []
    for _ in range(ROUNDS):
        for question in questions:
            started = time.perf_counter()
            answerer.answer(question)
            latencies.append((time.perf_counter() - started) * 1000)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cold = []
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", "what should I learn after databases?"],
            check=True, capture_output=True,
        )  # fmt: skip
        cold.append(time.perf_counter() - started)
    print(f"index build (median of 5): {statistics.median(builds):.0f} ms  (target 300 ms)")
    print(f"answers: {len(latencies)} over {len(questions)} dev questions")
    print(f"  p50 {percentile(latencies, 0.5):.2f} ms  p99 {percentile(latencies, 0.99):.2f} ms"
          f"  max {max(latencies):.2f} ms  (target p99 5 ms)")  # fmt: skip
    print(f"peak memory (max RSS of this process): {peak_mb:.0f} MB")
    print(f"cold `roadmap-bot ask` wall time: median {statistics.median(cold):.2f} s,"
          f" max {max(cold):.2f} s  (target 1 s)")  # fmt: skip


if __name__ == "__main__":
    main()
