"""Release records under attack: a deleted or edited ``releases/VERSION/``, a registry entry removed
or rewritten, and a released version cut again with other bytes once its records are gone.

Every test works on a copy of the repository's data side (tests/checkouts.py) in which the
package was released once, as a maintainer would; the git tests then commit that state.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from dprk_records.cli import main
from dprk_records.errors import ReleaseError
from dprk_records.loader.registry import load_registry
from dprk_records.publish.cut import REGISTRY, cut_release
from dprk_records.release.records import changelog_released
from dprk_records.validate import validate_package
from dprk_records.validate.release_records import release_record_findings
from dprk_records.validate.report import Finding, render_text
from dprk_records_tools.faults.tables import edit_descriptor

from .checkouts import EMPTY_REGISTRY, git, git_init, make_checkout, record_release, tree_bytes
from .conftest import REPO


@pytest.fixture
def released(built_package: Path, tmp_path: Path) -> tuple[Path, str]:
    """A checkout (no git) whose package is released; dist/ removed."""
    checkout = make_checkout(tmp_path / "repo", built_package)
    return checkout, record_release(checkout)


@pytest.fixture
def released_git(released: tuple[Path, str]) -> tuple[Path, str, str]:
    """The same, committed: (checkout, version, the release commit's id)."""
    checkout, version = released
    git_init(checkout)
    return checkout, version, git(checkout, "rev-parse", "HEAD").strip()


def commit_all(checkout: Path, message: str) -> None:
    git(checkout, "add", "--all")
    git(checkout, "commit", "--quiet", "-m", message)


def rules(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.file) for f in findings]


def cut(checkout: Path, allow_dirty: bool = True) -> object:
    return cut_release(
        checkout / "datapackage",
        checkout,
        checkout / "dist",
        allow_dirty=allow_dirty,
        environ={},
    )


def other_bytes(checkout: Path) -> None:
    """Change the package without changing its version (a PATCH-level change, still valid)."""
    edit_descriptor(checkout / "datapackage", lambda d: d.update(description="Changed."))


# -- the gate ---------------------------------------------------------------------------------


def test_the_repository_records_its_registered_releases() -> None:
    notes: list[str] = []
    assert release_record_findings(REPO, note=notes.append) == []
    registered = [entry["version"] for entry in load_registry(REPO / REGISTRY)["releases"]]
    assert registered and all(
        (REPO / "releases" / v / "datapackage.json").is_file() for v in registered
    )


def test_a_deleted_release_folder_fails_the_gate_by_name(released: tuple[Path, str]) -> None:
    checkout, version = released
    shutil.rmtree(checkout / "releases" / version)
    report = validate_package(checkout / "datapackage", checkout=checkout)
    assert report.failed_checks() == ["releases"]  # the package itself is not blamed
    (finding,) = report.findings
    assert (finding.check, finding.rule, finding.file) == (
        "releases",
        "release-missing",
        f"releases/{version}/",
    )
    assert f"lists version {version} as dprk-records-data-{version}.zip" in finding.message
    assert f"releases/{version}/: [release-missing]" in render_text(report)


def test_an_edited_released_file_is_named(released: tuple[Path, str]) -> None:
    checkout, version = released
    persons = checkout / "releases" / version / "data" / "persons.csv"
    persons.write_bytes(persons.read_bytes().replace(b"Kim Jong Un", b"Kim Jong Il", 1))
    report = validate_package(checkout / "datapackage", checkout=checkout)
    releases = next(c for c in report.checks if c.name == "releases")
    assert rules(releases.findings) == [("release-edited", f"releases/{version}/data/persons.csv")]
    assert "the descriptor records" in releases.findings[0].message


def test_extra_and_missing_released_files_are_named(released: tuple[Path, str]) -> None:
    checkout, version = released
    folder = checkout / "releases" / version
    (folder / "data" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    source = sorted((folder / "sources").iterdir())[0]
    source.unlink()
    assert sorted(rules(release_record_findings(checkout))) == [
        ("release-extra-file", f"releases/{version}/data/notes.csv"),
        ("release-file-missing", f"releases/{version}/sources/{source.name}"),
    ]


def test_an_edited_descriptor_differs_from_the_registered_archive(
    built_package: Path, tmp_path: Path
) -> None:
    checkout = make_checkout(tmp_path / "repo", built_package)
    version = cut(checkout).version  # dist/ kept: the archive the registry names
    edit_descriptor(checkout / "releases" / version, lambda d: d.update(description="Edited."))
    (finding,) = release_record_findings(checkout)
    assert rules([finding]) == [("release-edited", f"releases/{version}/datapackage.json")]
    assert f"differs from the registered archive dist/dprk-records-data-{version}.zip" in (
        finding.message
    )


def test_a_release_folder_the_registry_does_not_list_is_named(
    released: tuple[Path, str],
) -> None:
    checkout, version = released
    (checkout / REGISTRY).write_text(EMPTY_REGISTRY, encoding="utf-8")
    (finding,) = release_record_findings(checkout)
    assert rules([finding]) == [("release-unregistered", f"releases/{version}/")]
    assert "has no entry for it" in finding.message


def test_a_committed_edit_is_caught_against_the_release_commit(
    released_git: tuple[Path, str, str],
) -> None:
    checkout, version, commit = released_git
    edit_descriptor(checkout / "releases" / version, lambda d: d.update(description="Edited."))
    commit_all(checkout, "Edit a released descriptor")
    (finding,) = release_record_findings(checkout)
    assert rules([finding]) == [("release-edited", f"releases/{version}/datapackage.json")]
    assert f"edited after commit {commit[:12]} released {version}" in finding.message
    assert f"git restore --source={commit[:12]} -- releases/{version}" in finding.message


def test_a_registry_entry_removed_with_its_folder_is_caught_by_git(
    released_git: tuple[Path, str, str],
) -> None:
    checkout, version, commit = released_git
    (checkout / REGISTRY).write_text(EMPTY_REGISTRY, encoding="utf-8")
    shutil.rmtree(checkout / "releases" / version)
    commit_all(checkout, "Forget a release")
    report = validate_package(checkout / "datapackage", checkout=checkout)
    assert report.failed_checks() == ["releases"]
    (finding,) = report.findings
    assert rules([finding]) == [("registry-entry-removed", str(REGISTRY))]
    assert f"version {version} was released (commit {commit[:12]}" in finding.message
    assert f"releases/{version}/ is gone too" in finding.message


def test_a_rewritten_registry_hash_is_caught_by_git(released_git: tuple[Path, str, str]) -> None:
    checkout, version, commit = released_git
    path = checkout / REGISTRY
    registry = json.loads(path.read_text(encoding="utf-8"))
    old = registry["releases"][0]["sha256"]
    registry["releases"][0]["sha256"] = "0" * 64
    path.write_text(json.dumps(registry, indent=2) + "\n", encoding="utf-8")
    commit_all(checkout, "Rewrite a released hash")
    (finding,) = release_record_findings(checkout)
    assert rules([finding]) == [("registry-entry-changed", str(REGISTRY))]
    assert f"commit {commit[:12]} released it as dprk-records-data-{version}.zip (sha256 {old}" in (
        finding.message
    )


# -- the cut ----------------------------------------------------------------------------------


def test_deleted_records_do_not_let_a_version_be_cut_again_with_other_bytes(
    released_git: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: registry entry and releases/VERSION both gone, then a re-cut."""
    checkout, version, commit = released_git
    old = load_registry(checkout / REGISTRY)["releases"][0]
    (checkout / REGISTRY).write_text(EMPTY_REGISTRY, encoding="utf-8")
    shutil.rmtree(checkout / "releases" / version)
    commit_all(checkout, "Forget a release")
    other_bytes(checkout)
    before = tree_bytes(checkout)
    with pytest.raises(ReleaseError) as caught:
        cut(checkout)
    message = str(caught.value)
    assert message.startswith(f"version {version} is already released with different content:")
    assert f"git commit {commit[:12]} registered {version} as {old['file']} " in message
    assert f"sha256 {old['sha256']}" in message and "bump the version" in message
    assert tree_bytes(checkout) == before and not (checkout / "dist").exists()
    # the command says the same, as an error, not a traceback
    package, dist = str(checkout / "datapackage"), str(checkout / "dist")
    argv = ["release", package, "--checkout", str(checkout), "--dist", dist, "--allow-dirty"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"dprk-records release: error: version {version} is already released" in err
    assert "Traceback" not in err


def test_a_re_cut_with_the_released_bytes_restores_the_records(
    released_git: tuple[Path, str, str],
) -> None:
    checkout, version, _ = released_git
    registry = (checkout / REGISTRY).read_bytes()
    recorded = tree_bytes(checkout / "releases" / version)
    (checkout / REGISTRY).write_text(EMPTY_REGISTRY, encoding="utf-8")
    shutil.rmtree(checkout / "releases" / version)
    commit_all(checkout, "Forget a release")
    assert cut(checkout, allow_dirty=False).created
    assert (checkout / REGISTRY).read_bytes() == registry
    assert tree_bytes(checkout / "releases" / version) == recorded
    assert release_record_findings(checkout) == []


def test_the_tagged_release_is_cut_again_as_a_no_op(released_git: tuple[Path, str, str]) -> None:
    """What the release workflow does on tag vVERSION: same bytes, so allowed."""
    checkout, version, _ = released_git
    git(checkout, "tag", f"v{version}")
    (entry,) = load_registry(checkout / REGISTRY)["releases"]
    result = cut(checkout, allow_dirty=False)
    assert result.sha256 == entry["sha256"]  # dist/ rebuilt: the registered archive
    assert git(checkout, "status", "--porcelain") == ""  # records untouched


def date_heading(checkout: Path, version: str, later: str | None = None) -> None:
    """Date ``version``'s CHANGELOG heading; with ``later``, put a heading for it above."""
    path = checkout / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    heading = re.compile(rf"^## {re.escape(version)}\b.*$", re.MULTILINE)
    assert heading.search(text), f"CHANGELOG.md has no heading for {version}"
    top = f"## {later} (unreleased)\n\n- Next.\n\n" if later else ""
    text = heading.sub(f"{top}## {version} (2030-01-02)", text, count=1)
    path.write_text(text, encoding="utf-8")


def test_without_git_the_changelog_refuses_a_re_cut(released: tuple[Path, str]) -> None:
    checkout, version = released
    date_heading(checkout, version, later="99.0.0")
    (checkout / REGISTRY).write_text(EMPTY_REGISTRY, encoding="utf-8")
    shutil.rmtree(checkout / "releases" / version)
    other_bytes(checkout)
    with pytest.raises(ReleaseError) as caught:
        cut(checkout)
    message = str(caught.value)
    assert f"CHANGELOG.md dates {version} (2030-01-02) under later versions (99.0.0)" in message
    assert "no record of its archive is left" in message
    assert not (checkout / "releases" / version).exists()


def test_a_dated_heading_alone_does_not_block_the_first_cut(
    built_package: Path, tmp_path: Path
) -> None:
    """A maintainer dates the version just before cutting it (as 0.1.0 was)."""
    checkout = make_checkout(tmp_path / "repo", built_package)
    version = json.loads((checkout / "datapackage" / "datapackage.json").read_text())["version"]
    date_heading(checkout, version)
    assert cut(checkout).created


def test_a_release_is_not_cut_beside_broken_records(released: tuple[Path, str]) -> None:
    checkout, version = released
    (checkout / "releases" / version / "notes.txt").write_text("mine\n", encoding="utf-8")
    edit_descriptor(checkout / "datapackage", lambda d: d.update(version="99.0.0"))
    with (checkout / "CHANGELOG.md").open("a", encoding="utf-8") as changelog:
        changelog.write("\n## 99.0.0\n\n- Nothing new.\n")
    with pytest.raises(
        ReleaseError,
        match=rf"records of earlier releases are broken \(releases/{re.escape(version)}/notes\.txt "
        r"is not part of the released package",
    ):
        cut(checkout)
    assert "99.0.0" not in (checkout / REGISTRY).read_text(encoding="utf-8")
    assert not (checkout / "releases" / "99.0.0").exists()


@pytest.mark.parametrize(
    ("text", "version", "expected"),
    [
        ("## 0.2.0 (unreleased)\n\n## 0.1.0 (2026-11-24)\n", "0.1.0", ("2026-11-24", ["0.2.0"])),
        ("## [1.1.0]\n\n## [1.0.0] - 2024-01-01\n", "1.0.0", ("2024-01-01", ["1.1.0"])),
        ("## 0.1.0 (2026-11-24)\n", "0.1.0", None),  # dated, nothing later: about to be cut
        ("## 0.2.0\n\n## 0.1.0 (unreleased)\n", "0.1.0", None),  # never dated
        ("## 0.2.0 (2030-01-01)\n\n## 0.1.0 (2026-11-24)\n", "0.2.0", None),  # later is older
    ],
)
def test_the_changelog_shows_a_version_released_only_below_a_later_one(
    text: str, version: str, expected: tuple[str, list[str]] | None
) -> None:
    assert changelog_released(text, version) == expected
