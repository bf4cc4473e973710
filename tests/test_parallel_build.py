"""Builds on several processes equal the single-process build; progress shows only on terminals."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest

import dprk_records.pipeline.pool as pool
from dprk_records.base.progress import terminal_progress
from dprk_records.cli import main
from dprk_records.pipeline.build import build
from dprk_records.pipeline.manifest import parse_manifest, render_manifest
from dprk_records.pipeline.pool import PARALLEL_MIN_DOCUMENTS, default_workers
from dprk_records.pipeline.read import InvalidSeedsError
from dprk_records.validate import validate_package
from dprk_records_tools.bench.corpus import write_corpus

from .conftest import REPO

CORPUS = REPO / "tests" / "corpus" / "texts"


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_two_workers_build_byte_for_byte_what_one_builds(tmp_path: Path) -> None:
    one = build(CORPUS, tmp_path / "one", environ={}, workers=1)
    two = build(CORPUS, tmp_path / "two", environ={}, workers=2)
    assert one.row_counts == two.row_counts and one.documents == two.documents == 12
    files_one, files_two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert sorted(files_one) == sorted(files_two)
    assert [name for name in files_one if files_one[name] != files_two[name]] == []


def test_spawned_workers_build_what_one_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # where fork is not safe (macOS, a process with threads) workers are spawned: pass two's
    # resolver then reaches them pickled, not inherited
    monkeypatch.setattr(pool, "start_method", lambda: "spawn")
    build(CORPUS, tmp_path / "one", environ={}, workers=1, cache=False)
    build(CORPUS, tmp_path / "two", environ={}, workers=2, cache=False)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_a_synthetic_corpus_builds_alike_on_two_workers_and_validates(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    write_corpus(40, checkout / "seeds", seed=2)
    (checkout / "CHANGELOG.md").write_text("## 0.1.0\n")
    build(checkout / "seeds", checkout / "datapackage", environ={}, workers=2)
    build(checkout / "seeds", tmp_path / "serial", environ={}, workers=1)
    assert _files(checkout / "datapackage") == _files(tmp_path / "serial")
    report = validate_package(checkout / "datapackage", previous=None)
    failed = {c.name: c.findings[:3] for c in report.checks if not c.passed and c.name != "version"}
    assert failed == {}


def test_metadata_conflicts_found_by_workers_are_all_reported(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_corpus(6, seeds, seed=4)
    entries = parse_manifest((seeds / "manifest.csv").read_text())
    for doc_id, entry in entries.items():  # every dated document now contradicts its dateline
        if entry.date_basis == "dateline+manifest" and entry.published is not None:
            moved = entry.published + dt.timedelta(days=3)
            entries[doc_id] = dataclasses.replace(entry, published=moved)
    (seeds / "manifest.csv").write_text(render_manifest(entries))
    messages = []
    for workers in (1, 2):
        with pytest.raises(InvalidSeedsError) as caught:
            build(seeds, tmp_path / f"out{workers}", environ={}, workers=workers)
        messages.append(str(caught.value))
        assert not (tmp_path / f"out{workers}").exists()
    assert messages[0] == messages[1]
    assert messages[0].count("dateline") >= 2  # one problem per document, all of them


def test_default_workers_use_every_core_only_for_large_corpora() -> None:
    assert default_workers(1) == 1
    assert default_workers(PARALLEL_MIN_DOCUMENTS - 1) == 1
    assert default_workers(PARALLEL_MIN_DOCUMENTS) >= 1


def test_terminal_progress_is_off_for_pipes_and_quiet() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert terminal_progress(stream=Terminal())("x", 1).enabled
    assert not terminal_progress(quiet=True, stream=Terminal())("x", 1).enabled
    assert not terminal_progress(stream=io.StringIO())("x", 1).enabled


def test_cli_workers_and_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "package"
    assert main(["build", "--seeds", str(CORPUS), "--out", str(out), "--workers", "2"]) == 0
    assert "from 12 documents" in capsys.readouterr().out
    assert main(["validate", str(out), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # valid, quiet, and stderr is no terminal
    assert main(["validate", str(out)]) == 0
    assert "VALID" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["build", "--workers", "0"])
    assert "at least 1" in capsys.readouterr().err


def _children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is ``pid``, from /proc."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, ppid = fields[0], int(fields[1])
        if ppid == pid and state != "Z":
            found.append(int(stat_file.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find workers")
def test_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    """A build killed by SIGTERM runs no clean-up; its workers must not wait for work for ever."""
    import os
    import signal
    import subprocess
    import sys
    import time

    seeds = tmp_path / "seeds"
    write_corpus(200, seeds, seed=5)
    command = [sys.executable, "-m", "dprk_records.cli", "build", "--seeds", str(seeds)]
    command += ["--out", str(tmp_path / "out"), "--workers", "2", "--quiet", "--no-cache"]
    build_process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and build_process.poll() is None:
            time.sleep(0.1)
            workers = _children(build_process.pid)
        assert len(workers) >= 2, "the build never started its two workers"
        os.kill(build_process.pid, signal.SIGTERM)
        build_process.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [pid for pid in workers if _alive(pid)] == []
    finally:
        if build_process.poll() is None:
            build_process.kill()
            build_process.wait()
