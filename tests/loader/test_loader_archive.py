"""Zip member names: which are safe to extract under the release's top folder."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dprk_records.errors import PackageError
from dprk_records.loader.archive import extract_archive, member_problem, unsafe_members
from dprk_records.loader.errors import UnsafeArchiveError

from .builders import make_package, release_members, zip_members

VERSION = "1.0.0"
TOP = f"dprk-records-data-{VERSION}"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (f"{TOP}/", None),
        (f"{TOP}/datapackage.json", None),
        (f"{TOP}/data/persons.csv", None),
        (f"{TOP}/sources/a..b.txt", None),  # dots inside a name are fine
        ("/etc/passwd", "absolute path"),
        ("\\windows\\system32", "absolute path"),
        ("C:/evil.txt", "absolute path"),
        ("c:evil.txt", "absolute path"),
        (f"{TOP}/../evil.txt", "'..'"),
        (f"{TOP}/data/../../evil.txt", "'..'"),
        ("..", "'..'"),
        (f"{TOP}\\..\\evil.txt", "backslash"),
        (f"{TOP}//evil.txt", "empty or '.'"),
        (f"{TOP}/./evil.txt", "empty or '.'"),
        ("evil.txt", "outside the top folder"),
        ("dprk-records-data-1.0.1/datapackage.json", "outside the top folder"),
        (f"{TOP}x/datapackage.json", "outside the top folder"),
        ("", "empty name"),
    ],
)
def test_member_problem(name: str, problem: str | None) -> None:
    found = member_problem(name, TOP)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_symlinks_are_unsafe() -> None:
    assert unsafe_members([(f"{TOP}/link", True), f"{TOP}/ok"], TOP) == [
        f"'{TOP}/link' is a symbolic link"
    ]


segment = st.text(st.characters(codec="ascii", exclude_characters="/\\\0:"), min_size=1).filter(
    lambda s: s not in (".", "..")
)


@given(st.lists(segment, min_size=1, max_size=5))
def test_names_of_plain_segments_under_top_are_safe(parts: list[str]) -> None:
    assert unsafe_members(["/".join([TOP, *parts])], TOP) == []


@given(st.lists(segment, max_size=3), st.lists(segment, max_size=3))
def test_any_dotdot_component_is_unsafe(before: list[str], after: list[str]) -> None:
    name = "/".join([TOP, *before, "..", *after])
    assert unsafe_members([name], TOP) != []


def test_extract_strips_the_top_folder(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(zip_members(release_members(make_package(tmp_path / "p"))))
    target = extract_archive(archive, tmp_path / "out", VERSION)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "CHANGELOG.md",
        "README.md",
        "data/events.csv",
        "data/persons.csv",
        "datapackage.json",
        "sources/doc-1.txt",
    ]


def test_extract_refuses_before_writing_anything(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    members = {f"{TOP}/datapackage.json": b"{}", f"{TOP}/../../evil": b"x"}
    archive.write_bytes(zip_members(members))
    with pytest.raises(UnsafeArchiveError, match="nothing was written"):
        extract_archive(archive, tmp_path / "out", VERSION)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", "not a readable zip"),
        (zip_members({f"{TOP}/README.md": b"hi"}), "no dprk-records-data-1.0.0/datapackage.json"),
    ],
)
def test_extract_refuses_archives_that_are_not_releases(
    tmp_path: Path, data: bytes, message: str
) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(data)
    with pytest.raises(PackageError, match=message):
        extract_archive(archive, tmp_path / "out", VERSION)
    assert not (tmp_path / "out").exists()


def test_a_crc_error_midway_leaves_no_partial_folder(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    members = release_members(make_package(tmp_path / "p"))
    members[f"{TOP}/README.md"] = b"x" * 5000
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for name, data in sorted(members.items(), key=lambda item: "README" in item[0]):
            zf.writestr(name, data)  # README.md last: the CRC error comes after other members
    raw = bytearray(archive.read_bytes())
    raw[raw.index(b"x" * 100) + 50] = ord("y")  # same size, wrong CRC
    archive.write_bytes(bytes(raw))
    shutil.rmtree(tmp_path / "p")
    with pytest.raises(PackageError, match="not a readable zip"):
        extract_archive(archive, tmp_path / "out", VERSION)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip"]
