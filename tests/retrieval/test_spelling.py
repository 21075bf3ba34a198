"""Spelling repair: loaded at start-up, each distinct misspelt word looked up once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.answering import build_answerer
from bot.config import Settings
from bot.retrieval.spelling import SpellingRepair

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: in this one, other tests have loaded everything already.
FIRST_QUESTION = """
import sys, wordfreq
from bot.answering import build_answerer
from bot.config import Settings
assert wordfreq.get_frequency_dict.cache_info().currsize == 0, "word list read on import"
_, _, answerer = build_answerer(Settings())
assert wordfreq.get_frequency_dict.cache_info().currsize == 1, "word list not read at build"
modules, reads = set(sys.modules), wordfreq.get_frequency_dict.cache_info().misses
answer = answerer.answer("wat is dokcer and kuberntes")
assert answer.confident, answer.text
assert set(sys.modules) == modules, sorted(set(sys.modules) - modules)
assert wordfreq.get_frequency_dict.cache_info().misses == reads
print("ok")
"""


def test_the_word_list_is_loaded_when_the_answerer_is_built_not_on_a_question() -> None:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_QUESTION],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_repeated_words_are_repaired_once() -> None:
    spelling = SpellingRepair(["docker", "kubernetes", "database"])
    words = ["dokcer", "kuberntes", "dokcer", "databse", "dokcer", "kuberntes"]
    expected = ["docker", "kubernetes", "docker", "database", "docker", "kubernetes"]
    assert spelling.words(words) == expected
    info = spelling.word.cache_info()
    assert (info.misses, info.hits) == (3, 3)


def test_known_short_and_common_words_skip_the_lookup() -> None:
    spelling = SpellingRepair(["docker", "strip"])
    assert spelling.words(["docker", "sql", "2024", "trip"]) == ["docker", "sql", "2024", "trip"]
    # Only "trip" needed a look (it is common English, so it stays).
    assert spelling.word.cache_info().misses == 1


def test_a_message_repairs_each_distinct_typo_once_however_often_it_is_read() -> None:
    _, index, answerer = build_answerer(Settings())
    answerer.answer("wat is kuberntes? and how does kuberntes compare to containr swarm?")
    first = index.spelling.word.cache_info()
    # Parts, the whole message as context and topic mentions all read the words again.
    assert first.hits > first.misses
    answerer.answer("wat is kuberntes? and how does kuberntes compare to containr swarm?")
    second = index.spelling.word.cache_info()
    assert second.misses == first.misses
