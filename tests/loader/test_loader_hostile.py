"""Issue 15, loader rows: hostile inputs delete nothing, read nothing from outside, never hang,
and end in one of the project's errors, never a traceback.

Everything is real: archives are built byte by byte and served by the local HTTP server, the
read-only cache is chmod-ed (skipped where permissions are not enforced, e.g. as root), FIFOs
are made with os.mkfifo and every call that could block on one runs under a timeout.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import stat
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

import dprk_records
from dprk_records.base import fileguard as files_module
from dprk_records.cli import main
from dprk_records.errors import DprkRecordsError, PackageError
from dprk_records.loader import archive as archive_module
from dprk_records.loader import download as download_module
from dprk_records.loader.archive import (
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    RATIO_FLOOR,
    copy_member,
    descriptor_files,
    duplicate_members,
    extract_archive,
    is_release_document,
    member_set_problems,
    size_problems,
    version_problem,
)
from dprk_records.loader.download import url_problem
from dprk_records.loader.errors import (
    ArchiveBombError,
    ArchiveMembersError,
    ArchiveVersionError,
    BaseUrlError,
    CacheNotWritableError,
    DownloadError,
    HashMismatchError,
    UnsafeArchiveError,
    UnsafeFileError,
)
from dprk_records.loader.package import Package

from ..conftest import permissions_enforced, runs_apart
from .builders import PERSONS_TYPED, VERSION, Release, make_package, release_members, zip_members

TOP = f"dprk-records-data-{VERSION}"
SECRET = b"SECRET-FROM-OUTSIDE-THE-CACHE"
T = TypeVar("T")


# -- helpers ---------------------------------------------------------------------------------


def within(seconds: float, call: Callable[[], T], fifo: Path | None = None) -> T:
    """Run *call* in a thread; fail (rather than hang) if it has not returned in *seconds*.

    A call stuck opening *fifo* is released by opening the FIFO's other end, so a regression
    fails this test without leaving a blocked thread behind.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if fifo is not None:
            with contextlib.suppress(OSError):  # ENXIO when nobody is reading after all
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
        pytest.fail(f"the call was still blocked after {seconds} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def raw_zip(entries: list[tuple[str, int, int, int, bytes, int]]) -> bytes:
    """A zip written byte by byte from ``(name, method, flags, crc, data, size)`` entries, so
    that what zipfile would not write (duplicates, lying sizes, precompressed streams) can be."""
    out = bytearray()
    central = bytearray()
    for name, method, flags, crc, data, size in entries:
        encoded = name.encode("utf-8")
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, flags, method, 0, 0x21, crc, len(data), size,
            len(encoded), 0,
        )  # fmt: skip
        out += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, method, 0, 0x21, crc, len(data),
            size, len(encoded), 0, 0, 0, 0, 0o100644 << 16, offset,
        )  # fmt: skip
        central += encoded
    count = len(entries)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + end)


def stored(name: str, data: bytes) -> tuple[str, int, int, int, bytes, int]:
    return (name, zipfile.ZIP_STORED, 0, zlib.crc32(data), data, len(data))


def deflate_bomb(size: int) -> bytes:
    """A raw deflate stream of *size* zero bytes, 1032 times smaller than its output.

    One dynamic-Huffman block where a 258-byte match at distance 1 costs two bits (its length
    and distance codes are both one bit long, both 0), so the middle of the stream is plain
    zero bytes and takes no time to build.
    """
    bits = value = 0

    def put(number: int, width: int) -> None:
        nonlocal bits, value
        value |= number << bits
        bits += width

    def code(number: int, width: int) -> None:  # Huffman codes are packed MSB first
        put(int(f"{number:0{width}b}"[::-1], 2), width)

    put(1, 1)  # last block
    put(2, 2)  # dynamic Huffman codes
    put(286 - 257, 5)  # HLIT: literal/length codes 0..285
    put(1 - 1, 5)  # HDIST: one distance code
    put(18 - 4, 4)  # HCLEN: code-length codes given, in the order below
    lengths = {18: 1, 1: 2, 2: 2}  # canonical codes: 18 -> 0, 1 -> 10, 2 -> 11
    for symbol in (16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1):
        put(lengths.get(symbol, 0), 3)
    code(3, 2)  # literal 0: length 2
    code(0, 1), put(138 - 11, 7)  # literals 1..138: unused
    code(0, 1), put(117 - 11, 7)  # literals 139..255: unused
    code(3, 2)  # end of block (256): length 2
    code(0, 1), put(28 - 11, 7)  # lengths 257..284: unused
    code(2, 2)  # length 285 (a 258-byte match): length 1
    code(2, 2)  # distance 0 (distance 1): length 1
    # literal/length codes: 285 -> 0, literal 0 -> 10, end of block -> 11; distance 0 -> 0
    code(2, 2)  # one literal zero, then matches copy it
    matches, rest = divmod(size - 1, 258)
    prefix_bits, prefix = bits, value
    bits, value = 0, 0
    for _ in range(rest):
        code(2, 2)
    code(3, 2)  # end of block
    start = prefix_bits + 2 * matches  # each match is the two bits 0 0
    total = start + bits
    return (prefix | value << start).to_bytes((total + 7) // 8, "little")


def crc_of_zeros(size: int) -> int:
    crc, chunk = 0, bytes(1 << 20)
    while size:
        part = min(size, len(chunk))
        crc = zlib.crc32(chunk[:part], crc)
        size -= part
    return crc


def entries_of(members: dict[str, bytes]) -> list[tuple[str, int, int, int, bytes, int]]:
    return [stored(name, data) for name, data in members.items()]


def flip_one_byte(path: Path, at: int = 10) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :])
    return data


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under *folder*: mode, size and modification time (lstat)."""
    result = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        result[path.relative_to(folder).as_posix()] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return result


def set_tree_mode(folder: Path, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755 if writable else 0o555)
        else:
            path.chmod(0o644 if writable else 0o444)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """Make folders read-only for the test (restored afterwards); skip where permissions are not
    enforced (root, or a file system that ignores modes)."""
    made: list[Path] = []
    if not permissions_enforced(tmp_path) and not runs_apart():
        pytest.skip(f"permissions are not enforced here (euid {os.geteuid()}): no read-only test")

    def make(folder: Path) -> None:
        made.append(folder)
        set_tree_mode(folder, writable=False)

    yield make
    for folder in made:
        set_tree_mode(folder, writable=True)


def publish_members(release: Release, version: str, members: dict[str, bytes]) -> None:
    release.publish(version, zip_members(members))


def assert_nothing_extracted(release: Release, version: str) -> None:
    assert not (release.cache / version).exists()
    assert not [p for p in release.cache.iterdir() if ".partial" in p.name]


# -- row: read-only cache --------------------------------------------------------------------


@pytest.mark.needs_permissions
def test_read_only_cache_loads_when_all_is_cached_and_writes_nothing(
    release: Release, read_only: Callable[[Path], None], capsys: pytest.CaptureFixture[str]
) -> None:
    dprk_records.fetch(VERSION)
    for lock in release.cache.glob("*.lock"):
        lock.unlink()  # as a cache filled by another user or tool would be
    read_only(release.cache)
    before = snapshot(release.cache)
    release.server.stop()
    capsys.readouterr()
    assert dprk_records.load("persons", version=VERSION) == PERSONS_TYPED
    assert dprk_records.open(version=VERSION).info()["tables"] == {"persons": 3, "events": 2}
    assert main(["fetch", VERSION]) == 0
    assert capsys.readouterr().out.strip() == str(release.cache / VERSION)
    assert snapshot(release.cache) == before


@pytest.mark.needs_permissions
def test_read_only_cache_that_must_be_written_names_the_folder_and_the_way_out(
    release: Release, read_only: Callable[[Path], None], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = dprk_records.fetch(VERSION)
    flip_one_byte(folder / "data" / "persons.csv")
    read_only(release.cache)
    with pytest.raises(CacheNotWritableError) as caught:
        dprk_records.load("persons", version=VERSION)
    message = str(caught.value)
    assert str(release.cache) in message and "not writable" in message
    assert "DPRK_RECORDS_CACHE" in message and "cache_dir=" in message
    assert "data/persons.csv" in message  # what needed writing
    assert not isinstance(caught.value, PermissionError)
    capsys.readouterr()  # only what the command prints is checked below
    assert main(["fetch", VERSION]) == 2
    err = capsys.readouterr().err
    assert "is not writable" in err and "Traceback" not in err


@pytest.mark.needs_permissions
def test_read_only_cache_without_the_version_cannot_download_into_it(
    release: Release, read_only: Callable[[Path], None]
) -> None:
    release.cache.mkdir()
    read_only(release.cache)
    with pytest.raises(CacheNotWritableError, match="must be downloaded"):
        dprk_records.fetch(VERSION)
    assert release.hits() == 0


@pytest.mark.needs_permissions
def test_cache_folder_that_cannot_be_created_is_a_project_error(
    release: Release, read_only: Callable[[Path], None], tmp_path: Path
) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    read_only(parent)
    with pytest.raises(CacheNotWritableError, match=r"locked/cache is not writable"):
        dprk_records.fetch(VERSION, cache_dir=parent / "cache")


def test_a_cache_folder_that_is_a_file_is_a_project_error(release: Release, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_bytes(b"")
    with pytest.raises(DprkRecordsError, match=r"cache-file \(or a folder above it\) is a file"):
        dprk_records.fetch(VERSION, cache_dir=not_a_folder)


# -- row: a cached CSV with one byte flipped -------------------------------------------------


def test_cached_csv_with_one_byte_flipped_is_detected_and_reextracted_by_fetch(
    release: Release,
) -> None:
    folder = dprk_records.fetch(VERSION)
    csv_file = folder / "data" / "persons.csv"
    original = flip_one_byte(csv_file)
    assert len(csv_file.read_bytes()) == len(original)  # same size: only the bytes say it
    release.server.stop()  # repaired from the cached archive: no network
    assert dprk_records.fetch(VERSION) == folder
    assert csv_file.read_bytes() == original
    assert release.hits() == 1


def test_cached_csv_with_one_byte_flipped_is_detected_and_reextracted_by_load(
    release: Release,
) -> None:
    folder = dprk_records.fetch(VERSION)
    original = flip_one_byte(folder / "data" / "persons.csv")
    assert dprk_records.load("persons", version=VERSION) == PERSONS_TYPED
    assert (folder / "data" / "persons.csv").read_bytes() == original
    assert release.hits() == 1


@pytest.mark.parametrize("relative", ["README.md", "datapackage.json", "sources/doc-1.txt"])
def test_cached_file_with_one_byte_flipped_is_repaired_by_cli_fetch(
    release: Release, relative: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`dprk-records fetch` saying OK means every file was verified, not just present."""
    folder = dprk_records.fetch(VERSION)
    original = flip_one_byte(folder / relative)
    capsys.readouterr()
    assert main(["fetch", VERSION]) == 0
    assert capsys.readouterr().out.strip() == str(folder)
    assert (folder / relative).read_bytes() == original


# -- row: DPRK_RECORDS_BASE_URL without a scheme or with a bad port --------------------------


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("127.0.0.1:{port}/releases/v{{version}}", "has no scheme"),
        ("localhost:{port}/releases/v{{version}}", "has no scheme"),
        ("github.com/dprk-records/dprk-records/releases/download/v{{version}}", "has no scheme"),
        ("http://127.0.0.1:99999/releases/v{{version}}", "port that is not a number"),
        ("http://127.0.0.1:port/releases/v{{version}}", "port that is not a number"),
        ("http://127.0.0.1:0/releases/v{{version}}", "port that is not a number"),
        ("ftp://127.0.0.1:{port}/releases/v{{version}}", "only http:// and https://"),
        ("http:///releases/v{{version}}", "has no host"),
        ("http://127.0.0.1:{port}/releases?v={{version}}", "query"),
        ("http://127.0.0.1:{port}/my releases/", "space"),
    ],
)
def test_base_url_without_a_scheme_or_with_a_bad_port_is_named_as_such(
    release: Release,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    template: str,
    problem: str,
) -> None:
    value = template.format(port=release.server.server_address[1])
    monkeypatch.setenv("DPRK_RECORDS_BASE_URL", value)
    with pytest.raises(BaseUrlError) as caught:
        dprk_records.fetch(VERSION)
    message = str(caught.value)
    assert "DPRK_RECORDS_BASE_URL" in message and repr(value) in message and problem in message
    assert not isinstance(caught.value, HashMismatchError) and "sha256" not in message
    assert release.hits() == 0 and release.leftovers() == []
    assert main(["fetch", VERSION]) == 2
    assert problem in capsys.readouterr().err


def test_a_url_requests_refuses_is_a_download_error_not_a_hash_mismatch(
    release: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    """requests and urllib3 raise ValueError subclasses for URLs they cannot parse; those used to
    be taken for pooch's hash mismatch (also a ValueError)."""
    monkeypatch.setenv("DPRK_RECORDS_BASE_URL", "http://" + "a" * 64 + ".example/v{version}/")
    with pytest.raises(DownloadError, match="could not download") as caught:
        dprk_records.fetch(VERSION)
    assert "sha256" not in str(caught.value)
    assert release.leftovers() == []


def test_a_bad_base_url_does_not_matter_when_the_version_is_cached(
    release: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    dprk_records.fetch(VERSION)
    monkeypatch.setenv("DPRK_RECORDS_BASE_URL", "127.0.0.1:1/nothing")
    assert dprk_records.load("persons", version=VERSION) == PERSONS_TYPED


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://github.com/dprk-records/dprk-records/releases/download/v1.0.0/", None),
        ("http://127.0.0.1:8000/releases/v1.0.0/", None),
        ("HTTPS://[::1]:8443/r/", None),
        ("https://user:pw@mirror.example/r/", None),
        ("127.0.0.1:8000/releases/", "has no scheme"),
        ("mirror.example/releases/", "has no scheme"),
        ("file:///srv/releases/", "only http:// and https://"),
        ("http://127.0.0.1:65536/", "port that is not a number"),
        ("http://127.0.0.1:-1/", "port that is not a number"),
        ("http://[::1/", "cannot be parsed"),
        ("http:///r/", "has no host"),
        ("https://mirror.example/r/#top", "fragment"),
        ("https://mirror.example/r/\n", "control character"),
    ],
)
def test_url_problem(url: str, problem: str | None) -> None:
    found = url_problem(url)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


# -- row: an archive with a registered hash that is not the release it claims ----------------


def test_archive_whose_descriptor_names_another_version_is_refused(release: Release) -> None:
    # a release of 1.0.0's package, laid out and registered as 1.0.1
    publish_members(release, "1.0.1", release_members(release.package, "1.0.1"))
    with pytest.raises(ArchiveVersionError) as caught:
        dprk_records.load("persons", version="1.0.1")
    assert caught.value.expected == "1.0.1" and caught.value.found == VERSION
    message = str(caught.value)
    assert "dprk-records-data-1.0.1.zip" in message
    assert "says version '1.0.0', not '1.0.1'" in message and "nothing was written" in message
    assert_nothing_extracted(release, "1.0.1")
    assert (release.cache / "dprk-records-data-1.0.1.zip").is_file()  # kept: nothing deleted


def test_archive_with_duplicate_members_is_refused(release: Release) -> None:
    package = make_package(release.package.parent / "package-1.0.2", "1.0.2")
    members = release_members(package, "1.0.2")
    name = "dprk-records-data-1.0.2/data/persons.csv"
    entries = [*entries_of(members), stored(name, b"person_id\nsomeone-else\n")]
    release.publish("1.0.2", raw_zip(entries))
    with pytest.raises(ArchiveMembersError, match=rf"'{name}' appears more than once"):
        dprk_records.fetch("1.0.2")
    assert_nothing_extracted(release, "1.0.2")


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ("run.sh", "is not a file a release ships"),
        ("data/persons.csv.orig", "is not a file a release ships"),
        ("viewer/app.js", "is not a file a release ships"),
        ("schemas/notes.txt", "is not a file a release ships"),
        ("empty/", "is a folder of no file a release ships"),
    ],
)
def test_archive_with_extra_files_is_refused(release: Release, extra: str, why: str) -> None:
    package = make_package(release.package.parent / "package-1.0.3", "1.0.3")
    members = release_members(package, "1.0.3")
    members[f"dprk-records-data-1.0.3/{extra}"] = b"" if extra.endswith("/") else b"extra\n"
    publish_members(release, "1.0.3", members)
    with pytest.raises(ArchiveMembersError) as caught:
        dprk_records.fetch("1.0.3")
    assert f"dprk-records-data-1.0.3/{extra}" in str(caught.value) and why in str(caught.value)
    assert_nothing_extracted(release, "1.0.3")


def test_archive_missing_a_file_its_descriptor_names_is_refused(release: Release) -> None:
    package = make_package(release.package.parent / "package-1.0.4", "1.0.4")
    members = release_members(package, "1.0.4")
    del members["dprk-records-data-1.0.4/data/events.csv"]
    publish_members(release, "1.0.4", members)
    with pytest.raises(ArchiveMembersError, match=r"names are missing: 'data/events\.csv'"):
        dprk_records.fetch("1.0.4")
    assert_nothing_extracted(release, "1.0.4")


def test_archive_that_expands_1_MiB_to_1_GiB_is_refused_before_writing(
    release: Release,
) -> None:
    size = 1 << 30
    bomb = deflate_bomb(size)
    assert len(bomb) < (1 << 20) + 4096  # about 1 MiB
    package = make_package(release.package.parent / "package-1.0.5", "1.0.5")
    members = release_members(package, "1.0.5")
    readme = "dprk-records-data-1.0.5/README.md"
    del members[readme]
    entries = entries_of(members)
    entries.append((readme, zipfile.ZIP_DEFLATED, 0, crc_of_zeros(size), bomb, size))
    release.publish("1.0.5", raw_zip(entries))
    with pytest.raises(ArchiveBombError) as caught:
        within(60, lambda: dprk_records.fetch("1.0.5"))
    message = str(caught.value)
    assert f"it expands to {size + sum(map(len, members.values()))} bytes in all" in message
    assert f"'{readme}' expands {size // len(bomb)} times" in message
    assert "nothing was written" in message
    assert_nothing_extracted(release, "1.0.5")


def test_deflate_bomb_builder_makes_what_it_says() -> None:
    for size in (1, 258, 259, 10_000, 1 << 20):
        stream = deflate_bomb(size)
        assert zlib.decompressobj(-15).decompress(stream) == bytes(size)
    assert 1000 < (1 << 20) / len(deflate_bomb(1 << 20)) < 1040


def test_a_member_declaring_fewer_bytes_than_its_stream_holds_does_not_expand(
    tmp_path: Path,
) -> None:
    """The central directory says 1 KiB; the deflate stream holds 64 MiB. Nothing past the
    declared size comes out, and the CRC of what did fails the whole extraction."""
    members = release_members(make_package(tmp_path / "p"))
    entries = [e for e in entries_of(members) if e[0] != f"{TOP}/README.md"]
    entries.append(
        (f"{TOP}/README.md", zipfile.ZIP_DEFLATED, 0, 0x12345678, deflate_bomb(64 << 20), 1024)
    )
    archive = tmp_path / "a.zip"
    archive.write_bytes(raw_zip(entries))
    with pytest.raises(PackageError, match="not a readable zip archive"):
        extract_archive(archive, tmp_path / "out", VERSION)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip", "p"]


def test_copy_member_stops_at_the_first_byte_past_the_declared_size() -> None:
    out = io.BytesIO()
    assert copy_member(io.BytesIO(b"x" * 100), out, "m", 100, 1000) == 100
    with pytest.raises(ArchiveBombError, match="'m' yields more than the 100 bytes it declares"):
        copy_member(io.BytesIO(b"x" * 101), io.BytesIO(), "m", 100, 1000)
    with pytest.raises(ArchiveBombError, match="expand past"):
        copy_member(io.BytesIO(b"x" * 100), io.BytesIO(), "m", 100, 99)
    with pytest.raises(ArchiveBombError, match="declares"):
        copy_member(io.BytesIO(b"x"), io.BytesIO(), "m", 0, 1000)


def test_other_compression_methods_and_encryption_are_refused(tmp_path: Path) -> None:
    members = release_members(make_package(tmp_path / "p"))
    readme = members.pop(f"{TOP}/README.md")
    for entry, why in [
        ((f"{TOP}/README.md", zipfile.ZIP_BZIP2, 0, 0, readme, len(readme)), "method 12"),
        ((f"{TOP}/README.md", zipfile.ZIP_STORED, 1, zlib.crc32(readme), readme, len(readme)),
         "is encrypted"),
    ]:  # fmt: skip
        archive = tmp_path / "a.zip"
        archive.write_bytes(raw_zip([*entries_of(members), entry]))
        with pytest.raises(UnsafeArchiveError, match=why):
            extract_archive(archive, tmp_path / "out", VERSION)
        assert not (tmp_path / "out").exists()


def test_archive_refusals_are_errors_not_tracebacks_on_the_command_line(
    release: Release, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_members(release, "1.0.1", release_members(release.package, "1.0.1"))
    assert main(["fetch", "1.0.1"]) == 2
    [line] = capsys.readouterr().err.splitlines()  # the error alone: pooch's log is silenced
    assert line.startswith("dprk-records fetch: error: ") and "not '1.0.1'" in line


# -- the pure checks, with their examples ----------------------------------------------------


def test_duplicate_members() -> None:
    assert duplicate_members([f"{TOP}/a", f"{TOP}/b"]) == []
    assert duplicate_members([f"{TOP}/a", f"{TOP}/b", f"{TOP}/a", f"{TOP}/a"]) == [f"{TOP}/a"]
    assert duplicate_members([f"{TOP}/a", f"{TOP}/a/"]) == []  # a folder entry is another name


def test_size_problems() -> None:
    assert size_problems([("a", MAX_UNPACKED_BYTES, MAX_UNPACKED_BYTES)]) == []
    (total,) = size_problems([("a", MAX_UNPACKED_BYTES, MAX_UNPACKED_BYTES), ("b", 1, 1)])
    assert total.startswith(f"it expands to {MAX_UNPACKED_BYTES + 1} bytes in all")
    assert size_problems([("small", RATIO_FLOOR, 1)]) == []  # small files may compress well
    (ratio,) = size_problems([("big", RATIO_FLOOR + 1, (RATIO_FLOOR + 1) // (MAX_RATIO + 1))])
    assert ratio.startswith("'big' expands")
    assert size_problems([("stored-empty", 0, 0)]) == []


def test_version_problem() -> None:
    assert version_problem({"version": "1.0.0"}, "1.0.0") is None
    assert version_problem({"version": "1.0.1"}, "1.0.0") == (
        "its datapackage.json says version '1.0.1', not '1.0.0'"
    )
    assert version_problem({}, "1.0.0") == "its datapackage.json says version None, not '1.0.0'"
    assert version_problem([], "1.0.0") == "its datapackage.json is not a JSON object"


def test_descriptor_files() -> None:
    descriptor = {
        "resources": [
            {"path": "data/a.csv", "schema": "schemas/a.json"},
            {"path": ["data/b1.csv", "data/b2.csv"]},
            {"path": "https://example.org/remote.csv"},
            {"path": "../outside.csv"},
        ],
        "sources": [{"path": "sources/s.txt"}, {"title": "no path"}, {"path": "http://x.org/s"}],
    }
    files, problems = descriptor_files(descriptor)
    assert files == {"data/a.csv", "schemas/a.json", "data/b1.csv", "data/b2.csv", "sources/s.txt"}
    assert problems == ["datapackage.json names '../outside.csv', which is not a file inside it"]


def test_member_set_problems() -> None:
    descriptor = {"resources": [{"path": "data/a.csv"}]}
    exact = [f"{TOP}/", f"{TOP}/datapackage.json", f"{TOP}/data/", f"{TOP}/data/a.csv"]
    assert member_set_problems(exact, descriptor, TOP) == []
    with_documents = [*exact, f"{TOP}/README.md", f"{TOP}/viewer/persons/x.html"]
    assert member_set_problems(with_documents, descriptor, TOP) == []
    assert member_set_problems([*exact, f"{TOP}/data/b.csv"], descriptor, TOP) == [
        f"'{TOP}/data/b.csv' is not a file a release ships"
    ]
    assert member_set_problems(exact[1:2], descriptor, TOP) == [
        "1 file(s) its datapackage.json names are missing: 'data/a.csv'"
    ]
    both = {"resources": [{"path": "data"}, {"path": "data/a.csv"}]}
    assert member_set_problems([*exact, f"{TOP}/data"], both, TOP) == [
        f"'{TOP}/data' is both a file and a folder"
    ]


@pytest.mark.parametrize(
    ("relative", "shipped"),
    [
        ("README.md", True),
        ("CITATION.cff", True),
        ("schemas/tables/persons.json", True),
        ("viewer/index.html", True),
        ("viewer/documents/id-0123456789abcdef.html", True),
        ("readme.md", False),
        ("viewer/app.js", False),
        ("schemas/tables/persons.json.bak", False),
        ("data/persons.csv", False),  # only when datapackage.json names it
    ],
)
def test_is_release_document(relative: str, shipped: bool) -> None:
    assert is_release_document(relative) is shipped


@pytest.mark.parametrize("module", [archive_module, download_module, files_module])
def test_docstring_examples_hold(module: Any) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# -- nothing outside the cache or package is opened: links, FIFOs, devices --------------------


def outside_secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "persons.csv"
    secret.parent.mkdir(exist_ok=True)
    secret.write_bytes(SECRET + b"\n")
    return secret


def test_cached_table_replaced_by_a_symlink_out_is_refused_by_name_unread(
    release: Release, tmp_path: Path
) -> None:
    folder = dprk_records.fetch(VERSION)
    table = folder / "data" / "persons.csv"
    secret = outside_secret(tmp_path)
    table.unlink()
    table.symlink_to(secret)
    for call in (
        lambda: dprk_records.fetch(VERSION),
        lambda: dprk_records.load("persons", VERSION),
    ):
        with pytest.raises(UnsafeFileError) as caught:
            call()
        message = str(caught.value)
        assert str(table) in message and "is a symbolic link, not a regular file" in message
        assert f"Delete {folder}" in message and SECRET.decode() not in message
    assert table.is_symlink() and secret.read_bytes() == SECRET + b"\n"  # nothing deleted


def test_cached_folder_replaced_by_a_symlink_out_is_refused_by_name(
    release: Release, tmp_path: Path
) -> None:
    folder = dprk_records.fetch(VERSION)
    secret = outside_secret(tmp_path)
    (folder / "data" / "persons.csv").unlink()
    (folder / "data" / "events.csv").unlink()
    (folder / "data").rmdir()
    (folder / "data").symlink_to(secret.parent)
    with pytest.raises(UnsafeFileError, match=r"data: refusing to read it: it is a symbolic link"):
        dprk_records.load("persons", version=VERSION)


def test_cached_table_replaced_by_a_fifo_is_refused_by_name_without_blocking(
    release: Release,
) -> None:
    folder = dprk_records.fetch(VERSION)
    table = folder / "data" / "persons.csv"
    table.unlink()
    os.mkfifo(table)
    with pytest.raises(UnsafeFileError, match=r"persons\.csv: refusing .* a FIFO \(named pipe\)"):
        within(20, lambda: dprk_records.load("persons", version=VERSION), fifo=table)
    assert stat.S_ISFIFO(table.lstat().st_mode)  # refused, not deleted


def test_cached_table_replaced_by_a_device_is_refused_by_name(release: Release) -> None:
    folder = dprk_records.fetch(VERSION)
    table = folder / "data" / "persons.csv"
    table.unlink()
    try:
        os.mknod(table, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # what /dev/zero is
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device node here")
    with pytest.raises(UnsafeFileError, match="is a character device"):
        within(20, lambda: dprk_records.load("persons", version=VERSION))


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_cached_archive_that_is_not_a_regular_file_is_refused_by_name(
    release: Release, tmp_path: Path, kind: str
) -> None:
    dprk_records.fetch(VERSION)
    release.archive.unlink()
    if kind == "fifo":
        os.mkfifo(release.archive)
    else:
        release.archive.symlink_to(outside_secret(tmp_path))
    with pytest.raises(UnsafeFileError, match=r"dprk-records-data-1\.0\.0\.zip: refusing"):
        within(20, lambda: dprk_records.fetch(VERSION), fifo=release.archive)
    assert release.hits() == 1


def test_lock_file_that_is_a_symlink_is_refused_and_its_target_untouched(
    release: Release, tmp_path: Path
) -> None:
    secret = outside_secret(tmp_path)
    release.cache.mkdir()
    lock = release.cache / f"dprk-records-data-{VERSION}.zip.lock"
    lock.symlink_to(secret)
    with pytest.raises(UnsafeFileError, match=r"\.zip\.lock: refusing to read it"):
        dprk_records.fetch(VERSION)
    assert secret.read_bytes() == SECRET + b"\n"
    assert release.hits() == 0


def test_local_package_with_a_fifo_table_is_refused_without_blocking(package_dir: Path) -> None:
    table = package_dir / "data" / "persons.csv"
    table.unlink()
    os.mkfifo(table)
    with pytest.raises(UnsafeFileError, match="a FIFO"):
        within(20, lambda: Package(package_dir).read("persons"), fifo=table)
    descriptor = package_dir / "datapackage.json"
    descriptor.rename(package_dir / "descriptor.json")
    os.mkfifo(descriptor)
    with pytest.raises(UnsafeFileError, match=r"datapackage\.json: refusing"):
        within(20, lambda: Package(package_dir), fifo=descriptor)


def test_local_package_with_a_symlink_out_is_refused_and_one_inside_followed(
    package_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = package_dir / "data" / "persons.csv"
    copy = package_dir / "data" / "persons-copy.csv"
    table.rename(copy)
    table.symlink_to(copy.name)  # stays inside the package: read as the file it points to
    assert Package(package_dir).read("persons") == PERSONS_TYPED
    table.unlink()
    table.symlink_to(outside_secret(tmp_path))
    with pytest.raises(UnsafeFileError, match="leads it outside the package folder") as caught:
        Package(package_dir).read("persons")
    assert SECRET.decode() not in str(caught.value)
    assert main(["info", "--path", str(package_dir)]) == 2
    err = capsys.readouterr().err
    assert "outside the package folder" in err and SECRET.decode() not in err


def test_every_new_error_is_a_project_error() -> None:
    for error in (
        ArchiveBombError,
        ArchiveMembersError,
        ArchiveVersionError,
        BaseUrlError,
        CacheNotWritableError,
        UnsafeFileError,
    ):
        assert issubclass(error, DprkRecordsError), error
    assert issubclass(ArchiveBombError, UnsafeArchiveError)
    assert issubclass(BaseUrlError, ValueError)
