"""The architecture holds: layers import only downwards, no two modules or subpackages import
each other, and the runtime package never reaches into the maintainers' tools.

The contracts themselves live in pyproject.toml (``[tool.importlinter]``) and are checked by
import-linter over the whole import graph, imports inside functions included. The second test
proves the check can fail: it plants a cycle in a copy of the package and expects a refusal.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter is not installed (test dependency group)"
)


def _lint_imports(src: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contracts_hold() -> None:
    result = _lint_imports(REPO / "src", REPO / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def _copy_package(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "src"
    shutil.copytree(
        REPO / "src" / "dprk_records",
        src / "dprk_records",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    config = tmp_path / "pyproject.toml"
    shutil.copyfile(REPO / "pyproject.toml", config)
    return src, config


@pytest.mark.parametrize(
    ("module", "planted", "expected"),
    [
        # a sibling cycle inside a subpackage: the loader's errors importing its package reader
        (
            "loader/errors.py",
            "def _planted() -> None:\n    from dprk_records.loader import package  # noqa\n",
            "No cycles are allowed in dprk_records.loader",
        ),
        # a layer importing upwards: the reader (below the gate) importing the gate
        (
            "reader/tables.py",
            "def _planted() -> None:\n    import dprk_records.validate  # noqa\n",
            "dprk_records.reader is not allowed to import dprk_records.validate",
        ),
    ],
    ids=["sibling-cycle", "upward-import"],
)
def test_the_contracts_catch_a_planted_violation(
    tmp_path: Path, module: str, planted: str, expected: str
) -> None:
    src, config = _copy_package(tmp_path)
    target = src / "dprk_records" / module
    target.write_text(target.read_text(encoding="utf-8") + "\n\n" + planted, encoding="utf-8")
    result = _lint_imports(src, config)
    assert result.returncode != 0
    assert expected in result.stdout


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_runtime_package_never_imports_tools_or_tests() -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(roots & {"dprk_records_tools", "tests", "conftest"})
        for path in sorted((REPO / "src").rglob("*.py"))
        if (roots := _imported_roots(path)) & {"dprk_records_tools", "tests", "conftest"}
    }
    assert offenders == {}
