"""A rebuild reuses the replaced package's verbatim texts (hard links) only where a copy would be
the same file: the seed's bytes, a plain file of this user's with the usual mode, named by no one
else; everything else is written afresh, and the package is the same bytes either way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dprk_records.pipeline.build import build
from dprk_records.pipeline.read import SeedEntry, scan_seeds
from dprk_records.pipeline.sources import SourceFolder

from .conftest import REPORT_ID, SPEECH_ID

pytestmark = pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links here")

# The first text a build writes tells it the mode its files get, so it is always written; the
# real seeds' second text (the speech) is the one a rebuild can reuse.
FIRST, SECOND = f"sources/{REPORT_ID}.txt", f"sources/{SPEECH_ID}.txt"


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _inode(path: Path) -> int:
    return os.lstat(path).st_ino


@pytest.fixture
def rebuilt(seeds_copy: Path, tmp_path: Path) -> Path:
    """A package built once, for a test to tamper with before building it again."""
    out = tmp_path / "package"
    build(seeds_copy, out, environ={})
    return out


def test_a_rebuild_reuses_an_unchanged_text_and_is_byte_identical(
    seeds_copy: Path, rebuilt: Path, built_package: Path
) -> None:
    before = _inode(rebuilt / SECOND)
    first = _inode(rebuilt / FIRST)
    build(seeds_copy, rebuilt, environ={})
    assert _inode(rebuilt / SECOND) == before  # the same file, under the new package's name
    assert os.lstat(rebuilt / SECOND).st_nlink == 1  # the old package's name is gone with it
    assert _inode(rebuilt / FIRST) != first  # written: made before the old one is removed
    assert _files(rebuilt) == _files(built_package)


def test_a_text_edited_in_the_old_package_is_written_afresh(
    seeds_copy: Path, rebuilt: Path, built_package: Path
) -> None:
    text = rebuilt / SECOND
    data = bytearray(text.read_bytes())
    data[100] ^= 1  # one bit: same size, different bytes
    with open(text, "r+b") as handle:  # in place, as an editor might
        handle.write(data)
    before = _inode(text)
    build(seeds_copy, rebuilt, environ={})
    assert _inode(text) != before
    assert _files(rebuilt) == _files(built_package)


def test_a_text_someone_else_also_names_is_copied_and_left_alone(
    seeds_copy: Path, rebuilt: Path, built_package: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "my-backup.txt"
    os.link(rebuilt / SECOND, backup)  # a user's backup made with `cp -l`
    build(seeds_copy, rebuilt, environ={})
    assert _inode(rebuilt / SECOND) != _inode(backup)
    assert backup.read_bytes() == (built_package / SECOND).read_bytes()
    assert _files(rebuilt) == _files(built_package)


def test_a_text_of_another_mode_is_written_with_the_usual_one(
    seeds_copy: Path, rebuilt: Path, built_package: Path
) -> None:
    (rebuilt / SECOND).chmod(0o600)
    usual = os.lstat(rebuilt / FIRST).st_mode
    before = _inode(rebuilt / SECOND)
    build(seeds_copy, rebuilt, environ={})
    assert _inode(rebuilt / SECOND) != before
    assert os.lstat(rebuilt / SECOND).st_mode == usual
    assert _files(rebuilt) == _files(built_package)


def _entries(seeds: Path) -> list[SeedEntry]:
    return sorted(scan_seeds(seeds), key=lambda entry: entry.document_id)


def test_only_plain_files_with_the_seeds_bytes_are_linked(seeds_copy: Path, tmp_path: Path) -> None:
    """The old folder holds, for the second text: nothing, a FIFO, a folder, a shorter file and
    the right file; only the last one is linked, and nothing else is ever read."""
    entries = _entries(seeds_copy)
    name = entries[1].file_name
    right = (seeds_copy / name).read_bytes()
    variants: list[tuple[str, bool]] = [("missing", False), ("folder", False), ("short", False)]
    if hasattr(os, "mkfifo"):
        variants.append(("fifo", False))
    variants.append(("right", True))
    for variant, linked in variants:
        previous = tmp_path / variant / "old"
        previous.mkdir(parents=True)
        if variant == "folder":
            (previous / name).mkdir()
        elif variant == "short":
            (previous / name).write_bytes(right[:-1])
        elif variant == "fifo":
            os.mkfifo(previous / name)  # reading it would block: the test would hang
        elif variant == "right":
            (previous / name).write_bytes(right)
        folder = tmp_path / variant / "new"
        folder.mkdir()
        sources = SourceFolder(folder, previous, seeds=seeds_copy)
        for entry in entries:
            sources.add(entry)
        assert sources.linked == int(linked), variant
        assert (folder / name).read_bytes() == right, variant
        assert sorted(p.name for p in folder.iterdir()) == sorted(e.file_name for e in entries)


def test_without_a_previous_package_every_text_is_written(seeds_copy: Path, tmp_path: Path) -> None:
    for previous in (None, tmp_path / "absent"):
        folder = tmp_path / f"new-{previous is None}"
        folder.mkdir()
        sources = SourceFolder(folder, previous, seeds=seeds_copy)
        for entry in _entries(seeds_copy):
            sources.add(entry)
        assert sources.linked == 0
        assert all(os.lstat(p).st_nlink == 1 for p in folder.iterdir())
