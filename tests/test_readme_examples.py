"""Every code line of README.md and CONTRIBUTING.md is checked against what it names, or run.

- shell lines: a ``dprk-records`` command parses with the real CLI parser, a ``nox -s`` names
  sessions of noxfile.py, a ``pip install`` of dprk-records says where it comes from (it is not
  on the Python Package Index) and names extras pyproject.toml defines, a ``git add`` names
  files that exist;
- Python lines: the loader examples run, statement by statement, against release 0.1.0 built
  from ``releases/0.1.0`` and served over HTTP on 127.0.0.1, from a folder that is not a
  checkout (so the loader takes the release, not a checkout's ``datapackage/``);
- the two blocks that are not code (a timeline printout and the layout) are checked against the
  CLI's output and the repository's files;
- every version X.Y.Z in their code is one the loader registry knows;
- the README's two quick-start commands are what CI runs (``.ci/run``, ``ci.yml``), and what the
  README says CI runs is what ci.yml runs.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import shlex
import shutil
import tomllib
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement

from dprk_records.cli import main
from dprk_records.loader.registry import add_release, load_registry, write_registry
from dprk_records.release.records import REGISTRY

from .checkouts import REPO
from .doc_commands import cli_problem, code_blocks, commands, nox_session_args, nox_sessions
from .loader.builders import ReleaseServer

README = REPO / "README.md"
CONTRIBUTING = REPO / "CONTRIBUTING.md"
NOXFILE = REPO / "noxfile.py"
CI = REPO / ".github" / "workflows" / "ci.yml"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
REPOSITORY_URL = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))[
    "repository-code"
]
# X.Y.Z strings allowed in code although no release has them. None so far: an example must name
# a version the reader can load.
ALLOWED_VERSIONS: frozenset[str] = frozenset()
BUILD_COMMAND = "python3 -m pip install nox && python3 -m nox -s build"
TEST_COMMAND = "python3 -m nox -s lint tests"
SUPPORTED_PYTHONS = ["3.11", "3.13"]
_VERSION = re.compile(r"(?<![\w.])(\d+\.\d+\.\d+)(?![\w.]*\d)")
_INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
_FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


# -- reading the documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    source: str  # "README.md:LINE"
    text: str


def indented_blocks(markdown: str, name: str) -> list[Block]:
    """Markdown's indented code blocks: 4-space lines after a blank line, dedented."""
    lines = _FENCED.sub(lambda m: "\n" * m.group(0).count("\n"), markdown).splitlines()
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate(lines):
        indented = line.startswith("    ") and bool(line.strip())
        if indented and (current or index == 0 or not lines[index - 1].strip()):
            start = start if current else index + 1
            current.append(line[4:])
        elif current and not line.strip() and _continues(lines, index):
            current.append("")
        elif current:
            blocks.append(Block(f"{name}:{start}", "\n".join(current) + "\n"))
            current = []
    if current:
        blocks.append(Block(f"{name}:{start}", "\n".join(current) + "\n"))
    return blocks


def _continues(lines: list[str], index: int) -> bool:
    """Whether the next non-blank line after ``lines[index]`` is still indented code."""
    following = next((line for line in lines[index + 1 :] if line.strip()), "")
    return following.startswith("    ")


def all_blocks() -> list[Block]:
    found = indented_blocks(README.read_text(encoding="utf-8"), "README.md")
    for path in (README, CONTRIBUTING):
        text = path.read_text(encoding="utf-8")
        for block in code_blocks(text):
            found.append(Block(f"{path.name}:fenced", block))
    return found


def inline_code(path: Path) -> list[str]:
    text = _FENCED.sub("", path.read_text(encoding="utf-8"))
    return _INLINE.findall(text)


SHELL_PROGRAMS = {"python", "python3", "pip", "dprk-records", "git", "pre-commit", "."}


def kind(block: Block) -> str:
    """shell, python, yaml or text (a block that is not code)."""
    lines = [line for line in block.text.splitlines() if line.strip()]
    try:
        firsts = [shlex.split(line, comments=True)[:1] for line in lines]
    except ValueError:
        firsts = [["?"]]
    if all(not first or _program(first[0]) in SHELL_PROGRAMS for first in firsts):
        return "shell"
    try:
        compile(block.text, block.source, "exec")
        return "python"
    except SyntaxError:
        pass
    try:
        data = yaml.safe_load(block.text)
    except yaml.YAMLError:
        data = None
    if isinstance(data, list) and all(isinstance(s, dict) and "run" in s for s in data):
        return "yaml"
    return "text"


def _program(word: str) -> str:
    """``.nox/build/bin/dprk-records`` is dprk-records in the build session's environment."""
    return "dprk-records" if word == ".nox/build/bin/dprk-records" else word


def blocks_of(wanted: str) -> list[Block]:
    return [block for block in all_blocks() if kind(block) == wanted]


def shell_commands() -> Iterator[tuple[str, list[str]]]:
    for block in blocks_of("shell"):
        for argv in commands(block.text):
            yield block.source, argv
    for block in blocks_of("yaml"):
        for step in yaml.safe_load(block.text):
            for argv in commands(step["run"]):
                yield block.source, argv


# -- shell lines -------------------------------------------------------------------------------


def released(word: str) -> str:
    """``word`` with the placeholders OLD and VERSION (a release) replaced by a real release."""
    newest = load_registry(REPO / REGISTRY)["releases"][-1]["version"]
    return re.sub(r"\b(OLD|VERSION)\b", newest, word)


def pip_problem(argv: list[str]) -> str | None:
    """What is wrong with a documented ``pip install``, or None."""
    args = argv[argv.index("install") + 1 :]
    extras_defined = set(PYPROJECT["project"]["optional-dependencies"])
    editable = False
    for word in args:
        if word == "-e":
            editable = True
            continue
        if editable:
            editable = False
            path, _, extras = word.partition("[")
            if not (REPO / path / "pyproject.toml").is_file():
                return f"-e {word}: not the project folder"
            unknown = set(extras.rstrip("]").split(",")) - {""} - extras_defined
            if unknown:
                return f"-e {word}: no extra {sorted(unknown)} in pyproject.toml"
            continue
        requirement = Requirement(word)
        if requirement.name != PYPROJECT["project"]["name"]:
            continue
        if set(requirement.extras) - extras_defined:
            return f"{word}: no extra {sorted(set(requirement.extras) - extras_defined)}"
        # not on the Python Package Index yet: an install must name the repository
        if requirement.url != f"git+{REPOSITORY_URL}":
            return f"{word}: dprk-records is not on the package index; install git+{REPOSITORY_URL}"
    return None


def shell_problem(argv: list[str], sessions: set[str]) -> str | None:
    program = _program(argv[0])
    if program == "dprk-records":
        problem = cli_problem(argv[1:])
        if problem is None and argv[0].startswith(".nox/") and "build" not in sessions:
            problem = "no nox session build makes .nox/build/"
        named = [released(w) for w in argv if w.startswith("releases/")]
        missing = [w for w in named if not (REPO / w).exists()]
        return problem or (f"no {missing}" if missing else None)
    named = nox_session_args(argv)
    if named is not None:
        missing = sorted(set(named) - sessions)
        return f"no nox session {missing} in noxfile.py" if missing else None
    if argv[1:3] == ["-m", "pip"] or argv[0] == "pip":
        return pip_problem(argv)
    if argv[1:3] == ["-m", "venv"] or argv[0] == ".":
        return None
    if argv[0] == "pre-commit":
        ok = argv[1:] == ["install"] and (REPO / ".pre-commit-config.yaml").is_file()
        return None if ok else "pre-commit: only `pre-commit install` is documented"
    if argv[0] == "git":
        if argv[1] == "add":
            missing = [w for w in argv[2:] if not (REPO / w).exists()]
            return f"git add: no {missing} in the repository" if missing else None
        return None if argv[1] in {"commit", "tag", "push"} else f"git {argv[1]}: unexpected"
    return f"unknown program {argv[0]}"


def test_every_block_is_shell_python_or_a_known_printout() -> None:
    kinds = [kind(block) for block in all_blocks()]
    assert {"shell", "python", "yaml", "text"} == set(kinds)
    texts = [block.text.splitlines()[0] for block in blocks_of("text")]
    assert texts == [
        "Kim Jong Un (kim-jong-un)",
        "schemas/tables/*.json   Table Schemas: the single source of truth for every table",
    ]


def test_every_shell_line_names_what_exists() -> None:
    sessions = nox_sessions(NOXFILE)
    seen = set()
    for source, argv in shell_commands():
        assert shell_problem(argv, sessions) is None, (source, shlex.join(argv))
        seen.add(_program(argv[0]))
    assert {"dprk-records", "python3", "python", "git"} <= seen


def test_the_shell_checks_catch_drift() -> None:
    sessions = nox_sessions(NOXFILE)
    assert "not on the package index" in str(
        shell_problem(["python", "-m", "pip", "install", "dprk-records"], sessions)
    )
    assert "no extra ['sqlite3']" in str(
        shell_problem(["pip", "install", "-e", ".[sqlite3]"], sessions)
    )
    assert "nosuch" in str(shell_problem(["python3", "-m", "nox", "-s", "nosuch"], sessions))
    assert "invalid choice" in str(shell_problem(["dprk-records", "fetchh", "0.1.0"], sessions))
    assert "no ['nosuch.md']" in str(shell_problem(["git", "add", "nosuch.md"], sessions))
    assert "unknown program" in str(shell_problem(["curl", "x"], sessions))


def test_inline_commands_parse() -> None:
    """Concrete `dprk-records ...` commands quoted inline (not syntax lines with [OPTIONS])."""
    checked = 0
    sessions = nox_sessions(NOXFILE)
    for path in (README, CONTRIBUTING):
        for span in inline_code(path):
            if not re.match(r"(dprk-records|python3? -m nox) ", span):
                continue
            if re.search(r"[\[\]|]|\.\.\.|\b[A-Z]{2,}\b", span):
                continue  # a syntax line or one with placeholders
            argv = shlex.split(span)
            assert shell_problem(argv, sessions) is None, (path.name, span)
            checked += 1
    assert checked >= 5


# -- versions ----------------------------------------------------------------------------------


def code_versions() -> dict[str, set[str]]:
    """Every X.Y.Z in the code (blocks and inline code) of README.md and CONTRIBUTING.md."""
    found: dict[str, set[str]] = {}
    texts = [block.text for block in all_blocks()]
    texts += inline_code(README) + inline_code(CONTRIBUTING)
    for text in texts:
        for version in _VERSION.findall(text):
            found.setdefault(version, set()).add(text.strip()[:80])
    return found


def test_every_version_in_the_examples_is_released() -> None:
    registered = {entry["version"] for entry in load_registry(REPO / REGISTRY)["releases"]}
    found = code_versions()
    assert "0.1.0" in found  # the examples do name a version
    unknown = {v: where for v, where in found.items() if v not in registered | ALLOWED_VERSIONS}
    assert unknown == {}, "versions the loader registry does not know"


def test_the_version_finder_sees_versions_and_not_addresses() -> None:
    assert _VERSION.findall('open(version="1.0.0") at 127.0.0.1, see 2.0.') == ["1.0.0"]


# -- the Python examples, run against a served release -----------------------------------------


@pytest.fixture
def served_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ReleaseServer]:
    """Release 0.1.0 (its package from releases/0.1.0, its documents from this checkout) in a
    registry of its own, served on 127.0.0.1; the current folder is not a checkout and holds a
    copy of datapackage/."""
    from dprk_records.publish.cut import archive_name, release_members
    from dprk_records.release.archive import build_zip
    from dprk_records.release.snapshot import open_snapshot

    version = "0.1.0"
    recorded = REPO / "releases" / version
    members = release_members(recorded, REPO, open_snapshot(recorded))
    data = build_zip(members, f"dprk-records-data-{version}", (1980, 1, 1, 0, 0, 0))
    registry = tmp_path / "registry.json"
    write_registry(
        registry,
        add_release(
            {"format": 1, "releases": []},
            version,
            archive_name(version),
            hashlib.sha256(data).hexdigest(),
            len(data),
        ),
    )
    server = ReleaseServer()
    server.files[f"/v{version}/{archive_name(version)}"] = data
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("DPRK_RECORDS_REGISTRY", str(registry))
    monkeypatch.setenv("DPRK_RECORDS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DPRK_RECORDS_BASE_URL", server.url + "/v{version}")
    work = tmp_path / "work"
    shutil.copytree(REPO / "datapackage", work / "datapackage")
    monkeypatch.chdir(work)
    try:
        yield server
    finally:
        server.stop()


def run_statements(block: Block, namespace: dict[str, Any]) -> list[tuple[str, Any]]:
    """Run each top-level statement; (source, value) of every expression statement."""
    values = []
    for node in ast.parse(block.text).body:
        source = ast.get_source_segment(block.text, node) or ""
        if isinstance(node, ast.Expr):
            code = compile(ast.Expression(node.value), block.source, "eval")
            values.append((source, eval(code, namespace)))
        else:
            exec(compile(ast.Module([node], []), block.source, "exec"), namespace)
    return values


def test_the_python_examples_run_against_release_0_1_0(
    served_release: ReleaseServer,
) -> None:
    import pandas as pd

    python = blocks_of("python")
    assert len(python) == 2
    loader, career = python
    assert loader.text.startswith("import dprk_records\n")
    namespace: dict[str, Any] = {}
    values = dict(run_statements(loader, namespace))
    registered = [entry["version"] for entry in load_registry(REPO / REGISTRY)["releases"]]
    assert values["dprk_records.versions()"] == registered == ["0.1.0"]
    rows, pkg, local = namespace["rows"], namespace["pkg"], namespace["local"]
    assert rows and all(isinstance(row, dict) and row["person_id"] for row in rows)
    assert pkg.version == "0.1.0" and Path("../cache").resolve() in pkg.path.resolve().parents
    assert values["pkg.tables"][:2] == ["documents", "paragraphs"]
    assert {"name": "person_id"}.items() <= values['pkg.schema("persons")["fields"]'][0].items()
    df = namespace["df"]
    assert isinstance(df, pd.DataFrame) and len(df) == len(pkg.read("participations"))
    assert local.path == Path("datapackage").resolve()
    assert values['local.timeline("kim-jong-un")']
    assert served_release.hits[next(iter(served_release.files))] == 1  # downloaded once

    printed = io.StringIO()
    with redirect_stdout(printed):
        values = dict(run_statements(career, namespace))
    assert namespace["person"]["person_id"] == "kim-jong-un"
    lines = printed.getvalue().splitlines()
    assert len(lines) == len(local.timeline("kim-jong-un"))
    assert values['dprk_records.timeline("kim-jong-un", version="0.1.0")']


def test_inline_python_calls_run(served_release: ReleaseServer) -> None:
    import dprk_records

    calls = [
        span
        for span in inline_code(README)
        if re.fullmatch(r"dprk_records\.\w+\(.*\)", span) and "VERSION" not in span
    ]
    assert 'dprk_records.load("persons", version="0.1.0")' in calls
    for call in calls:
        assert eval(call, {"dprk_records": dprk_records}) is not None, call


# -- the blocks that are not code --------------------------------------------------------------


def test_the_timeline_printout_is_what_the_command_prints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    printout = blocks_of("text")[0]
    (command,) = [
        argv
        for source, argv in shell_commands()
        if argv[:2] == ["dprk-records", "timeline"] and "--package" in argv
    ]
    monkeypatch.chdir(REPO)
    assert main(command[1:]) == 0
    printed = capsys.readouterr().out.splitlines()
    shown = printout.text.splitlines()
    assert printed[: len(shown)] == shown


def test_the_layout_names_what_exists() -> None:
    layout = blocks_of("text")[1]
    for line in layout.text.splitlines():
        if line.startswith(" "):
            continue  # the description of the line above, continued
        path = released(line.split()[0])
        assert list(REPO.glob(path.rstrip("/"))), path


# -- the quick start and CI --------------------------------------------------------------------


def quick_start() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Quick start") : text.index("\n## ", text.index("## Quick start"))]


def test_the_quick_start_commands_are_what_ci_runs() -> None:
    section = quick_start()
    commands_shown = [b.text.strip() for b in indented_blocks(section, "README.md")]
    assert commands_shown == [BUILD_COMMAND, TEST_COMMAND]
    # the test command: .ci/run ends with exactly it, and it is nox's default
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert [line for line in ci_run if "nox -s" in line] == [TEST_COMMAND]
    assert 'nox.options.sessions = ["lint", "tests"]' in NOXFILE.read_text(encoding="utf-8")
    # the build command: a CI job runs it as written on a fresh checkout, on each Python
    jobs = yaml.safe_load(CI.read_text(encoding="utf-8"))["jobs"]
    (quick,) = [
        job for job in jobs.values() if any(s.get("run") == BUILD_COMMAND for s in job["steps"])
    ]
    assert quick["strategy"]["matrix"]["python"] == SUPPORTED_PYTHONS
    assert quick["steps"][0]["uses"].startswith("actions/checkout")


def test_what_the_readme_says_ci_runs_is_what_ci_runs() -> None:
    jobs = yaml.safe_load(CI.read_text(encoding="utf-8"))["jobs"]
    matrix = jobs["nox"]["strategy"]["matrix"]
    assert matrix["python"] == SUPPORTED_PYTHONS
    section = quick_start()
    said = section[section.index("CI (`.github/workflows/ci.yml`) runs") :]
    said = said[: said.index(".\n")]
    assert re.findall(r"`(\w+)`", said.split(", and the build")[0]) == matrix["session"]
    assert "Python 3.11 and 3.13" in said
    text = README.read_text(encoding="utf-8")
    sentence = re.search(r"`ci.yml` runs the nox sessions `([^`]+)`([^;]+);", text)
    assert sentence is not None
    assert sentence.group(1).split() == matrix["session"]
    assert "Python 3.11 and 3.13" in " ".join(sentence.group(2).split())


def test_every_session_runs_on_the_python_that_runs_nox() -> None:
    """No session pins an interpreter: each takes ``python=PYTHON`` and PYTHON is None."""
    tree = ast.parse(NOXFILE.read_text(encoding="utf-8"))
    assigned = {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert isinstance(assigned["PYTHON"], ast.Constant) and assigned["PYTHON"].value is None
    sessions = 0
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "nox.session":
                python = [k.value for k in decorator.keywords if k.arg == "python"]
                assert [ast.unparse(v) for v in python] == ["PYTHON"], node.name
                sessions += 1
    assert sessions == len(nox_sessions(NOXFILE))
