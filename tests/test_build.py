"""The build is byte-reproducible, atomic, and the committed datapackage/ is exactly its output."""

from __future__ import annotations

import builtins
import json
import os
from pathlib import Path
from typing import Any

import pytest

from dprk_records.errors import BuildError
from dprk_records.pipeline.build import build
from dprk_records.pipeline.write import foreign_entries

from .conftest import COMMITTED_PACKAGE, SEEDS


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_committed_package_is_exactly_a_fresh_build(built_package: Path) -> None:
    committed, fresh = _files(COMMITTED_PACKAGE), _files(built_package)
    assert sorted(committed) == sorted(fresh), "file lists differ: run `nox -s build` and commit"
    changed = [name for name in fresh if committed[name] != fresh[name]]
    assert not changed, f"stale files in datapackage/: {changed}; run `nox -s build` and commit"


def test_two_builds_are_byte_identical(built_package: Path, tmp_path: Path) -> None:
    build(SEEDS, tmp_path / "again", environ={})
    assert _files(tmp_path / "again") == _files(built_package)


def test_created_comes_from_source_date_epoch_or_the_seeds(
    built_package: Path, tmp_path: Path
) -> None:
    descriptor = json.loads((built_package / "datapackage.json").read_text())
    assert descriptor["created"] == "2021-04-07T00:00:00Z"  # newest publication date
    build(SEEDS, tmp_path / "epoch", environ={"SOURCE_DATE_EPOCH": "1700000000"})
    descriptor = json.loads((tmp_path / "epoch" / "datapackage.json").read_text())
    assert descriptor["created"] == "2023-11-14T22:13:20Z"


def test_bad_source_date_epoch_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH='yesterday'"):
        build(SEEDS, tmp_path / "out", environ={"SOURCE_DATE_EPOCH": "yesterday"})
    assert not (tmp_path / "out").exists()


def test_descriptor_provenance_and_sources(built_package: Path) -> None:
    descriptor = json.loads((built_package / "datapackage.json").read_text())
    assert (
        descriptor["version"]
        == json.loads((SEEDS.parent / "schemas/package.json").read_text())["version"]
    )
    assert [s["sha256"][:8] for s in descriptor["sources"]] == ["4ee3dd55", "e777cb1c"]
    provenance = descriptor["provenance"]
    assert provenance["pipeline"] == "dprk-records"
    assert [i["path"] for i in provenance["inputs"]] == [
        "seeds/000_4f944ba05b264b4e.txt",
        "seeds/004_6661dc6b3fee3046.txt",
    ]
    texts = [r for r in descriptor["resources"] if r.get("format") == "txt"]
    assert [(r["mediatype"], r["bytes"]) for r in texts] == [
        ("text/plain", 21688),
        ("text/plain", 7432),
    ]
    assert all("type" not in r for r in texts)


def test_refuses_to_replace_a_folder_that_is_not_a_package(tmp_path: Path) -> None:
    victim = tmp_path / "precious"
    victim.mkdir()
    (victim / "notes.txt").write_text("keep me")
    with pytest.raises(BuildError, match=r"holds files a build did not write \(notes.txt\)"):
        build(SEEDS, victim, environ={})
    assert (victim / "notes.txt").read_text() == "keep me"


def test_what_a_build_did_not_write_is_named_without_following_links(tmp_path: Path) -> None:
    """Every kind of entry a package folder may meet, each judged by the entry itself: only
    plain files of the package's own kinds, in its own folders, are the build's."""
    package = tmp_path / "package"
    (package / "data").mkdir(parents=True)
    (package / "sources" / "nested").mkdir(parents=True)
    (package / "datapackage.json").write_text("{}")
    (package / "data" / "persons.csv").write_text("")
    (package / "data" / "persons.parquet").write_text("")
    (package / "data" / "notes.txt").write_text("")  # a text, but not in sources/
    (package / "sources" / "a.txt").write_text("")
    (package / "sources" / ".txt").write_text("")  # no suffix: a hidden file named ".txt"
    (package / "sources" / "b.txt.bak").write_text("")
    (package / "sources" / "link.txt").symlink_to(package / "sources" / "a.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    (package / "figures").symlink_to(outside)
    (package / "README.md").write_text("")
    if hasattr(os, "mkfifo"):
        os.mkfifo(package / "data" / "pipe.csv")
    expected = [
        "README.md",
        "data/notes.txt",
        *(["data/pipe.csv"] if hasattr(os, "mkfifo") else []),
        "figures",
        "sources/.txt",
        "sources/b.txt.bak",
        "sources/link.txt",
        "sources/nested",
    ]
    assert foreign_entries(package) == expected
    (package / "datapackage.json").unlink()
    (package / "datapackage.json").mkdir()  # a folder where the descriptor belongs
    at = expected.index("figures")
    assert foreign_entries(package) == [*expected[:at], "datapackage.json/", *expected[at:]]


def test_failed_write_leaves_previous_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "datapackage"
    build(SEEDS, out, environ={})
    before = _files(out)

    def explode(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if Path(file).name == "paragraphs.csv" and "w" in mode:
            raise OSError("disk full")
        return original(file, mode, *args, **kwargs)

    original = builtins.open
    monkeypatch.setattr(builtins, "open", explode)
    with pytest.raises(BuildError, match=r"cannot write the package \(disk full\)"):
        build(SEEDS, out, environ={"SOURCE_DATE_EPOCH": "1"})
    monkeypatch.undo()
    assert _files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["datapackage"]
