"""Temporary copies of the repository for tests that add documents, cut releases or run git.

Nothing here touches the real repository: every copy lives under a test's tmp_path, starts with
no recorded release and an empty loader registry, and runs git with no user or system config.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from dprk_records.publish.cut import REGISTRY, cut_release

REPO = Path(__file__).resolve().parents[1]
ADD_TEXT = REPO / "tests" / "corpus" / "add" / "kcna_add_01_cement_industry_review_meeting.txt"
ADD_DATE = "2024-07-03"  # the text's dateline says July 3 and gives no year
DATA_FILES = ("CHANGELOG.md", "LICENSE", "DATA-LICENSE.md", "CITATION.cff", ".gitignore")
EMPTY_REGISTRY = '{\n  "format": 1,\n  "releases": []\n}\n'
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


def make_checkout(target: Path, package: Path | None = None, with_src: bool = False) -> Path:
    """seeds/, schemas/, CHANGELOG and licences of the repository, an empty releases/ and loader
    registry, a copy of ``package`` as datapackage/ and, with ``with_src``, the code itself."""
    target.mkdir(parents=True)
    for folder in ("seeds", "schemas", "docs"):
        shutil.copytree(REPO / folder, target / folder, ignore=_IGNORE)
    for name in DATA_FILES:
        shutil.copy2(REPO / name, target / name)
    (target / "releases").mkdir()
    shutil.copy2(REPO / "releases" / "README.md", target / "releases" / "README.md")
    if with_src:
        shutil.copytree(REPO / "src", target / "src", ignore=_IGNORE)
    (target / REGISTRY).parent.mkdir(parents=True, exist_ok=True)
    (target / REGISTRY).write_text(EMPTY_REGISTRY, encoding="utf-8")
    if package is not None:
        shutil.copytree(package, target / "datapackage")
    return target


def record_release(checkout: Path) -> str:
    """Cut and record a release of the checkout's package as a maintainer would; dist/ removed."""
    result = cut_release(
        checkout / "datapackage", checkout, checkout / "dist", allow_dirty=True, environ={}
    )
    shutil.rmtree(checkout / "dist")
    return result.version


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes), to prove nothing changed."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for git and the CLI in a test repository: no user config, a fixed identity.
    The analysis cache of the test (conftest's ``build_cache``) is kept: no test writes into the
    user's own."""
    keep = {"DPRK_RECORDS_BUILD_CACHE"}
    env = {
        k: v
        for k, v in os.environ.items()
        if k in keep or not k.startswith(("GIT_", "DPRK_RECORDS_"))
    }
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.org",
    )
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(extra or {})
    return env


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo``; return its stdout, fail the test on a non-zero exit."""
    done = subprocess.run(
        ["git", *args], cwd=repo, env=git_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def git_init(repo: Path) -> None:
    """Make ``repo`` a git repository with everything committed on branch main."""
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "Initial state")


def cli_path(bin_dir: Path, src: Path) -> str:
    """A PATH whose ``dprk-records`` and ``python`` run this interpreter on the code in ``src``."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "dprk-records"
    script.write_text(
        f'#!/bin/sh\nPYTHONPATH="{src}" exec "{sys.executable}" -m dprk_records.cli "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    for name in ("python", "python3"):
        (bin_dir / name).write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
