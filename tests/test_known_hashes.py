"""A build takes a file's sha256 from the list an earlier build wrote only while the file's stat
is what it was when it was hashed: an edit, however made, is read again and caught."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dprk_records.pipeline import knownhashes, read, sources
from dprk_records.pipeline.build import build
from dprk_records.pipeline.knownhashes import HEADER, KnownHashes, seed_signature
from dprk_records.pipeline.read import InvalidSeedsError, scan_seeds

from .conftest import SPEECH_ID

SHA_A, SHA_B = "a" * 64, "b" * 64


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files made by the test a moment ago count as old enough to trust (the real margin would
    make a test wait two seconds before every build)."""
    monkeypatch.setattr(knownhashes, "RACY_NS", -60_000_000_000)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The seeds the scan reads, by file name."""
    seen: list[str] = []
    real = read._read_seed

    def counting(path: Path) -> tuple[bytes, os.stat_result]:
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(read, "_read_seed", counting)
    return seen


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _one_letter_changed(data: bytes) -> bytes:
    """The same bytes with the case of one letter changed: same size, still a plain text."""
    at = next(i for i in range(100, len(data)) if chr(data[i]).isalpha() and data[i] < 128)
    return data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]


def _written(path: Path, items: list[tuple[str, tuple[int, ...], str]]) -> None:
    with KnownHashes(path, read=False) as known:
        for key, signature, sha in items:
            known.remember(key, signature, sha, 0)
        known.commit()


def test_a_hash_is_known_for_its_signature_only(tmp_path: Path) -> None:
    path = tmp_path / "list.tsv"
    _written(path, [("a", (1, 2, 3), SHA_A), ("b", (4, 5, 6), SHA_B)])
    with KnownHashes(path, write=False) as known:
        assert known.known("a", (1, 2, 3)) == SHA_A
        assert known.known("b", (4, 5, 7)) is None  # another stat: read it
    with KnownHashes(path, write=False) as known:
        assert known.known("b", (4, 5, 6)) == SHA_B  # a key skipped is no harm
        assert known.known("a", (1, 2, 3)) is None  # asked out of order: not known
        assert known.trusted == 1


@given(
    st.dictionaries(st.text("abc_", min_size=1, max_size=4), st.integers(0, 3), max_size=12),
    st.lists(st.text("abc_", min_size=1, max_size=4), max_size=12),
)
def test_the_walk_through_the_list_answers_as_a_lookup(
    recorded: dict[str, int], asked: list[str]
) -> None:
    # (a hypothesis test cannot take tmp_path: a folder of its own per example)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.tsv"
        _written(path, [(key, (size,), SHA_A) for key, size in sorted(recorded.items())])
        with KnownHashes(path, write=False) as known:
            for key in sorted(set(asked)):
                expected = SHA_A if recorded.get(key) == 1 else None
                assert known.known(key, (1,)) == expected


def test_a_file_changed_just_before_the_build_is_not_written_down(tmp_path: Path) -> None:
    path = tmp_path / "list.tsv"
    with KnownHashes(path) as known:
        known.remember("old", (1,), SHA_A, known.started_ns - 3_000_000_000)
        known.remember("racy", (1,), SHA_A, known.started_ns - 1_000_000_000)
        known.remember("later", (1,), SHA_A, known.started_ns + 1)
        known.remember("b-out-of-order", (1,), SHA_A, 0)  # ("old" < "later": written, then...)
        known.commit()
    assert path.read_text(encoding="ascii").splitlines() == [HEADER.strip(), f"old\t1\t{SHA_A}"]


@pytest.mark.parametrize(
    "damage",
    [
        "dprk-records known hashes 0\n",  # another format
        HEADER + f"b\t1\t{SHA_A}\na\t1\t{SHA_A}\n",  # out of order from "a" on
        HEADER + f"a\t1\t{SHA_A[:-1]}\n",  # a sha256 cut short
        HEADER + f"a\t1\t{SHA_A}",  # no line end: torn
    ],
)
def test_a_damaged_list_only_loses_its_trust(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "list.tsv"
    path.write_text(damage, encoding="ascii")
    with KnownHashes(path, write=False) as known:
        assert known.known("a", (1,)) is None


def test_a_list_not_committed_leaves_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "list.tsv"
    _written(path, [("a", (1,), SHA_A)])
    with KnownHashes(path) as known:
        known.remember("a", (2,), SHA_B, 0)  # (a build that then fails)
    assert path.read_text(encoding="ascii") == f"{HEADER}a\t1\t{SHA_A}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.tsv"]  # no temporary left


def test_a_walk_that_writes_nothing_down_leaves_no_list(tmp_path: Path) -> None:
    path = tmp_path / "list.tsv"
    with KnownHashes(path) as known:  # (a build into a new folder: no text of an old package)
        known.commit()
    assert not path.exists()
    _written(path, [("a", (1,), SHA_A)])
    with KnownHashes(path) as known:  # (the old package is gone: what it knew is stale)
        known.commit()
    assert list(tmp_path.iterdir()) == []


def test_a_second_scan_reads_no_unchanged_seed(
    trusting: None, reads: list[str], seeds_copy: Path, tmp_path: Path
) -> None:
    path = tmp_path / "seeds.tsv"
    for _ in range(2):
        reads.clear()
        with KnownHashes(path) as known:
            entries = scan_seeds(seeds_copy, known)
            known.commit()
    assert reads == []
    assert entries == scan_seeds(seeds_copy)  # the same entries as a scan that reads all


def test_a_seed_edited_in_place_with_its_time_set_back_is_read_and_refused(
    trusting: None, reads: list[str], seeds_copy: Path, tmp_path: Path
) -> None:
    path = tmp_path / "seeds.tsv"
    with KnownHashes(path) as known:
        scan_seeds(seeds_copy, known)
        known.commit()
    seed = seeds_copy / f"{SPEECH_ID}.txt"
    before = os.stat(seed)
    with open(seed, "r+b") as handle:
        handle.write(_one_letter_changed(seed.read_bytes()))
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))  # as if never touched
    assert seed_signature(os.stat(seed)) != seed_signature(before)  # (its ctime moved)
    reads.clear()
    with KnownHashes(path) as known, pytest.raises(InvalidSeedsError, match="does not match"):
        scan_seeds(seeds_copy, known)
    assert reads == [seed.name]


def test_a_warm_build_reads_no_unchanged_file_and_writes_the_same_package(
    trusting: None,
    reads: list[str],
    seeds_copy: Path,
    tmp_path: Path,
    built_package: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hashed: list[str] = []
    real_sha256 = sources.sha256_hex

    def counting_sha256(data: bytes) -> str:
        digest = real_sha256(data)
        hashed.append(digest)
        return digest

    monkeypatch.setattr(sources, "sha256_hex", counting_sha256)
    out = tmp_path / "package"
    counts = []
    for _ in range(3):  # texts written, then linked and hashed, then linked on trust
        reads.clear()
        hashed.clear()
        build(seeds_copy, out, environ={})
        counts.append((len(reads), len(hashed)))
    # the first build reads each of the two seeds three times (scan, analysis, its text); then
    # only the first text is read, as it is always written (it tells the build its files'
    # mode); the second text is hashed once, when the list does not know it yet
    assert counts == [(6, 0), (1, 1), (1, 0)]
    assert _files(out) == _files(built_package)


def test_a_package_text_edited_in_place_is_not_trusted(
    trusting: None, seeds_copy: Path, tmp_path: Path, built_package: Path
) -> None:
    out = tmp_path / "package"
    for _ in range(2):
        build(seeds_copy, out, environ={})
    text = out / "sources" / f"{SPEECH_ID}.txt"
    with open(text, "r+b") as handle:  # in place: its modification time moves
        handle.write(_one_letter_changed(text.read_bytes()))
    build(seeds_copy, out, environ={})
    assert text.read_bytes() == (built_package / "sources" / text.name).read_bytes()


def test_without_a_cache_nothing_is_written_down(
    trusting: None, seeds_copy: Path, tmp_path: Path, build_cache: Path
) -> None:
    shutil.rmtree(build_cache, ignore_errors=True)
    build(seeds_copy, tmp_path / "package", environ={}, cache=False)
    assert not (build_cache / "known").exists()
