"""Inside a checkout the loader reads its datapackage/ with no network; downloads print one
progress line at most and leave nothing behind on failure; `versions` says what is cached.

Every test runs against the served fixture release of conftest.py, whose server counts hits:
``release.hits() == 0`` is the proof that no request was made.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

import dprk_records
from dprk_records.cli import main
from dprk_records.loader.api import (
    LOCAL_ENV,
    VersionInfo,
    find_checkout,
    format_versions,
    list_versions,
)
from dprk_records.loader.fetch import _acquire, _holds_linked_lock, cache_problem
from dprk_records.loader.package import Package
from dprk_records.loader.registry import find_release, load_registry

from ..conftest import COMMITTED_PACKAGE, REPO
from .builders import PERSONS_TYPED, VERSION, Release, make_package, release_members, zip_members

PYPROJECT = '[project]\nname = "dprk-records"\ndynamic = ["version"]\n'


def make_checkout(root: Path, *, pyproject: str | None = PYPROJECT, seeds: bool = True) -> Path:
    """A clone as a user has it: datapackage/, seeds/manifest.csv, pyproject.toml, .git/."""
    shutil.copytree(COMMITTED_PACKAGE, root / "datapackage")
    if seeds:
        (root / "seeds").mkdir()
        shutil.copyfile(REPO / "seeds" / "manifest.csv", root / "seeds" / "manifest.csv")
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (root / ".git").mkdir()
    (root / "src" / "deep").mkdir(parents=True)
    return root


@pytest.fixture
def checkout(tmp_path: Path, release: Release, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(LOCAL_ENV, raising=False)
    return make_checkout(tmp_path / "clone")


@pytest.fixture
def elsewhere(tmp_path: Path, release: Release, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder outside any checkout (its .git stops the search), as the current folder."""
    monkeypatch.delenv(LOCAL_ENV, raising=False)
    folder = tmp_path / "project"
    (folder / ".git").mkdir(parents=True)
    monkeypatch.chdir(folder)
    return folder


def local_rows() -> list[dict[str, object]]:
    return Package(COMMITTED_PACKAGE).read("persons")


# -- local first --------------------------------------------------------------------------


@pytest.mark.parametrize("where", [".", "src/deep", "datapackage"])
def test_inside_a_checkout_load_reads_its_datapackage_without_network(
    checkout: Path,
    release: Release,
    where: str,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(checkout / where)
    rows = dprk_records.load("persons")
    assert rows == local_rows() and rows != PERSONS_TYPED
    package = dprk_records.open()
    assert package.path == (checkout / "datapackage").resolve()
    assert package.source.startswith(f"local package at {package.path} (checkout")
    assert "DPRK_RECORDS_LOCAL=0" in package.source  # says how to get a release instead
    assert dprk_records.info()["source"] == package.source
    assert dprk_records.timeline("kim-jong-un") == Package(COMMITTED_PACKAGE).timeline(
        "kim-jong-un"
    )
    assert release.hits() == 0 and not release.cache.exists()
    assert capfd.readouterr() == ("", "")  # logs and prints nothing


def test_cli_info_without_arguments_describes_the_checkout(
    checkout: Path,
    release: Release,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(checkout)
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert f"source:   local package at {(checkout / 'datapackage').resolve()} (checkout" in out
    assert release.hits() == 0


def test_an_explicit_version_or_cache_dir_means_the_release(
    checkout: Path, release: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(checkout)
    assert dprk_records.load("persons", version=VERSION) == PERSONS_TYPED
    assert release.hits() == 1
    package = dprk_records.open(version=VERSION)
    assert package.source == f"release {VERSION} (cache {release.cache})"
    other = checkout.parent / "other-cache"
    assert dprk_records.load("persons", cache_dir=other) == PERSONS_TYPED
    assert (other / VERSION / "datapackage.json").is_file() and release.hits() == 2


def test_path_always_means_that_folder(
    checkout: Path, release: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(checkout)
    package = dprk_records.open(path=release.package)
    assert package.read("persons") == PERSONS_TYPED
    assert package.source == f"local package at {release.package.resolve()}"
    assert release.hits() == 0


def test_outside_a_checkout_the_release_is_used(elsewhere: Path, release: Release) -> None:
    assert find_checkout() is None
    assert dprk_records.load("persons") == PERSONS_TYPED
    assert dprk_records.open().source == f"release {VERSION} (cache {release.cache})"
    assert release.hits() == 1


@pytest.mark.parametrize("value", ["0", "false", "No", " off "])
def test_dprk_records_local_0_turns_local_first_off(
    checkout: Path, release: Release, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.chdir(checkout)
    monkeypatch.setenv(LOCAL_ENV, value)
    assert dprk_records.load("persons") == PERSONS_TYPED
    assert release.hits() == 1
    monkeypatch.setenv(LOCAL_ENV, "1")
    assert dprk_records.load("persons") == local_rows()
    assert release.hits() == 1


@pytest.mark.parametrize(
    "missing",
    ["seeds", "pyproject", "another project", "not toml", "pyproject is a folder"],
)
def test_a_datapackage_folder_alone_is_not_a_checkout(
    tmp_path: Path, release: Release, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.delenv(LOCAL_ENV, raising=False)
    pyproject = {
        "pyproject": None,
        "another project": '[project]\nname = "dprk-records-fork"\n',
        "not toml": "[project\nname = dprk-records\n",
    }.get(missing, PYPROJECT)
    root = make_checkout(tmp_path / "clone", pyproject=pyproject, seeds=missing != "seeds")
    if missing == "pyproject is a folder":
        (root / "pyproject.toml").unlink()
        (root / "pyproject.toml").mkdir()
    monkeypatch.chdir(root)
    assert find_checkout() is None
    assert dprk_records.load("persons") == PERSONS_TYPED
    assert release.hits() == 1


def test_project_name_is_compared_as_python_normalizes_it(tmp_path: Path) -> None:
    root = make_checkout(tmp_path / "clone", pyproject='[project]\nname = "DPRK_Records"\n')
    assert find_checkout(root / "src") == root / "datapackage"


def test_the_search_stops_at_the_first_git_folder(tmp_path: Path) -> None:
    """A repository vendored inside a checkout has its own root: the outer clone is not used."""
    root = make_checkout(tmp_path / "clone")
    inner = root / "vendor" / "other"
    (inner / ".git").mkdir(parents=True)
    (inner / "docs").mkdir()
    assert find_checkout(inner / "docs") is None
    assert find_checkout(root / "vendor") == root / "datapackage"


def test_a_broken_checkout_package_says_how_to_use_a_release(
    checkout: Path, release: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    (checkout / "datapackage" / "datapackage.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(checkout)
    with pytest.raises(dprk_records.PackageError, match=r"DPRK_RECORDS_LOCAL=0"):
        dprk_records.load("persons")
    assert release.hits() == 0


# -- downloads: one line at most, nothing left after a failure --------------------------------


def test_a_download_in_a_pipe_prints_nothing(
    elsewhere: Path, release: Release, capfd: pytest.CaptureFixture[str]
) -> None:
    assert dprk_records.load("persons") == PERSONS_TYPED
    assert release.hits() == 1
    assert capfd.readouterr() == ("", "")  # no "Downloading data from", no bar


def test_a_download_on_a_terminal_draws_one_tqdm_line(
    elsewhere: Path,
    release: Release,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    dprk_records.fetch(VERSION)
    drawn = terminal.getvalue()
    assert "Downloading" not in drawn and drawn.count("\n") == 1
    last = drawn.rstrip("\n").rsplit("\r", 1)[-1]
    assert last.startswith(f"dprk-records-data-{VERSION}.zip") and "100%" in last
    assert capfd.readouterr() == ("", "")  # and nothing went to the real stderr

    newer = make_package(release.package.parent / "p2", "1.0.1")
    release.publish("1.0.1", zip_members(release_members(newer, "1.0.1")))
    quiet = Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    dprk_records.open(version="1.0.1", quiet=True)
    assert quiet.getvalue() == "" and release.hits("1.0.1") == 1


def test_network_down_leaves_no_lock_and_no_partial_file(elsewhere: Path, release: Release) -> None:
    release.server.stop()
    with pytest.raises(dprk_records.DownloadError, match="refused the connection"):
        dprk_records.load("persons")
    assert sorted(os.listdir(release.cache)) == []  # no .lock, no pooch temporary file
    with pytest.raises(dprk_records.DownloadError):
        dprk_records.fetch(VERSION)
    assert sorted(os.listdir(release.cache)) == []


def test_hash_mismatch_and_cut_download_leave_no_file(elsewhere: Path, release: Release) -> None:
    real = release.archives[VERSION]
    release.publish("1.0.1", real, served=real.replace(b"Kim Il Sung", b"Kim II Sung"))
    with pytest.raises(dprk_records.HashMismatchError):
        dprk_records.fetch("1.0.1")
    release.server.modes[release.path_of(VERSION)] = "truncate"
    with pytest.raises(dprk_records.DownloadError):
        dprk_records.fetch(VERSION)
    assert sorted(os.listdir(release.cache)) == []


def test_a_lock_whose_file_was_deleted_is_not_held(tmp_path: Path) -> None:
    from filelock import FileLock

    path = tmp_path / "x.zip.lock"
    lock = FileLock(str(path))
    lock.acquire()
    try:
        assert _holds_linked_lock(lock, path)
        path.unlink()
        assert not _holds_linked_lock(lock, path)
        path.write_bytes(b"")  # another process made a new lock file: not ours either
        assert not _holds_linked_lock(lock, path)
    finally:
        lock.release()


def test_a_waiter_locks_again_when_the_failed_holder_deleted_the_file(release: Release) -> None:
    """The holder fails, deletes the lock file and releases; the process that waited on it must
    end up holding the lock file that exists, not a deleted one nobody else can see."""
    from filelock import FileLock

    entry = find_release(load_registry(), VERSION)
    release.cache.mkdir()
    path = release.cache / (entry["file"] + ".lock")
    holder = FileLock(str(path))
    holder.acquire()
    got: list[object] = []
    waiter = threading.Thread(
        target=lambda: got.append(_acquire(release.cache, entry, "a test")), daemon=True
    )
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive()  # waiting on the holder
    path.unlink()
    holder.release()
    waiter.join(10)
    lock = got[0]
    try:
        assert _holds_linked_lock(lock, path)  # type: ignore[arg-type]
    finally:
        lock.release()  # type: ignore[attr-defined]
    assert cache_problem(entry, release.cache) is not None


# -- versions -----------------------------------------------------------------------------


def test_versions_say_which_are_cached_without_network(elsewhere: Path, release: Release) -> None:
    newer = make_package(release.package.parent / "p2", "1.1.0")
    release.publish("1.1.0", zip_members(release_members(newer, "1.1.0")))
    raw = json.loads(release.registry_path.read_text())
    for entry in raw["releases"]:
        if entry["version"] == "1.1.0":
            entry["date"] = "2024-07-01"
    release.registry_path.write_text(json.dumps(raw))

    before = list_versions()
    assert [(v.version, v.cached, v.latest, v.date) for v in before] == [
        ("1.0.0", False, False, None),
        ("1.1.0", False, True, "2024-07-01"),
    ]
    dprk_records.fetch(VERSION)
    release.server.stop()
    after = {v.version: v for v in list_versions()}
    assert after["1.0.0"].cached and not after["1.1.0"].cached
    assert after["1.0.0"].folder == release.cache / VERSION
    assert format_versions(list(after.values())).splitlines() == [
        "1.1.0  2024-07-01  not cached  latest",
        "1.0.0              cached",
    ]
    (release.cache / f"dprk-records-data-{VERSION}.zip").write_bytes(b"cut")
    assert not list_versions()[0].cached  # wrong size: not counted as cached
    assert release.hits() == 1


def test_versions_of_another_cache_dir(elsewhere: Path, release: Release, tmp_path: Path) -> None:
    other = tmp_path / "other"
    dprk_records.fetch(VERSION, cache_dir=other)
    assert list_versions(other)[0].cached
    assert not list_versions()[0].cached


def test_format_versions_puts_the_newest_first() -> None:
    def info(version: str, cached: bool = False, latest: bool = False) -> VersionInfo:
        return VersionInfo(
            version, f"{version}.zip", "0" * 64, 1, None, cached, latest, Path(version)
        )

    text = format_versions([info("1.9.0", True), info("1.10.0", latest=True), info("1.10.0-rc.1")])
    assert text.splitlines() == [
        "1.10.0       not cached  latest",
        "1.10.0-rc.1  not cached",
        "1.9.0        cached",
    ]
    assert "no data release" in format_versions([])
