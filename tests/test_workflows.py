"""The CI definitions: GitHub workflow files and pre-commit hooks.

- both workflow files pass check-jsonschema's built-in GitHub workflow schema (and the schema
  that requires a timeout on every job), offline;
- every nox session and `dprk-records` command they name exists;
- the release job's steps run here, in a temporary git checkout with a recorded release, exactly
  as written in release.yml -- all but installing from PyPI and uploading to GitHub;
- the pre-commit hooks run the project's own commands.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from dprk_records.cli import main
from dprk_records.loader.registry import load_registry
from dprk_records.publish.cut import REGISTRY

from .checkouts import REPO, cli_path, git, git_env, git_init, make_checkout, record_release
from .doc_commands import cli_problem, command_problem, nox_sessions

WORKFLOWS = REPO / ".github" / "workflows"
NOXFILE = REPO / "noxfile.py"
SCHEMAS = ("vendor.github-workflows", "custom.github-workflows-require-timeout")
GATE_SESSIONS = {"lint", "tests", "reproducible", "validate", "workflows"}
SUPPORTED_PYTHONS = ("3.11", "3.13")  # oldest and newest: what CI runs every job on
RUN_HERE = ("tag", "artifacts", "recorded", "sums")  # release.yml step ids run by these tests
NOT_HERE = {"install": "installs from PyPI", "upload": "needs GitHub and a token"}
_EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def load_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` block (YAML 1.1 reads the bare key `on` as True)."""
    on = workflow.get("on", workflow.get(True))
    return on if isinstance(on, dict) else {name: None for name in on}


def check_jsonschema(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("schema", SCHEMAS)
def test_workflow_files_pass_check_jsonschema(schema: str) -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [p.name for p in files] == ["ci.yml", "release.yml"]
    done = check_jsonschema("--builtin-schema", schema, *map(str, files))
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_jsonschema_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8").replace("steps:", "step:")
    (tmp_path / "broken.yml").write_text(broken, encoding="utf-8")
    done = check_jsonschema("--builtin-schema", SCHEMAS[0], str(tmp_path / "broken.yml"))
    assert done.returncode == 1 and "broken.yml" in done.stdout + done.stderr


def test_ci_runs_the_gate_sessions_on_every_push_and_pull_request() -> None:
    ci = load_yaml(WORKFLOWS / "ci.yml")
    assert {"push", "pull_request", "workflow_call"} <= set(triggers(ci))
    job = ci["jobs"]["nox"]
    sessions = set(job["strategy"]["matrix"]["session"])
    assert sessions >= GATE_SESSIONS
    assert sessions <= nox_sessions(NOXFILE)
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert "python -m nox -s ${{ matrix.session }}" in runs
    # every session on the oldest and the newest supported Python, each job on its own
    assert job["strategy"]["matrix"]["python"] == list(SUPPORTED_PYTHONS)
    (setup,) = [step for step in job["steps"] if step.get("uses", "").startswith("actions/setup")]
    assert setup["with"]["python-version"] == "${{ matrix.python }}"


def test_ci_matrix_spans_the_supported_pythons() -> None:
    """The oldest Python CI runs is pyproject's requires-python floor, the newest the newest
    CPython the suite supports."""
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == f">={SUPPORTED_PYTHONS[0]}"
    for job in load_yaml(WORKFLOWS / "ci.yml")["jobs"].values():
        assert job["strategy"]["matrix"]["python"] == list(SUPPORTED_PYTHONS), job["name"]


def test_release_workflow_runs_the_gate_before_publishing() -> None:
    release = load_yaml(WORKFLOWS / "release.yml")
    assert triggers(release)["push"]["tags"] == ["v[0-9]+.[0-9]+.[0-9]+*"]
    assert release["jobs"]["gate"]["uses"] == "./.github/workflows/ci.yml"
    job = release["jobs"]["release"]
    assert job["needs"] == "gate" and job["permissions"] == {"contents": "write"}
    assert release["permissions"] == {"contents": "read"}


def test_every_command_in_the_workflows_exists() -> None:
    sessions = nox_sessions(NOXFILE)
    seen = 0
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for job in load_yaml(path)["jobs"].values():
            matrix = job.get("strategy", {}).get("matrix", {}).get("session", [""])
            for step in job.get("steps", []):
                for line in str(step.get("run", "")).splitlines():
                    if not re.match(r"\s*(dprk-records|python -m nox)\b", line):
                        continue
                    for session in matrix:
                        argv = shlex.split(line.replace("${{ matrix.session }}", session))
                        assert command_problem(argv, sessions) is None, (path.name, line)
                        seen += 1
    assert seen >= len(GATE_SESSIONS) + 1


# -- the release job, step by step -----------------------------------------------------------


def expand(text: str, context: dict[str, str]) -> str:
    """Replace the ``${{ ... }}`` expressions this job uses; any other one fails the test."""

    def value(match: re.Match[str]) -> str:
        assert match.group(1) in context, f"unknown expression in release.yml: {match.group(0)}"
        return context[match.group(1)]

    return _EXPRESSION.sub(value, text)


def run_release_job(repo: Path, tag: str, bin_dir: Path) -> tuple[str | None, str]:
    """Run the release job's steps in ``repo`` as GitHub would; (failed step id or None, output)."""
    job = load_yaml(WORKFLOWS / "release.yml")["jobs"]["release"]
    steps = [step for step in job["steps"] if "run" in step]
    assert [s["id"] for s in steps if s["id"] not in NOT_HERE] == list(RUN_HERE)
    assert {s["id"] for s in steps} == set(RUN_HERE) | set(NOT_HERE)
    assert job["defaults"]["run"]["shell"] == "bash"
    context = {"github.ref_name": tag}
    github_env = repo.parent / "github_env"
    github_env.write_text("", encoding="utf-8")
    env = git_env({"PATH": cli_path(bin_dir, REPO / "src"), "GITHUB_ENV": str(github_env)})
    env.update({key: expand(str(v), context) for key, v in job.get("env", {}).items()})
    for step in steps:
        if step["id"] in NOT_HERE:
            continue
        for line in github_env.read_text(encoding="utf-8").splitlines():
            key, _, val = line.partition("=")
            env[key] = val
        step_env = env | {k: expand(str(v), context) for k, v in step.get("env", {}).items()}
        done = subprocess.run(
            [
                "bash",
                "--noprofile",
                "--norc",
                "-eo",
                "pipefail",
                "-c",
                expand(step["run"], context),
            ],
            cwd=repo / step.get("working-directory", "."),
            env=step_env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            return step["id"], done.stdout + done.stderr
    return None, ""


@pytest.fixture
def released_repo(built_package: Path, tmp_path: Path) -> Path:
    """A git checkout whose last commit records a release of its package, as a maintainer
    leaves it."""
    repo = make_checkout(tmp_path / "repo", built_package)
    record_release(repo)
    git_init(repo)
    return repo


def package_version(repo: Path) -> str:
    return json.loads((repo / "schemas" / "package.json").read_text(encoding="utf-8"))["version"]


def test_release_job_rebuilds_the_recorded_release_and_checks_its_sums(
    released_repo: Path, tmp_path: Path
) -> None:
    version = package_version(released_repo)
    failed, output = run_release_job(released_repo, f"v{version}", tmp_path / "bin")
    assert failed is None, output
    dist = released_repo / "dist"
    assert sorted(p.name for p in dist.iterdir()) == [
        "SHA256SUMS",
        f"dprk-records-data-{version}.zip",
        f"release-notes-{version}.md",
    ]
    (entry,) = [
        e for e in load_registry(released_repo / REGISTRY)["releases"] if e["version"] == version
    ]
    archive = (dist / f"dprk-records-data-{version}.zip").read_bytes()
    assert entry["sha256"] == hashlib.sha256(archive).hexdigest()  # what the loader will verify
    assert git(released_repo, "status", "--porcelain") == ""


def test_release_job_refuses_a_tag_that_is_not_the_package_version(
    released_repo: Path, tmp_path: Path
) -> None:
    version = package_version(released_repo)
    failed, output = run_release_job(released_repo, "v99.0.0", tmp_path / "bin")
    assert failed == "tag"
    assert f"tag v99.0.0 does not name the package version {version}" in output
    assert not (released_repo / "dist").exists()


def test_release_job_refuses_a_release_not_recorded_in_the_commit(
    built_package: Path, tmp_path: Path
) -> None:
    repo = make_checkout(tmp_path / "repo", built_package)
    git_init(repo)  # tagged without running `dprk-records release` first
    version = package_version(repo)
    failed, output = run_release_job(repo, f"v{version}", tmp_path / "bin")
    assert failed == "recorded"
    assert "not recorded in this commit" in output and f"releases/{version}/" in output


# -- pre-commit -------------------------------------------------------------------------------


def test_pre_commit_hooks_run_the_projects_commands(built_package: Path) -> None:
    config = load_yaml(REPO / ".pre-commit-config.yaml")
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format", "schemas-in-sync", "reproducible"}
    lint_group = tomllib.loads((REPO / "pyproject.toml").read_text())["dependency-groups"]["lint"]
    for hook in hooks.values():
        assert hook["language"] == "system"
        argv = shlex.split(hook["entry"])
        if argv[0] == "ruff":
            assert argv[1] in ("check", "format") and any(r.startswith("ruff") for r in lint_group)
        else:
            assert argv[0] == "dprk-records" and cli_problem(argv[1:]) is None, hook["entry"]
    assert hooks["schemas-in-sync"]["entry"] == "dprk-records schemas --check"
    assert hooks["reproducible"]["entry"] == "dprk-records build --check"
    assert hooks["reproducible"]["pass_filenames"] is False
    # the two project hooks pass on a correct tree
    assert main(["schemas", "--check"]) == 0
    seeds = str(REPO / "seeds")
    assert main(["build", "--check", "--seeds", seeds, "--out", str(built_package)]) == 0
