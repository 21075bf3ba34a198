"""The README and the Slack manifest list the same commands as the command table.

A command added to bot/core/catalog.py must show up in the README's command table, the Discord
slash-command list and the manifest's usage hint; a command dropped from the table must leave
them. The README's table has a row per subcommand (`config show`, `config streaks`); the
Discord list and the manifest name top-level commands. Failures name the command and the place.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.core.catalog import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
NAMES = {command.name for command in COMMANDS}
PATHS = {path.key for path in COMMANDS.runnable()}  # "about", "config show", "config streaks"
ALIASES = {alias: command.name for command in COMMANDS for alias in command.aliases}
_CODE = re.compile(r"`([^`]+)`")


def row_command(cell: str) -> str:
    """Return the command a row documents: its first word, and subcommand names after it."""
    words = cell.lstrip("/").split()
    path = COMMANDS.path(words[:1])
    for word in words[1:]:
        if path is None or (sub := path.leaf.subcommand(word)) is None:
            break
        path = path.then(sub)
    return path.key if path is not None else words[0]


def readme_command_table() -> dict[str, set[str]]:
    """Return {the command of each row (with subcommands): aliases the row mentions}."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"\|\s*command\s*\|", line))
    rows: dict[str, set[str]] = {}
    for line in lines[start + 2 :]:  # past the header and the |---| line
        if not line.startswith("|"):
            break
        cells = re.split(r"(?<!\\)\|", line.strip("|"))  # `a\|b` inside a cell is one cell
        spans = _CODE.findall(cells[0])
        assert spans, f"README command table: a row without a `command`: {line}"
        rows[row_command(spans[0])] = set(re.findall(r"alias `([^`]+)`", line))
    return rows


def readme_discord_slash_commands() -> set[str]:
    section = README.split("## Run it on Discord", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"is a slash command \(([^)]*)\)", section)
    assert match, "README, Run it on Discord: no 'is a slash command (`/...`, ...)' list"
    return set(re.findall(r"`/([\w-]+)`", match[1]))


def manifest_usage_hint() -> set[str]:
    manifest = yaml.safe_load((ROOT / "slack_manifest.yaml").read_text(encoding="utf-8"))
    hint = manifest["features"]["slash_commands"][0]["usage_hint"]
    entries = hint.strip().removeprefix("[").removesuffix("]").split(" | ")
    return {entry.split()[0] for entry in entries if entry.strip()}


def compare(place: str, listed: set[str], names: set[str] = NAMES) -> list[str]:
    """Return one line per command missing from, or unknown to, the place."""
    problems = [f"{place}: `{name}` is missing" for name in sorted(names - listed)]
    for name in sorted(listed - names):
        if name in ALIASES:
            problems.append(f"{place}: lists the alias `{name}`; list `{ALIASES[name]}` instead")
        else:
            problems.append(f"{place}: lists `{name}`, which bot/core/catalog.py does not have")
    return problems


def test_readme_command_table_lists_every_command_and_alias() -> None:
    rows = readme_command_table()
    problems = compare("README command table", set(rows), PATHS)
    for name, aliases in rows.items():
        for alias in sorted(aliases):
            if ALIASES.get(alias) != name:
                problems.append(f"README command table: `{alias}` is not an alias of `{name}`")
    documented = {alias for aliases in rows.values() for alias in aliases}
    for alias, name in sorted(ALIASES.items()):
        if alias not in documented:
            problems.append(f"README command table: the alias `{alias}` of `{name}` is missing")
    assert not problems, "\n".join(problems)


def test_readme_discord_slash_list_has_every_command() -> None:
    problems = compare("README Discord slash-command list", readme_discord_slash_commands())
    assert not problems, "\n".join(problems)


def test_slack_manifest_usage_hint_has_every_command() -> None:
    problems = compare("slack_manifest.yaml usage_hint", manifest_usage_hint())
    assert not problems, "\n".join(problems)


def test_a_group_needs_a_row_per_subcommand() -> None:
    assert row_command("`config streaks [setting value]`".strip("`")) == "config streaks"
    listed = PATHS - {"config show"}
    assert "`config show` is missing" in "\n".join(compare("README", listed, PATHS))


def test_the_comparison_notices_a_missing_and_an_unknown_command() -> None:
    listed = (NAMES - {"streak"}) | {"pairing", next(iter(ALIASES))}
    problems = "\n".join(compare("somewhere", listed))
    assert "`streak` is missing" in problems
    assert "`pairing`" in problems and "does not have" in problems
    assert "alias" in problems


def test_help_texts_promise_no_job_that_is_not_built_yet() -> None:
    # Daily prompts and mentoring are next on the roadmap; until a command for them exists,
    # `help` must not tell people that anything is used for them.
    for feature in ("prompt", "mentor"):
        if any(feature in name for name in NAMES):
            continue
        for path in COMMANDS.paths():
            text = f"{path.leaf.summary} {path.leaf.details}".casefold()
            assert feature not in text, f"`help {path.key}` mentions {feature}s: {text}"
