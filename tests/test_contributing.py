"""CONTRIBUTING.md cannot drift from the code: every command in its code blocks is checked, and
the ones that need neither the network nor a new environment are run, in order, in a copy of the
repository (its own code, seeds, schemas and git history, with release 0.1.0 recorded).

Placeholders (words in capitals) are filled in: NEW.txt is the KCNA-style text written for
tests/test_add.py, VERSION the version adding it requires.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from dprk_records.release.diff import minimum_version

from .checkouts import (
    ADD_DATE,
    ADD_TEXT,
    REPO,
    cli_path,
    git,
    git_env,
    git_init,
    make_checkout,
)
from .doc_commands import (
    cli_problem,
    code_blocks,
    command_problem,
    commands,
    nox_session_args,
    nox_sessions,
)

CONTRIBUTING = REPO / "CONTRIBUTING.md"
# commands a test must not run: they install from PyPI, create environments or reach GitHub
NOT_RUN = {"nox", "pip", "pre-commit", "venv", ".", "source", "push"}


def documented_commands() -> list[list[str]]:
    return [argv for block in code_blocks(CONTRIBUTING.read_text()) for argv in commands(block)]


def runs_here(argv: list[str]) -> bool:
    """Whether the test runs this command (else it is only checked)."""
    if nox_session_args(argv) is not None:
        return False
    words = set(argv[:3])
    if words & NOT_RUN:
        return False
    assert argv[0] in ("dprk-records", "git"), f"CONTRIBUTING.md: unknown program {argv}"
    return True


def test_every_documented_command_exists() -> None:
    sessions = nox_sessions(REPO / "noxfile.py")
    found = documented_commands()
    programs = {argv[0] for argv in found}
    assert {"dprk-records", "git"} <= programs
    subcommands = {argv[1] for argv in found if argv[0] == "dprk-records"}
    assert {"add", "validate", "build", "diff", "changelog", "release"} <= subcommands
    for argv in found:
        assert command_problem(argv, sessions) is None, " ".join(argv)


def test_the_checker_catches_drift() -> None:
    sessions = nox_sessions(REPO / "noxfile.py")
    assert "unrecognized arguments: --frobnicate" in str(
        command_problem(["dprk-records", "add", "x.txt", "--frobnicate"], sessions)
    )
    assert "invalid choice: 'ad'" in str(command_problem(["dprk-records", "ad", "x"], sessions))
    assert "nosuch" in str(command_problem(["python3", "-m", "nox", "-s", "nosuch"], sessions))
    assert command_problem(["python3", "-m", "nox", "-s", "lint", "tests"], sessions) is None


def test_readme_command_examples_parse() -> None:
    """The README's indented `dprk-records ...` examples (add, validate --release, ...) parse."""
    lines = [
        line.strip()
        for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("    dprk-records ")
    ]
    assert any(" add " in line for line in lines)
    assert any("validate --release" in line for line in lines)
    for line in lines:
        assert cli_problem(shlex.split(line, comments=True)[1:]) is None, line


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the repository with its own code, release 0.1.0 recorded and committed."""
    repo = make_checkout(tmp_path / "repo", with_src=True)
    env = git_env({"PATH": cli_path(tmp_path / "bin", repo / "src")})
    for argv in (["build", "--quiet"], ["release", "--allow-dirty"]):
        done = subprocess.run(
            ["dprk-records", *argv], cwd=repo, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
    shutil.rmtree(repo / "dist")
    git_init(repo)
    return repo, env


def test_the_documented_workflow_runs(repository: tuple[Path, dict[str, str]]) -> None:
    repo, env = repository
    old = json.loads((repo / "schemas" / "package.json").read_text())["version"]
    version = minimum_version(old, "minor")  # a document added since the last release
    values = {
        "NEW.txt": str(ADD_TEXT),
        "YYYY-MM-DD": ADD_DATE,
        "URL": "https://example.org/kcna/cement-industry-review",
        "TITLE": "cement industry review meeting",
        "OLD": old,
        "VERSION": version,
    }
    ran = []
    for argv in documented_commands():
        if not runs_here(argv):
            continue
        filled = []
        for word in argv:
            for placeholder, value in values.items():
                word = word.replace(placeholder, value)
            filled.append(word)
        done = subprocess.run(
            filled, cwd=repo, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"{' '.join(filled)}:\n{done.stdout}{done.stderr}"
        ran.append(filled[:2])
    assert ["dprk-records", "add"] in ran and ["dprk-records", "release"] in ran
    # the end state: the document added and released as VERSION, everything committed and tagged
    assert any(p.name.startswith("005_") for p in (repo / "seeds").glob("*.txt"))
    assert (repo / "releases" / version / "datapackage.json").is_file()
    assert f"v{version}" in git(repo, "tag").split()
    assert git(repo, "status", "--porcelain") == ""
    assert f"## {version} (unreleased)" in (repo / "CHANGELOG.md").read_text()
