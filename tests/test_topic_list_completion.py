"""Autocomplete of a comma-separated topic list keeps what is typed and completes the last."""

from __future__ import annotations

from bot.core.catalog import COMMANDS
from bot.core.topics import TopicResolver
from bot.platform_setup import SUGGESTION_LIMIT, complete_topic_list, completers
from tests.core.small_kb import small_kb
from tests.fakes import FakeKnowledgeIndex

KB = small_kb()
TOPICS = TopicResolver(KB, FakeKnowledgeIndex(KB))


def test_the_last_item_is_completed_and_the_rest_kept() -> None:
    values = [value for _, value in complete_topic_list(TOPICS, "git, dat")]
    assert values and values[0] == "git, databases"
    assert all(value.startswith("git, ") for value in values)


def test_topics_already_listed_are_not_offered_again() -> None:
    values = [value for _, value in complete_topic_list(TOPICS, "git,")]
    assert "git, git" not in values and "git, http" in values


def test_an_empty_box_offers_single_topics_and_no_value_is_too_long() -> None:
    first = complete_topic_list(TOPICS, "")
    assert [value for _, value in first][:2] == ["basics", "git"]
    long = ", ".join(["basics"] * 15) + ", g"
    assert all(len(value) <= SUGGESTION_LIMIT for _, value in complete_topic_list(TOPICS, long))


def test_mentor_topics_use_it() -> None:
    path = COMMANDS.path("mentor signup")
    assert path is not None
    (topics,) = [a for a in path.leaf.arguments if a.key == "topics"]
    assert topics.autocomplete == "topics" and "topics" in completers(TOPICS)
