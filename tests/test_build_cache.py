"""The per-document analysis cache: a build re-analyses only what changed, and the package is the
same bytes warm, cold, without a cache and on any number of workers."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dprk_records.add.reproduce import stale_package_files
from dprk_records.cli import main
from dprk_records.pipeline import analyse as analyse_module
from dprk_records.pipeline import build as build_module
from dprk_records.pipeline.build import build
from dprk_records.pipeline.cache import AnalysisCache, CacheLocationError
from dprk_records.pipeline.manifest import parse_manifest, render_manifest
from dprk_records.pipeline.prepare import Document

from .checkouts import ADD_DATE, ADD_TEXT, make_checkout
from .conftest import COMMITTED_PACKAGE, REPO, SEEDS, permissions_enforced, runs_apart

CORPUS = REPO / "tests" / "corpus" / "texts"


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/*.pickle"))


@pytest.fixture
def analyses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The ids of the documents really analysed (in this process: use ``workers=1``)."""
    done: list[str] = []
    original = analyse_module.analyse_document

    def counting(document: Document) -> Any:
        done.append(document.document_id)
        return original(document)

    monkeypatch.setattr(analyse_module, "analyse_document", counting)
    yield done


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the twelve texts of tests/corpus/texts (no manifest)."""
    return Path(shutil.copytree(CORPUS, tmp_path / "texts"))


def test_seeds_build_alike_cold_warm_and_without_cache(tmp_path: Path, analyses: list[str]) -> None:
    cache = tmp_path / "cache"
    cold = build(SEEDS, tmp_path / "cold", environ={}, workers=1, cache=cache)
    assert (cold.documents, cold.analysed, len(analyses)) == (2, 2, 2)
    assert len(_entries(cache)) == 2
    warm = build(SEEDS, tmp_path / "warm", environ={}, workers=1, cache=cache)
    assert (warm.documents, warm.analysed, len(analyses)) == (2, 0, 2)  # nothing analysed again
    none = build(SEEDS, tmp_path / "none", environ={}, workers=1, cache=False)
    assert none.analysed == 2 and len(analyses) == 4
    assert _files(tmp_path / "cold") == _files(tmp_path / "warm") == _files(tmp_path / "none")
    assert cold.row_counts == warm.row_counts == none.row_counts


def test_build_check_is_unchanged_by_a_warm_or_a_damaged_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert stale_package_files(SEEDS, COMMITTED_PACKAGE, cache=cache) == []  # cold
    assert stale_package_files(SEEDS, COMMITTED_PACKAGE, cache=cache) == []  # warm
    for entry in _entries(cache):
        entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")
    assert stale_package_files(SEEDS, COMMITTED_PACKAGE, cache=cache) == []


def test_a_corpus_builds_alike_on_any_workers_warm_or_cold(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    runs = {
        "cold-2": build(CORPUS, tmp_path / "cold-2", environ={}, workers=2, cache=cache),
        "warm-2": build(CORPUS, tmp_path / "warm-2", environ={}, workers=2, cache=cache),
        "warm-1": build(CORPUS, tmp_path / "warm-1", environ={}, workers=1, cache=cache),
        "none-1": build(CORPUS, tmp_path / "none-1", environ={}, workers=1, cache=False),
    }
    assert {name: result.analysed for name, result in runs.items()} == {
        "cold-2": 12,
        "warm-2": 0,
        "warm-1": 0,
        "none-1": 12,
    }
    reference = _files(tmp_path / "none-1")
    for name in runs:
        assert _files(tmp_path / name) == reference, name


def test_a_changed_text_is_the_only_one_analysed_again(
    tmp_path: Path, corpus: Path, analyses: list[str]
) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "before", environ={}, workers=1, cache=cache)
    changed = sorted(corpus.glob("*.txt"))[4]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    analyses.clear()
    after = build(corpus, tmp_path / "after", environ={}, workers=1, cache=cache)
    assert analyses == [changed.stem] and after.analysed == 1
    build(corpus, tmp_path / "clean", environ={}, workers=1, cache=False)
    assert _files(tmp_path / "after") == _files(tmp_path / "clean")


def test_an_added_text_is_the_only_one_analysed_on_workers(tmp_path: Path, corpus: Path) -> None:
    cache = tmp_path / "cache"
    held_back = sorted(corpus.glob("*.txt"))[-1]
    text = held_back.read_bytes()
    held_back.unlink()
    first = build(corpus, tmp_path / "eleven", environ={}, workers=2, cache=cache)
    assert first.analysed == 11
    held_back.write_bytes(text)
    grown = build(corpus, tmp_path / "twelve", environ={}, workers=2, cache=cache)
    assert (grown.documents, grown.analysed) == (12, 1)
    build(corpus, tmp_path / "clean", environ={}, workers=1, cache=False)
    assert _files(tmp_path / "twelve") == _files(tmp_path / "clean")


def test_an_added_text_remakes_the_rows_of_the_documents_whose_ids_it_changes(
    tmp_path: Path, corpus: Path
) -> None:
    # without the opening report of the plenary meeting, the meeting's other report names it
    # otherwise (its id or its day): adding the report back changes what that document reads
    # of the ids, so its kept fact rows no longer hold and are made again; the other ten stay
    cache = tmp_path / "cache"
    held_back = corpus / "kcna_01_plenary_meeting_opens.txt"
    text = held_back.read_bytes()
    held_back.unlink()
    first = build(corpus, tmp_path / "eleven", environ={}, workers=1, cache=cache)
    assert (first.analysed, first.resolved) == (11, 11)
    held_back.write_bytes(text)
    grown = build(corpus, tmp_path / "twelve", environ={}, workers=1, cache=cache)
    assert (grown.documents, grown.analysed, grown.resolved) == (12, 1, 2)
    again = build(corpus, tmp_path / "again", environ={}, workers=2, cache=cache)
    assert (again.analysed, again.resolved) == (0, 0)
    build(corpus, tmp_path / "clean", environ={}, workers=1, cache=False)
    clean = _files(tmp_path / "clean")
    assert _files(tmp_path / "twelve") == clean
    assert _files(tmp_path / "again") == clean


def test_damaged_row_entries_are_made_again(tmp_path: Path, corpus: Path) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "before", environ={}, workers=1, cache=cache)
    kept = sorted((cache / "rows").glob("*/*.pickle"))
    assert len(kept) == 12
    for index, entry in enumerate(kept):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if index % 2 else data[:-1] + b"x")
    after = build(corpus, tmp_path / "after", environ={}, workers=1, cache=cache)
    assert (after.analysed, after.resolved) == (0, 12)
    assert _files(tmp_path / "after") == _files(tmp_path / "before")


def test_a_changed_manifest_cell_is_part_of_the_key(
    tmp_path: Path, seeds_copy: Path, analyses: list[str]
) -> None:
    """The title of the manifest, not of the text, names the document: a new title is a miss."""
    cache = tmp_path / "cache"
    build(seeds_copy, tmp_path / "before", environ={}, workers=1, cache=cache)
    manifest = seeds_copy / "manifest.csv"
    entries = parse_manifest(manifest.read_text(encoding="utf-8"))
    first = next(iter(entries))
    entries[first] = dataclasses.replace(entries[first], title="A Title Given in the Manifest")
    manifest.write_text(render_manifest(entries), encoding="utf-8")
    analyses.clear()
    after = build(seeds_copy, tmp_path / "after", environ={}, workers=1, cache=cache)
    assert analyses == [first] and after.analysed == 1
    build(seeds_copy, tmp_path / "clean", environ={}, workers=1, cache=False)
    assert _files(tmp_path / "after") == _files(tmp_path / "clean")
    assert (
        b"A Title Given in the Manifest" in (tmp_path / "after" / "data/documents.csv").read_bytes()
    )


def test_a_change_of_code_invalidates_every_entry(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "before", environ={}, workers=1, cache=cache)
    monkeypatch.setattr(build_module, "code_fingerprint", lambda: "0" * 64)
    after = build(corpus, tmp_path / "after", environ={}, workers=1, cache=cache)
    assert after.analysed == 12
    assert len(_entries(cache)) == 24  # the old entries stay: the old code may come back


def test_damaged_entries_are_analysed_again_and_rewritten(tmp_path: Path, corpus: Path) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "cold", environ={}, workers=1, cache=cache)
    entries = _entries(cache)
    assert len(entries) == 12
    middle = bytearray(entries[0].read_bytes())
    middle[len(middle) // 2] ^= 0x01  # one flipped bit
    entries[0].write_bytes(bytes(middle))
    entries[1].write_bytes(entries[1].read_bytes()[:100])  # truncated
    entries[2].write_bytes(b"")  # empty
    shutil.copyfile(entries[4], entries[3])  # a sound entry, but of another document's key
    entries[5].unlink()  # gone
    damaged = build(corpus, tmp_path / "damaged", environ={}, workers=1, cache=cache)
    assert damaged.analysed == 5
    assert _files(tmp_path / "damaged") == _files(tmp_path / "cold")
    assert build(corpus, tmp_path / "again", environ={}, workers=1, cache=cache).analysed == 0


def test_an_entry_that_is_not_a_file_is_a_miss(tmp_path: Path, corpus: Path) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "cold", environ={}, workers=1, cache=cache)
    entry = _entries(cache)[0]
    entry.unlink()
    entry.mkdir()  # read_regular refuses it; the write over it fails, with one warning
    assert build(corpus, tmp_path / "again", environ={}, workers=1, cache=cache).analysed == 1
    assert _files(tmp_path / "again") == _files(tmp_path / "cold")


def test_a_value_from_another_version_of_the_code_is_a_miss(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry that unpickles (digest and key right) but does not hold an analysis is ignored."""
    cache = tmp_path / "cache"
    put = AnalysisCache.put

    def put_other(self: AnalysisCache, source: Any, value: Any) -> None:
        put(self, source, ("not", "an", "analysis"))

    monkeypatch.setattr(AnalysisCache, "put", put_other)
    build(corpus, tmp_path / "odd", environ={}, workers=1, cache=cache)
    monkeypatch.undo()
    result = build(corpus, tmp_path / "fixed", environ={}, workers=1, cache=cache)
    assert result.analysed == 12
    assert build(corpus, tmp_path / "warm", environ={}, workers=1, cache=cache).analysed == 0


@pytest.fixture
def locked_cache(tmp_path: Path, corpus: Path) -> Iterator[Path]:
    """A cache folder, warmed by a build of ``corpus`` less its last text (held back in
    tmp_path), that this process may not write into."""
    if not permissions_enforced(tmp_path) and not runs_apart():
        pytest.skip("file permissions do not bind here (root without setpriv, or not POSIX)")
    cache = tmp_path / "cache"
    last = sorted(corpus.glob("*.txt"))[-1]
    last.rename(tmp_path / last.name)
    build(corpus, tmp_path / "warming", environ={}, cache=cache)
    folders = [cache, *(p for p in cache.iterdir())]
    for folder in folders:
        folder.chmod(0o500)
    yield cache
    for folder in folders:
        folder.chmod(0o700)


@pytest.mark.needs_permissions
def test_a_read_only_cache_is_read_and_a_new_text_still_builds(
    tmp_path: Path, corpus: Path, locked_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    warm = build(corpus, tmp_path / "warm", environ={}, workers=1, cache=locked_cache)
    assert (warm.documents, warm.analysed) == (11, 0) and capsys.readouterr().err == ""
    held_back = next(tmp_path.glob("*.txt"))
    held_back.rename(corpus / held_back.name)
    result = build(corpus, tmp_path / "out", environ={}, workers=1, cache=locked_cache)
    assert (result.documents, result.analysed) == (12, 1)
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and str(locked_cache) in warnings[0]
    build(corpus, tmp_path / "clean", environ={}, workers=1, cache=False)
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")


def test_a_cache_that_cannot_be_made_builds_without_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    result = build(SEEDS, tmp_path / "out", environ={}, cache=blocker / "cache")
    assert result.analysed == 2
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and str(blocker / "cache") in warnings[0]


def test_a_cache_writable_by_others_is_not_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    build(SEEDS, tmp_path / "warming", environ={}, cache=cache)
    capsys.readouterr()
    cache.chmod(cache.stat().st_mode | stat.S_IWOTH)
    result = build(SEEDS, tmp_path / "out", environ={}, cache=cache)
    assert result.analysed == 2
    assert "writable by other users" in capsys.readouterr().err


@pytest.mark.parametrize("inside", ["out", "seeds"])
def test_a_cache_inside_the_package_or_the_seeds_is_refused(
    tmp_path: Path, seeds_copy: Path, inside: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "datapackage"
    cache = (out if inside == "out" else seeds_copy) / "cache"
    refused = re.escape(f"{cache}: the analysis cache cannot be inside")
    with pytest.raises(CacheLocationError, match=refused):
        build(seeds_copy, out, environ={}, cache=cache)
    assert not out.exists() and not cache.exists()
    args = ["build", "--seeds", str(seeds_copy), "--out", str(out), "--cache", str(cache)]
    for check in ([], ["--check"]):
        assert main([*args, *check]) == 2
        assert str(cache) in capsys.readouterr().err
    assert not out.exists() and not cache.exists()


def test_the_command_line_chooses_or_turns_off_the_cache(tmp_path: Path, build_cache: Path) -> None:
    chosen = tmp_path / "chosen"
    common = ["build", "--seeds", str(SEEDS), "--quiet"]
    assert main([*common, "--out", str(tmp_path / "a"), "--cache", str(chosen)]) == 0
    assert len(_entries(chosen)) == 2
    assert main([*common, "--out", str(tmp_path / "b"), "--no-cache"]) == 0
    assert not build_cache.exists() or _entries(build_cache) == []
    assert main([*common, "--out", str(tmp_path / "c")]) == 0  # $DPRK_RECORDS_BUILD_CACHE
    assert len(_entries(build_cache)) == 2
    assert main([*common, "--out", str(tmp_path / "a"), "--check", "--no-cache"]) == 0
    assert _files(tmp_path / "a") == _files(tmp_path / "b") == _files(tmp_path / "c")


def test_add_analyses_only_the_new_text(
    tmp_path: Path, built_package: Path, analyses: list[str], build_cache: Path
) -> None:
    """`dprk-records add` builds before and after in a staging folder, both through the cache."""
    checkout = make_checkout(tmp_path / "repo", built_package)
    build(checkout / "seeds", tmp_path / "warming", environ={}, workers=1)  # the user's last build
    analyses.clear()
    args = ["add", str(ADD_TEXT), "--checkout", str(checkout), "--published", ADD_DATE]
    assert main(args) == 0
    new_id = f"005_{hashlib.sha256(ADD_TEXT.read_bytes()).hexdigest()[:16]}"
    assert analyses == [new_id]
    assert len(_entries(build_cache)) == 3
