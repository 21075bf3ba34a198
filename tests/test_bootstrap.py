"""scripts/bootstrap.sh: pip runs only when .venv is new or pyproject.toml changed.

A fake Python stands in for the interpreter and pip, and writes down each call it gets.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

BOOTSTRAP = Path(__file__).resolve().parents[1] / "scripts" / "bootstrap.sh"

# Answers find_python's version check, makes a venv holding a copy of itself, logs pip calls.
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "-c" ]; then exit 0; fi
if [ "$1 $2" = "-m venv" ]; then
  mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && echo venv >>"$CALLS"; exit 0
fi
if [ -n "${PIP_FAILS:-}" ]; then echo "no network" >&2; exit 1; fi
echo "$*" >>"$CALLS"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    fake = tmp_path / "fake-python"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    return tmp_path


def ensure_venv(project: Path, extra: str, **env: str) -> list[str]:
    """Run ensure_venv in project and return the calls the fake Python got."""
    calls = project / "calls.log"
    calls.unlink(missing_ok=True)
    script = f'set -euo pipefail; . "{BOOTSTRAP}"; ensure_venv "$1"'
    bash = shutil.which("bash")
    assert bash is not None
    result = subprocess.run(
        [bash, "-c", script, "bootstrap", extra],
        cwd=project,
        env={**os.environ, "PYTHON": str(project / "fake-python"), "CALLS": str(calls), **env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return calls.read_text().splitlines() if calls.exists() else []


def installs(calls: list[str]) -> list[str]:
    return [c for c in calls if c.startswith("-m pip install") and "-e" in c.split()]


def test_first_run_makes_the_venv_and_installs(project: Path) -> None:
    calls = ensure_venv(project, "")
    assert calls[0] == "venv"
    assert [c.split()[-1] for c in installs(calls)] == ["."]


def test_a_second_start_runs_no_pip_and_works_offline(project: Path) -> None:
    ensure_venv(project, "")
    assert ensure_venv(project, "") == []
    assert ensure_venv(project, "", PIP_FAILS="1") == []


def test_a_changed_pyproject_installs_again(project: Path) -> None:
    ensure_venv(project, "")
    with (project / "pyproject.toml").open("a") as file:
        file.write('dependencies = ["y"]\n')
    assert len(installs(ensure_venv(project, ""))) == 1
    assert ensure_venv(project, "") == []


def test_the_test_extra_is_installed_after_a_plain_start(project: Path) -> None:
    ensure_venv(project, "")
    assert [c.split()[-1] for c in installs(ensure_venv(project, "test"))] == [".[test]"]
    assert ensure_venv(project, "test") == []
    assert ensure_venv(project, "") == []  # the test extra includes the bot


def test_a_failed_install_is_tried_again(project: Path) -> None:
    with pytest.raises(RuntimeError, match="no network"):
        ensure_venv(project, "", PIP_FAILS="1")
    assert len(installs(ensure_venv(project, ""))) == 1
