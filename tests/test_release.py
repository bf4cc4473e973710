"""`dprk-records release`: reproducible artifacts, refusals, records; and the versioning rule."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from dprk_records.cli import main
from dprk_records.errors import ReleaseError
from dprk_records.loader.registry import load_registry
from dprk_records.publish.cut import REGISTRY, cut_release, working_tree_changes
from dprk_records.release.snapshot import open_snapshot
from dprk_records.validate import all_checks, validate_package
from dprk_records_tools.faults.runner import make_checkout
from dprk_records_tools.faults.tables import edit_descriptor, edit_rows

from .conftest import COMMITTED_PACKAGE, REPO


def make_release_checkout(built_package: Path, target: Path) -> Path:
    """A checkout with everything a release needs and an empty loader registry."""
    checkout = make_checkout(built_package, REPO, target)
    for name in ("LICENSE", "DATA-LICENSE.md", "CITATION.cff"):
        shutil.copy2(REPO / name, checkout / name)
    registry = checkout / REGISTRY
    registry.parent.mkdir(parents=True)
    registry.write_text('{"format": 1, "releases": []}\n', encoding="utf-8")
    return checkout


@pytest.fixture
def checkout(built_package: Path, tmp_path: Path) -> Path:
    return make_release_checkout(built_package, tmp_path / "repo")


def release(checkout: Path, **environ: str) -> object:
    return cut_release(
        checkout / "datapackage", checkout, checkout / "dist", allow_dirty=True, environ=environ
    )


def version_of(checkout: Path) -> str:
    return json.loads((checkout / "datapackage" / "datapackage.json").read_text())["version"]


def test_release_writes_the_archive_sums_notes_and_records(checkout: Path) -> None:
    result = release(checkout)
    version = version_of(checkout)
    top = f"dprk-records-data-{version}"
    archive = checkout / "dist" / f"{top}.zip"
    assert result.archive == archive and result.created
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names) and all(n.startswith(f"{top}/") for n in names)
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)
        assert all(i.external_attr >> 16 == 0o100644 and not i.extra for i in infos)
        inside = {n.removeprefix(f"{top}/") for n in names}
        card = zf.read(f"{top}/README.md").decode("utf-8")
    assert {"datapackage.json", "README.md", "CHANGELOG.md", "LICENSE", "DATA-LICENSE.md",
            "schemas/package.json", "schemas/tables/persons.json", "schemas/json/persons.json",
            "data/documents.csv"} <= inside  # fmt: skip
    assert any(n.startswith("sources/") for n in inside)
    assert f"Version **{version}**" in card and "How to cite" in card and "Limits" in card
    data = archive.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    sums = (checkout / "dist" / "SHA256SUMS").read_text()
    assert f"{digest}  {archive.name}\n" in sums
    assert "First release." in (checkout / "dist" / f"release-notes-{version}.md").read_text()
    assert (checkout / "releases" / version / "datapackage.json").read_bytes() == (
        checkout / "datapackage" / "datapackage.json"
    ).read_bytes()
    entry = load_registry(checkout / REGISTRY)["releases"][0]
    assert entry == {"version": version, "file": archive.name, "sha256": digest, "size": len(data)}
    # the released zip reads back as the same package
    assert open_snapshot(archive).tables == open_snapshot(checkout / "datapackage").tables


def test_releasing_twice_gives_byte_identical_artifacts(
    built_package: Path, tmp_path: Path
) -> None:
    artifacts = []
    for name in ("first", "second"):
        checkout = make_release_checkout(built_package, tmp_path / name)
        release(checkout)
        artifacts.append({p.name: p.read_bytes() for p in (checkout / "dist").iterdir()})
    assert artifacts[0] == artifacts[1]
    assert len(artifacts[0]) == 3  # archive, notes, SHA256SUMS


def test_releasing_the_same_content_again_is_a_no_op(checkout: Path) -> None:
    release(checkout)
    before = {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()}
    again = release(checkout)
    assert not again.created
    assert {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()} == before


def test_source_date_epoch_sets_member_times(checkout: Path) -> None:
    result = release(checkout, SOURCE_DATE_EPOCH="1617753600")  # 2021-04-07
    with zipfile.ZipFile(result.archive) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2021, 4, 7, 0, 0, 0)}


def test_a_released_version_is_never_overwritten(checkout: Path) -> None:
    release(checkout)
    version = version_of(checkout)
    edit_descriptor(checkout / "datapackage", lambda d: d.update(description="Changed."))
    # releases/ knows the version: the gate's version check refuses, naming what differs
    with pytest.raises(ReleaseError, match=rf"differs from release {version}.*description"):
        release(checkout)
    # only dist/ knows it: the archive comparison refuses, naming the differing member
    shutil.rmtree(checkout / "releases")
    with pytest.raises(ReleaseError, match=rf"version {version} is already released.*datapackage"):
        release(checkout)


def test_an_invalid_package_is_not_released(checkout: Path) -> None:
    edit_rows(checkout / "datapackage", "paragraphs", lambda rows: rows[0].update(start="1"))
    with pytest.raises(ReleaseError, match="is not valid"):
        release(checkout)
    assert not (checkout / "dist").exists()


def _git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "--quiet", str(folder)], check=True)


def test_a_dirty_working_tree_is_refused(checkout: Path) -> None:
    _git_init(checkout)
    assert working_tree_changes(checkout)
    with pytest.raises(ReleaseError, match="uncommitted change"):
        cut_release(checkout / "datapackage", checkout, checkout / "dist")


def test_a_clean_working_tree_is_released(checkout: Path) -> None:
    _git_init(checkout)
    (checkout / ".git" / "info" / "exclude").write_text("*\n")  # clean without a commit
    assert working_tree_changes(checkout) == []
    assert cut_release(checkout / "datapackage", checkout, checkout / "dist").created


def test_outside_git_a_release_is_refused(checkout: Path) -> None:
    with pytest.raises(ReleaseError, match="not a git working tree"):
        working_tree_changes(checkout.parent)  # tmp folders are not in a repository


def test_a_second_release_gets_notes_from_the_diff(checkout: Path) -> None:
    release(checkout)
    old = version_of(checkout)
    edit_rows(checkout / "datapackage", "documents", lambda rows: rows[0].update(url="x:y"))
    with pytest.raises(ReleaseError, match=f"must be at least {old[:-1]}"):
        release(checkout)  # a corrected value needs at least a PATCH bump
    edit_descriptor(checkout / "datapackage", lambda d: d.update(version="0.99.0"))
    with (checkout / "CHANGELOG.md").open("a", encoding="utf-8") as changelog:
        changelog.write("\n## 0.99.0\n\n- A corrected URL.\n")
    notes = release(checkout).notes.read_text()
    assert f"Changes since {old}" in notes and "**PATCH**" in notes and "| `documents` |" in notes
    versions = [r["version"] for r in load_registry(checkout / REGISTRY)["releases"]]
    assert versions == [old, "0.99.0"]
    assert len((checkout / "dist" / "SHA256SUMS").read_text().splitlines()) == 4


def test_cli_release_and_diff(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package, dist = str(checkout / "datapackage"), str(checkout / "dist")
    args = ["release", package, "--checkout", str(checkout), "--dist", dist, "--allow-dirty"]
    assert main(args) == 0
    assert "released" in capsys.readouterr().out
    assert main(args) == 0
    assert "already released, identical" in capsys.readouterr().out
    archive = next((checkout / "dist").glob("*.zip"))
    assert main(["diff", str(archive), package]) == 0
    assert "Required version bump: **NONE**" in capsys.readouterr().out
    assert main(["validate", package, "--previous", str(archive)]) == 0
    assert "compared with release" in capsys.readouterr().out
    assert main(["release", package, "--checkout", str(checkout.parent), "--dist", dist]) == 2
    assert "not a git working tree" in capsys.readouterr().err


def test_committed_package_has_the_version_its_changes_require() -> None:
    """The CI rule: datapackage/ vs the newest entry of releases/, and a CHANGELOG entry."""
    version = [check for check in all_checks() if check.name == "version"]
    report = validate_package(COMMITTED_PACKAGE, version, checkout=REPO)
    assert report.valid, [f.message for f in report.findings]
