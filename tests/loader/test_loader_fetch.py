"""Download, verify, cache and extract releases against a real local HTTP server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import dprk_records
from dprk_records.loader.archive import extract_archive
from dprk_records.loader.download import DEFAULT_BASE_URL, archive_url, base_url
from dprk_records.loader.fetch import archive_action, cache_location, extraction_problem, fetch

from .builders import (
    PERSONS_TYPED,
    VERSION,
    Release,
    make_package,
    release_members,
    zip_members,
)

SRC = Path(dprk_records.__file__).resolve().parents[1]


def test_load_downloads_verifies_extracts_and_types_values(release: Release) -> None:
    rows = dprk_records.load("persons", version=VERSION)
    assert rows == PERSONS_TYPED
    assert [type(v) for v in rows[0].values()] == [
        str,
        str,
        int,
        bool,
        type(rows[0]["first_seen"]),
        int,
        float,
    ]
    folder = release.cache / VERSION
    assert (folder / "datapackage.json").is_file()  # top folder stripped
    assert (folder / "README.md").is_file()
    assert release.hits() == 1
    assert release.leftovers() == [VERSION, f"dprk-records-data-{VERSION}.zip"]


def test_default_version_is_the_latest_release(release: Release) -> None:
    newer = make_package(release.package.parent / "package-1.1.0", "1.1.0")
    release.publish("1.1.0", zip_members(release_members(newer, "1.1.0")))
    release.publish("1.1.0-rc.1", zip_members(release_members(newer, "1.1.0-rc.1")))
    assert dprk_records.versions() == ["1.0.0", "1.1.0-rc.1", "1.1.0"]
    assert dprk_records.open().version == "1.1.0"
    assert dprk_records.open(version="v1.0.0").version == "1.0.0"  # tag spelling accepted


def test_second_load_works_offline(release: Release) -> None:
    first = dprk_records.fetch(VERSION)
    release.server.stop()
    assert dprk_records.fetch(VERSION) == first
    assert dprk_records.load("persons", version=VERSION) == PERSONS_TYPED
    assert release.hits() == 1


def test_hash_mismatch_raises_and_leaves_no_file(release: Release) -> None:
    real = release.archives[VERSION]
    release.publish("1.0.1", real, served=real.replace(b"Kim Il Sung", b"Kim II Sung"))
    with pytest.raises(
        dprk_records.HashMismatchError, match=r"expected sha256 .* but got [0-9a-f]{64}"
    ):
        dprk_records.fetch("1.0.1")
    assert release.leftovers() == []


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(
            lambda data: data[:100] + bytes([data[100] ^ 0xFF]) + data[101:], id="corrupted"
        ),
        pytest.param(lambda data: b"", id="emptied"),
    ],
)
def test_damaged_cache_file_is_detected_and_refetched_once(release: Release, damage) -> None:
    dprk_records.fetch(VERSION)
    release.archive.write_bytes(damage(release.archive.read_bytes()))
    assert dprk_records.load("persons", version=VERSION) == PERSONS_TYPED
    assert release.archive.read_bytes() == release.archives[VERSION]
    assert release.hits() == 2


def test_damaged_cache_with_a_bad_server_raises_instead_of_looping(release: Release) -> None:
    dprk_records.fetch(VERSION)
    release.archive.write_bytes(b"garbage")
    release.server.files[release.path_of(VERSION)] = b"still not the release"
    with pytest.raises(dprk_records.HashMismatchError):
        dprk_records.fetch(VERSION)
    assert release.hits() == 2
    assert release.leftovers() == []


def test_damaged_cache_while_offline_says_so(release: Release) -> None:
    dprk_records.fetch(VERSION)
    release.server.stop()
    release.archive.write_bytes(b"garbage")
    with pytest.raises(dprk_records.DownloadError, match="was damaged and was deleted"):
        dprk_records.fetch(VERSION)


def test_damaged_extracted_folder_is_reextracted_offline(release: Release) -> None:
    folder = dprk_records.fetch(VERSION)
    release.server.stop()
    (folder / "data" / "persons.csv").unlink()
    (folder / "data" / "events.csv").write_text("event_id\n")
    assert dprk_records.load("persons", version=VERSION) == PERSONS_TYPED
    assert len(dprk_records.load("events", version=VERSION)) == 2


def test_interrupted_download_raises_and_leaves_no_file(release: Release) -> None:
    release.server.modes[release.path_of(VERSION)] = "truncate"
    with pytest.raises(dprk_records.DownloadError, match=r"before the whole file arrived|stopped"):
        dprk_records.fetch(VERSION)
    assert release.leftovers() == []


@pytest.mark.parametrize(
    ("evil_name", "why"),
    [
        ("/tmp/dprk-records-evil.txt", "absolute path"),
        ("dprk-records-data-6.6.6/../dprk-records-evil.txt", "'\\.\\.'"),
        ("dprk-records-evil.txt", "outside the top folder"),
        ("dprk-records-data-6.6.6\\..\\dprk-records-evil.txt", "backslash"),
    ],
)
def test_unsafe_archive_member_refuses_the_whole_archive(
    release: Release, tmp_path: Path, evil_name: str, why: str
) -> None:
    members = release_members(release.package, "6.6.6")
    members[evil_name] = b"pwned\n"
    release.publish("6.6.6", zip_members(members))
    with pytest.raises(dprk_records.UnsafeArchiveError, match=why):
        dprk_records.fetch("6.6.6")
    assert not (release.cache / "6.6.6").exists()
    assert [p.name for p in release.cache.iterdir() if ".partial" in p.name] == []
    assert not list(tmp_path.rglob("dprk-records-evil.txt"))
    assert not Path("/tmp/dprk-records-evil.txt").exists()


def test_unknown_version_lists_the_known_ones(release: Release) -> None:
    with pytest.raises(dprk_records.UnknownVersionError, match=r"'9\.9\.9'.*known: 1\.0\.0"):
        dprk_records.load("persons", version="9.9.9")
    assert release.hits() == 0


def test_no_release_registered_yet(isolated_env: Path) -> None:
    assert dprk_records.versions() == []
    with pytest.raises(dprk_records.UnknownVersionError, match="no data release is registered"):
        dprk_records.open()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_names_base_url_and_env_var(
    release: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = f"http://127.0.0.1:{_closed_port()}/v{{version}}/"
    monkeypatch.setenv("DPRK_RECORDS_BASE_URL", base)
    with pytest.raises(dprk_records.DownloadError) as caught:
        dprk_records.fetch(VERSION)
    message = str(caught.value)
    assert base in message
    assert "DPRK_RECORDS_BASE_URL" in message
    assert release.leftovers() == []


def test_http_404_is_a_download_error(release: Release) -> None:
    del release.server.files[release.path_of(VERSION)]
    with pytest.raises(dprk_records.DownloadError, match="HTTP 404"):
        dprk_records.fetch(VERSION)
    assert release.leftovers() == []


def test_two_processes_loading_at_once_download_once(release: Release) -> None:
    release.server.delay = 1.0  # both processes start while the first download is in flight
    code = textwrap.dedent(
        f"""
        import dprk_records
        rows = dprk_records.load("persons", version="{VERSION}")
        print(len(rows), rows[0]["birth_year"])
        """
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "3 1912"
    assert release.hits() == 1


def test_fetch_accepts_an_explicit_cache_dir(release: Release, tmp_path: Path) -> None:
    folder = fetch(VERSION, cache_dir=tmp_path / "elsewhere")
    assert folder == tmp_path / "elsewhere" / VERSION
    assert (
        dprk_records.open(version=VERSION, cache_dir=tmp_path / "elsewhere").path
        == folder.resolve()
    )
    assert not release.cache.exists()


def test_archive_action_decisions(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "a.zip"
    data = b"release bytes"
    sha = hashlib.sha256(data).hexdigest()
    assert archive_action(path, len(data), sha) == "download"
    path.write_bytes(data)
    assert archive_action(path, len(data), sha) == "use"
    path.write_bytes(data[:-1])
    assert archive_action(path, len(data), sha) == "refetch"
    path.write_bytes(data.upper())
    assert archive_action(path, len(data), sha) == "refetch"


def test_extraction_problem(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(zip_members(release_members(make_package(tmp_path / "package"))))
    folder = extract_archive(archive, tmp_path / "out", VERSION)
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
    top = f"dprk-records-data-{VERSION}"
    assert extraction_problem(folder, infos, top) is None
    (folder / "notes.txt").write_text("mine")  # files the archive does not hold are ignored
    assert extraction_problem(folder, infos, top) is None
    text = folder / "sources" / "doc-1.txt"
    data = text.read_bytes()
    text.write_bytes(data[:5] + bytes([data[5] ^ 1]) + data[6:])  # same size, one bit flipped
    assert "differs from the archive" in (extraction_problem(folder, infos, top) or "")
    text.write_text("x")
    assert "has 1 bytes where the archive has" in (extraction_problem(folder, infos, top) or "")
    text.unlink()
    assert "sources/doc-1.txt is missing" in (extraction_problem(folder, infos, top) or "")
    assert "not extracted yet" in (extraction_problem(tmp_path / "missing", infos, top) or "")


def test_base_url_and_cache_location_follow_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DPRK_RECORDS_BASE_URL", raising=False)
    monkeypatch.delenv("DPRK_RECORDS_CACHE", raising=False)
    assert base_url("1.2.0") == DEFAULT_BASE_URL.replace("{version}", "1.2.0")
    assert archive_url("1.2.0", "f.zip").endswith("/releases/download/v1.2.0/f.zip")
    assert cache_location().name == "dprk-records"
    monkeypatch.setenv("DPRK_RECORDS_BASE_URL", "https://mirror.example/dprk")
    assert base_url("1.2.0") == "https://mirror.example/dprk/"
    monkeypatch.setenv("DPRK_RECORDS_CACHE", str(tmp_path / "c"))
    assert cache_location() == tmp_path / "c"
    assert cache_location(tmp_path / "arg") == tmp_path / "arg"
