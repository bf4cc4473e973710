"""Shared fixtures: the repository's real seeds and one package built from them per session, and
a small package with known careers (tests/careers.py)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dprk_records.pipeline.build import build
from dprk_records.pipeline.cache import CACHE_ENV as BUILD_CACHE_ENV

from .careers import make_career_package, write_seeds

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
COMMITTED_PACKAGE = REPO / "datapackage"
REPORT_ID = "000_4f944ba05b264b4e"
SPEECH_ID = "004_6661dc6b3fee3046"


@pytest.fixture(scope="session", autouse=True)
def _session_build_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No test writes into the real user's analysis cache: session fixtures (built before any
    test's own fixtures) use one folder of the session; subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("build-cache-session")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(BUILD_CACHE_ENV, str(folder))
        yield folder


@pytest.fixture(autouse=True)
def build_cache(
    _session_build_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """Each test's own empty analysis cache (outside its tmp_path, which tests list), so a test
    that patches analysis code never meets another test's entries."""
    folder = tmp_path_factory.mktemp("build-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(BUILD_CACHE_ENV, str(folder))
        yield folder


@pytest.fixture(scope="session")
def built_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the real seeds; tests must not modify it (copy it first)."""
    out = tmp_path_factory.mktemp("built") / "datapackage"
    build(SEEDS, out, environ={})
    return out


@pytest.fixture
def package_copy(built_package: Path, tmp_path: Path) -> Path:
    """A private copy of the built package that a test may corrupt."""
    target = tmp_path / "package"
    shutil.copytree(built_package, target)
    return target


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seeds folder that a test may break."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def career_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three invented texts with known titles, parts and personnel changes (tests/careers.py);
    tests must not modify it (copy it first)."""
    return make_career_package(tmp_path_factory.mktemp("careers"))


@pytest.fixture(scope="session")
def career_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same three texts as the extractor alone tabulates them (no pinned rows); what its
    tables hold may change as the extractor does, so tests of it check properties, not values."""
    root = tmp_path_factory.mktemp("careers-built")
    package = root / "out" / "datapackage"
    build(write_seeds(root / "seeds"), package, environ={})
    return package


# -- tests of read-only files and folders, also where the suite runs as root ----------------------

WITHOUT_OVERRIDE_ENV = "DPRK_TESTS_WITHOUT_DAC_OVERRIDE"
_DROP = "-dac_override,-dac_read_search"
_SETPRIV = ["setpriv", "--bounding-set", _DROP, "--inh-caps", _DROP]


def permissions_enforced(folder: Path) -> bool:
    """Whether a read-only folder refuses this process a new file (not so for plain root)."""
    probe = folder / ".permissions-probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        (probe / "x").write_bytes(b"")
        return False
    except PermissionError:
        return True
    finally:
        probe.chmod(0o755)
        shutil.rmtree(probe)


@functools.cache
def _can_drop_override() -> bool:
    """Root with setpriv that may drop CAP_DAC_OVERRIDE (CI containers usually may)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"):
        return False
    return subprocess.run([*_SETPRIV, "true"], capture_output=True).returncode == 0


def runs_apart() -> bool:
    """Whether a ``needs_permissions`` test here is run again in a subprocess without
    CAP_DAC_OVERRIDE (so its fixtures must not skip it in this process)."""
    return not os.environ.get(WITHOUT_OVERRIDE_ENV) and _can_drop_override()


_APART: dict[str, str] = {}  # node id -> PASSED / FAILED / SKIPPED / ERROR, from the one run
_APART_OUTPUT: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_APART_NODES] = [
        i.nodeid for i in items if i.get_closest_marker("needs_permissions")
    ]


_APART_NODES = pytest.StashKey[list[str]]()


def _run_apart(config: pytest.Config) -> None:
    """Run every ``needs_permissions`` test of the session in one subprocess without
    CAP_DAC_OVERRIDE (one start-up instead of one per test), and note each outcome."""
    nodes = config.stash[_APART_NODES]
    done = subprocess.run(
        [*_SETPRIV, sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", *nodes],
        cwd=config.rootpath,
        env={**os.environ, WITHOUT_OVERRIDE_ENV: "1"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    _APART_OUTPUT.append(done.stdout + done.stderr)
    for line in done.stdout.splitlines():
        node, _, rest = line.partition(" ")
        outcome = rest.split(" ", 1)[0]
        if node in nodes and outcome in {"PASSED", "FAILED", "SKIPPED", "ERROR"}:
            _APART[node] = outcome


def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run a ``needs_permissions`` test as root in a subprocess whose root cannot override file
    permissions, so that its read-only cases run (and can fail) in CI instead of skipping."""
    if pyfuncitem.get_closest_marker("needs_permissions") is None:
        return None
    if not runs_apart():
        return None  # already unprivileged, or no way to be: the test decides (it may skip)
    if not _APART_OUTPUT:
        _run_apart(pyfuncitem.config)
    outcome = _APART.get(pyfuncitem.nodeid)
    if outcome != "PASSED":
        message = f"without CAP_DAC_OVERRIDE: {outcome or 'no outcome'}\n{_APART_OUTPUT[0]}"
        if outcome == "SKIPPED":
            pytest.skip(message)
        pytest.fail(message, pytrace=False)
    return True
