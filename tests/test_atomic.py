"""The shared writing and hashing primitives: a failure anywhere leaves the old content and no
temporaries; hashes agree with hashlib and the Frictionless ``hash`` rule.

The writers built on them (build, viewer, release, add, export, cache) test their own policy --
what they refuse, lock and recover -- in their own test files.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from dprk_records.base import atomic
from dprk_records.base.atomic import (
    UnsafeNameError,
    staging_dir,
    swap_in,
    write_file,
    write_tree,
)
from dprk_records.base.hashing import (
    HashingWriter,
    HashMismatch,
    check_hash_field,
    file_sha256,
    sha256_hex,
)

from .conftest import permissions_enforced, runs_apart

NEEDS_PERMISSIONS = pytest.mark.needs_permissions


def umask_mode(tmp_path: Path, kind: str) -> int:
    """The permission bits the umask gives a new file or folder here."""
    probe = tmp_path / f"probe-{kind}"
    if kind == "folder":
        probe.mkdir()
    else:
        probe.write_bytes(b"")
    mode = stat.S_IMODE(probe.stat().st_mode)
    probe.rmdir() if kind == "folder" else probe.unlink()
    return mode


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder holding old.txt that this process may not write into (skips where root may,
    unless the test is run again without root's override, see conftest)."""
    if not permissions_enforced(tmp_path) and not runs_apart():
        pytest.skip("file permissions do not bind here (root without setpriv, or not POSIX)")
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "old.txt").write_bytes(b"old")
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


# -- write_file ------------------------------------------------------------------------------------


def test_write_file_creates_a_file_with_the_umask_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    write_file(path, b"{}\n")
    assert path.read_bytes() == b"{}\n"
    assert stat.S_IMODE(path.stat().st_mode) == umask_mode(tmp_path, "file")  # not mkstemp's 0600
    assert names(tmp_path) == ["new.json"]


def test_write_file_keeps_the_mode_of_the_file_it_replaces_unless_told(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"old")
    path.chmod(0o640)
    write_file(path, b"new")
    assert (path.read_bytes(), stat.S_IMODE(path.stat().st_mode)) == (b"new", 0o640)
    write_file(path, b"newer", mode=0o604)
    assert (path.read_bytes(), stat.S_IMODE(path.stat().st_mode)) == (b"newer", 0o604)


def test_write_file_replaces_a_link_instead_of_writing_through_it(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"not yours")
    link = tmp_path / "link.txt"
    link.symlink_to(elsewhere)
    write_file(link, b"mine")
    assert not link.is_symlink() and link.read_bytes() == b"mine"
    assert elsewhere.read_bytes() == b"not yours"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_file_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"old")

    def explode(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, failing, explode)
    with pytest.raises(OSError, match="No space left"):
        write_file(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert names(tmp_path) == ["f.txt"]


def test_an_interrupted_write_file_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only OSError: Ctrl-C mid-write removes the temporary too."""

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fchmod", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_file(tmp_path / "f.txt", b"new", mode=0o644)
    assert names(tmp_path) == []


def test_a_pending_file_is_seen_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes(b"old")
    pending = atomic.PendingFile(path, mode=0o600, durable=False)
    for piece in (b"one\n", b"two\n"):
        pending.write(piece)
        assert path.read_bytes() == b"old"  # (written beside it, under a hidden name)
    pending.commit()
    assert path.read_bytes() == b"one\ntwo\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert names(tmp_path) == ["list.txt"]
    with pytest.raises(ValueError, match="already put in place"):
        pending.commit()
    abandoned = atomic.PendingFile(path)
    abandoned.write(b"never seen")
    abandoned.abandon()
    assert path.read_bytes() == b"one\ntwo\n"
    assert names(tmp_path) == ["list.txt"]


@NEEDS_PERMISSIONS
def test_write_file_into_a_read_only_folder_fails_and_changes_nothing(read_only: Path) -> None:
    with pytest.raises(PermissionError) as caught:
        write_file(read_only / "old.txt", b"new")
    assert caught.value.filename == str(read_only / "old.txt")  # not the temporary's name
    assert names(read_only) == ["old.txt"]
    assert (read_only / "old.txt").read_bytes() == b"old"


# -- write_tree ------------------------------------------------------------------------------------

FILES = {"datapackage.json": b"{}\n", "data/a.csv": b"x\n1\n", "data/deep/b.csv": b"y\n"}


def test_write_tree_makes_a_new_folder_with_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "out"
    assert write_tree(target, FILES) == target
    assert tree(target) == FILES
    assert stat.S_IMODE(target.stat().st_mode) == umask_mode(tmp_path, "folder")  # not 0700
    assert names(tmp_path) == ["out"]


def test_write_tree_replaces_the_whole_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"stale.txt": b"old", "data/a.csv": b"old"})
    write_tree(target, FILES, file_mode=0o604)
    assert tree(target) == FILES
    assert stat.S_IMODE((target / "data" / "a.csv").stat().st_mode) == 0o604
    assert names(tmp_path) == ["out"]  # the retired folder is gone too


class Exploding(Mapping[str, bytes]):
    """Files whose last value cannot be produced: the failure comes midway through writing."""

    def __init__(self, files: dict[str, bytes], bad: str) -> None:
        self.files = {**files, bad: b""}
        self.bad = bad

    def __getitem__(self, name: str) -> bytes:
        if name == self.bad:
            raise OSError(28, "No space left on device")
        return self.files[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)


def test_a_failed_write_tree_leaves_the_old_folder_and_no_staging(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"old.txt": b"old"})
    with pytest.raises(OSError, match="No space left"):
        write_tree(target, Exploding(FILES, "zzz/last.csv"))
    assert tree(target) == {"old.txt": b"old"}
    assert names(tmp_path) == ["out"]


def test_a_failed_swap_puts_the_old_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second rename (staging into place) fails after the old folder was moved aside."""
    target = tmp_path / "out"
    write_tree(target, {"old.txt": b"old"})
    renames: list[str] = []
    real = os.rename

    def second_fails(source: os.PathLike[str], destination: os.PathLike[str]) -> None:
        renames.append(Path(source).name)
        if len(renames) == 2:
            raise OSError(5, "Input/output error")
        real(source, destination)

    monkeypatch.setattr(atomic.os, "rename", second_fails)
    with pytest.raises(OSError, match="Input/output error"):
        write_tree(target, FILES)
    monkeypatch.undo()
    assert renames[0] == "out" and renames[1].startswith(".out.new-")
    assert tree(target) == {"old.txt": b"old"}
    assert names(tmp_path) == ["out"]


def test_write_tree_without_replace_refuses_an_existing_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"old.txt": b"old"})
    with pytest.raises(FileExistsError) as caught:
        write_tree(target, FILES, replace=False)
    assert caught.value.filename == str(target)
    assert tree(target) == {"old.txt": b"old"}
    assert names(tmp_path) == ["out"]


@pytest.mark.parametrize("name", ["/etc/passwd", "../escape.txt", "data/../../x", ""])
def test_write_tree_refuses_a_name_leaving_the_folder_before_writing(
    tmp_path: Path, name: str
) -> None:
    with pytest.raises(UnsafeNameError, match="names must stay inside it"):
        write_tree(tmp_path / "out", {"ok.txt": b"", name: b"evil"})
    assert names(tmp_path) == []


@NEEDS_PERMISSIONS
def test_write_tree_in_a_read_only_folder_fails_and_changes_nothing(read_only: Path) -> None:
    with pytest.raises(PermissionError):
        write_tree(read_only / "out", FILES)
    assert names(read_only) == ["old.txt"]


@NEEDS_PERMISSIONS
def test_write_tree_whose_old_folder_cannot_move_keeps_it(tmp_path: Path, read_only: Path) -> None:
    """Staging is writable but the parent is not: the new tree cannot replace the old one."""
    target = read_only / "out"
    read_only.chmod(0o755)
    write_tree(target, {"old.txt": b"old"})
    staged_in = tmp_path / "staged"
    staged_in.mkdir()
    write_tree(staged_in / "new", FILES)
    read_only.chmod(0o555)
    with pytest.raises(PermissionError):
        swap_in(staged_in / "new", target)
    assert tree(target) == {"old.txt": b"old"}
    assert names(read_only) == ["old.txt", "out"]


# -- staging_dir, swap_in --------------------------------------------------------------------------


def test_staging_dir_is_hidden_beside_its_target_and_removed_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "1.0.0"
    target.parent.mkdir()
    with pytest.raises(RuntimeError), staging_dir(target, "partial") as staging:
        assert staging.parent == target.parent
        assert staging.name.startswith(".1.0.0.partial-")
        (staging / "half.txt").write_bytes(b"half")
        raise RuntimeError("stop")
    assert names(target.parent) == []


def test_swap_in_of_an_absent_target_is_one_rename(tmp_path: Path) -> None:
    with staging_dir(tmp_path / "out") as staging:
        (staging / "a.txt").write_bytes(b"a")
        swap_in(staging, tmp_path / "out", replace=False)
    assert tree(tmp_path / "out") == {"a.txt": b"a"}
    assert names(tmp_path) == ["out"]


# -- hashing ---------------------------------------------------------------------------------------

ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_sha256_hex_is_lowercase_hex() -> None:
    assert sha256_hex(b"abc") == ABC_SHA256


def test_file_sha256_streams_a_path_or_an_open_file(tmp_path: Path) -> None:
    data = bytes(range(256)) * 1000
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    expected = hashlib.sha256(data).hexdigest()
    assert file_sha256(path) == expected
    assert file_sha256(str(path), chunk_size=7) == expected
    with open(path, "rb") as handle:
        assert file_sha256(handle, chunk_size=4096) == expected
    assert file_sha256(io.BytesIO(b"abc")) == ABC_SHA256


def test_hashing_writer_hashes_and_counts_what_it_passes_on() -> None:
    out = io.BytesIO()
    writer = HashingWriter(out)
    for chunk in (b"a", b"", b"bc"):
        writer.write(chunk)
    assert (out.getvalue(), writer.size, writer.hexdigest()) == (b"abc", 3, ABC_SHA256)


@pytest.mark.parametrize(
    ("recorded", "mismatch"),
    [
        (f"sha256:{ABC_SHA256}", None),
        (f"sha256:{ABC_SHA256.upper()}", None),
        (hashlib.md5(b"abc").hexdigest(), None),  # bare: md5, as the Data Package spec says
        ("sha256:00", HashMismatch("sha256", "00", ABC_SHA256)),
        ("00", HashMismatch("md5", "00", hashlib.md5(b"abc").hexdigest())),
        ("nosuchalgorithm:00", None),  # nothing to compare with
        ("shake_128:00", None),  # no fixed-length digest
    ],
)
def test_check_hash_field(recorded: str, mismatch: HashMismatch | None) -> None:
    assert check_hash_field(b"abc", recorded) == mismatch


def test_write_file_not_durable_skips_fsync_but_stays_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache entry is written without fsync (its own digest catches a torn entry): no call to
    fsync at all, and the file is still replaced by a rename, never written in place."""
    target = tmp_path / "entry"
    target.write_bytes(b"old")

    def no_fsync(fd: int) -> None:
        raise AssertionError("fsync called for a write that is not durable")

    monkeypatch.setattr(os, "fsync", no_fsync)
    atomic.write_file(target, b"new", durable=False)
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry"]
