"""Downstream CI: `dprk-records validate --release VERSION` against a real local HTTP server.

The release is cut by the project's own release code in a temporary checkout; the loader is
pointed at that checkout's registry and at the server, the way a user's CI would be pointed at
the project's registry (inside the installed package) and its release assets.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from dprk_records.base.hashing import sha256_hex
from dprk_records.cli import main
from dprk_records.loader.registry import add_release, load_registry, write_registry
from dprk_records.publish.cut import REGISTRY, cut_release, release_members
from dprk_records.release.archive import build_zip
from dprk_records.release.snapshot import open_snapshot
from dprk_records_tools.faults.tables import edit_descriptor, edit_rows

from ..checkouts import make_checkout
from .builders import ReleaseServer


@pytest.fixture
def published(
    built_package: Path,
    tmp_path: Path,
    server: ReleaseServer,
    isolated_env: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Path, str]:
    """A release cut from a temporary checkout, served over HTTP; the loader points at both."""
    checkout = make_checkout(tmp_path / "repo", built_package)
    result = cut_release(
        checkout / "datapackage", checkout, checkout / "dist", allow_dirty=True, environ={}
    )
    server.files[f"/releases/v{result.version}/{result.archive.name}"] = result.archive.read_bytes()
    monkeypatch.setenv("DPRK_RECORDS_REGISTRY", str(checkout / REGISTRY))
    monkeypatch.setenv("DPRK_RECORDS_BASE_URL", server.url + "/releases/v{version}")
    return checkout, result.version


def test_a_published_release_validates(
    published: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, version = published
    assert main(["validate", "--release", version]) == 0
    out = capsys.readouterr().out
    assert f"Validating release {version}" in out and "sha256 verified" in out
    assert out.rstrip().endswith("VALID")
    assert "version " in out and "corrections" in out  # the whole gate ran
    assert main(["validate", "--release", f"v{version}", "--json"]) == 0  # tag spelling, cached
    assert '"valid": true' in capsys.readouterr().out


def test_a_corrupted_download_is_refused(
    published: tuple[Path, str],
    server: ReleaseServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, version = published
    path = f"/releases/v{version}/dprk-records-data-{version}.zip"
    data = server.files[path]
    server.files[path] = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
    assert main(["validate", "--release", version]) == 2
    err = capsys.readouterr().err
    assert "sha256" in err and "VALID" not in err


def publish_edited(
    checkout: Path, server: ReleaseServer, version: str, edit: Callable[[Path], None]
) -> None:
    """Release ``version`` of an edited copy of the package with the project's archive code,
    registered with its true sha256: the download verifies, the gate must catch the edit."""
    package = checkout.parent / f"package-{version}"
    shutil.copytree(checkout / "datapackage", package)
    edit_descriptor(package, lambda d: d.update(version=version))
    edit(package)
    with (checkout / "CHANGELOG.md").open("a", encoding="utf-8") as changelog:
        changelog.write(f"\n## {version}\n\n- An edited release.\n")
    members = release_members(package, checkout, open_snapshot(package))
    data = build_zip(members, f"dprk-records-data-{version}", (1980, 1, 1, 0, 0, 0))
    name = f"dprk-records-data-{version}.zip"
    registry = checkout / REGISTRY
    write_registry(
        registry, add_release(load_registry(registry), version, name, sha256_hex(data), len(data))
    )
    server.files[f"/releases/v{version}/{name}"] = data


def test_a_release_failing_the_gate_exits_1(
    published: tuple[Path, str], server: ReleaseServer, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout, _ = published

    def rename_person(package: Path) -> None:
        edit_rows(package, "persons", lambda rows: rows[0].update(name="Somebody Else"))

    publish_edited(checkout, server, "0.1.1", rename_person)
    assert main(["validate", "--release", "0.1.1"]) == 1
    out = capsys.readouterr().out
    # the renamed person's participation and name mention both claim the old name
    assert re.search(r"spans\s+FAILED \(2\)", out) and "'Somebody Else'" in out
    assert "INVALID: 2 problem(s)" in out


def test_a_release_holding_another_version_is_refused_by_the_loader(
    published: tuple[Path, str], server: ReleaseServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """The loader refuses the archive before extracting it (issue 15), so the gate never runs:
    an error (exit 2) naming both versions, not a finding."""
    checkout, version = published

    def say_old_version(package: Path) -> None:
        edit_descriptor(package, lambda d: d.update(version=version))

    publish_edited(checkout, server, "0.1.2", say_old_version)
    assert main(["validate", "--release", "0.1.2"]) == 2
    err = capsys.readouterr().err
    assert f"its datapackage.json says version '{version}', not '0.1.2'" in err
    assert "Traceback" not in err


def test_an_unknown_version_exits_2(
    published: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, version = published
    assert main(["validate", "--release", "9.9.9"]) == 2
    err = capsys.readouterr().err
    assert "'9.9.9' is not a known release" in err and f"known: {version}" in err


def test_release_and_a_package_folder_are_exclusive(
    published: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, version = published
    assert main(["validate", "datapackage", "--release", version]) == 2
    assert "not both" in capsys.readouterr().err
