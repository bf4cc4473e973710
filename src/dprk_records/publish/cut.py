"""`dprk-records release`: cut a release from a valid package and a clean working tree.

A release of version V is, under ``dist/``: ``dprk-records-data-V.zip`` (the package, schemas,
a generated data card, data dictionary, Popolo export and evidence viewer (``viewer/index.html``),
CHANGELOG, licences and CITATION.cff, all under ``dprk-records-data-V/``), ``SHA256SUMS``
and ``release-notes-V.md`` (the diff against the previous release). It is recorded in
``releases/V/`` and in the loader's registry. Nothing is ever overwritten: every target is
compared first, identical content makes the whole release a no-op, and different content is an
error naming the version and what differs.

A version is never cut again with other bytes, even when some of its records are gone: besides
dist/, ``releases/V/`` and the registry, the cut asks git (every commit of HEAD and every tag
whose registry.json lists V, with its sha256) and CHANGELOG.md (V dated under a later version)
through :func:`dprk_records.release.records.conflicting_records`. Before writing anything it
also runs the gate's ``releases`` check on the other versions, so a release is never cut from a
checkout whose records of earlier releases are broken. The version being cut is left out of
that check: the comparisons above are the specific form of it, and a cut that gives the
registered bytes restores that version's deleted records.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprk_records.base.atomic import write_file
from dprk_records.base.fileguard import read_regular
from dprk_records.base.hashing import sha256_hex
from dprk_records.errors import DprkRecordsError, ReleaseError
from dprk_records.publish.datacard import render_datacard
from dprk_records.release.archive import build_zip, differing_members, zip_timestamp
from dprk_records.release.diff import diff_packages, render_first_release, render_markdown
from dprk_records.release.history import (
    RELEASES_DIR,
    differing_files,
    newest_release,
    package_files,
    record_release,
)
from dprk_records.release.records import REGISTRY, conflicting_records
from dprk_records.release.snapshot import Snapshot, open_snapshot

EXTRA_FILES = ("CHANGELOG.md", "LICENSE", "DATA-LICENSE.md", "CITATION.cff")
SUMS = "SHA256SUMS"


@dataclass(frozen=True)
class ReleaseResult:
    """What a release wrote (or found already written, when ``created`` is False)."""

    version: str
    archive: Path
    sha256: str
    size: int
    notes: Path
    recorded: Path
    created: bool


def archive_name(version: str) -> str:
    """The release zip's file name: the loader's registry and download URLs expect this one."""
    return f"dprk-records-data-{version}.zip"


def working_tree_changes(checkout: Path) -> list[str]:
    """`git status --porcelain` lines of the checkout; ReleaseError when git cannot say."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain"],
            cwd=checkout,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise ReleaseError(f"cannot run git to check the working tree ({exc})") from None
    if result.returncode != 0:
        raise ReleaseError(
            f"{checkout}: not a git working tree ({result.stderr.strip()}); a release is cut "
            "from a commit"
        )
    return [line for line in result.stdout.splitlines() if line.strip()]


def schema_files(checkout: Path) -> dict[str, bytes]:
    """schemas/package.json, popolo.schema.json, tables/*.json and json/*.json of the checkout."""
    root = checkout / "schemas"
    paths = [root / "package.json", *root.glob("tables/*.json"), *root.glob("json/*.json")]
    paths += list(root.glob("popolo.schema.json"))
    return {f"schemas/{p.relative_to(root).as_posix()}": read_regular(p) for p in paths}


def release_members(package: Path, checkout: Path, snapshot: Snapshot) -> dict[str, bytes]:
    """Every file of the release archive, relative to its top folder."""
    from dprk_records.render.release import release_files

    members = package_files(package)
    members.update(release_files(snapshot.descriptor, snapshot.tables, members))
    members.update(schema_files(checkout))
    counts = {name: len(rows) for name, rows in snapshot.tables.items()}
    members["README.md"] = render_datacard(snapshot.descriptor, counts).encode("utf-8")
    for name in EXTRA_FILES:
        path = checkout / name
        if not path.is_file():
            raise ReleaseError(f"{path}: missing; every release ships {', '.join(EXTRA_FILES)}")
        members[name] = read_regular(path)
    return dict(sorted(members.items()))


def release_notes(releases: Path, snapshot: Snapshot) -> str:
    """Markdown notes from the diff against the newest release below this version."""
    previous = newest_release(releases, below=snapshot.version)
    if previous is None:
        return render_first_release(snapshot)
    return render_markdown(diff_packages(open_snapshot(previous), snapshot))


def sha256sums(dist: Path) -> str:
    """SHA256SUMS (sha256sum's format) over every archive and release note in ``dist``."""
    files = {p.name: read_regular(p) for p in dist.glob("dprk-records-data-*.zip")}
    files |= {p.name: read_regular(p) for p in dist.glob("release-notes-*.md")}
    return "".join(f"{sha256_hex(files[name])}  {name}\n" for name in sorted(files))


def _conflict(path: Path, data: bytes) -> str | None:
    """Why writing ``data`` to ``path`` would overwrite something, or None."""
    if not path.exists() or read_regular(path) == data:
        return None
    if path.suffix == ".zip":
        differ = differing_members(read_regular(path), data)
        return f"{path} differs in {', '.join(differ[:10])}"
    return f"{path} differs"


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` atomically, readable by all (it is published); leave an identical file
    untouched, so a repeated cut changes no timestamp."""
    if path.is_file() and read_regular(path) == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, data, mode=0o644)


def _registry_update(checkout: Path, version: str, name: str, data: bytes) -> dict[str, Any] | None:
    """The registry with this release added (None when already there); raises on a conflict."""
    from dprk_records.loader.registry import add_release, load_registry

    path = checkout / REGISTRY
    current = load_registry(path)
    try:
        updated = add_release(current, version, name, sha256_hex(data), len(data))
    except DprkRecordsError as exc:
        raise ReleaseError(f"{path}: {exc}") from None
    return None if updated == current else updated


def _registered(checkout: Path) -> set[str]:
    """The versions in the working tree's registry (none when it is unreadable:
    _registry_update reports that)."""
    from dprk_records.loader.errors import RegistryError
    from dprk_records.loader.registry import load_registry

    try:
        releases = load_registry(checkout / REGISTRY)["releases"]
    except RegistryError:
        return set()
    return {entry["version"] for entry in releases}


def cut_release(
    package: Path,
    checkout: Path,
    dist: Path,
    allow_dirty: bool = False,
    environ: Mapping[str, str] | None = None,
) -> ReleaseResult:
    """Validate, refuse a dirty tree, write dist/ and record the release; see the module doc."""
    from dprk_records.loader.registry import write_registry
    from dprk_records.validate import all_checks, validate_package
    from dprk_records.validate.release_records import CHECK, release_record_findings

    environ = os.environ if environ is None else environ
    if not allow_dirty:
        changes = working_tree_changes(checkout)
        if changes:
            raise ReleaseError(
                f"the working tree has {len(changes)} uncommitted change(s) "
                f"({'; '.join(changes[:3])}); commit them first: a release is cut from a commit"
            )
    gate = [check for check in all_checks() if check.name != CHECK]  # run below, minus this V
    report = validate_package(package, gate, checkout=checkout)
    if not report.valid:
        first = "; ".join(f"{f.check}: {f.message}" for f in report.findings[:3])
        raise ReleaseError(
            f"{package} is not valid ({len(report.findings)} problem(s) in "
            f"{', '.join(report.failed_checks())}: {first}); run `dprk-records validate {package}`"
        )
    snapshot = open_snapshot(package)
    version = snapshot.version
    members = release_members(package, checkout, snapshot)
    data = build_zip(members, f"dprk-records-data-{version}", zip_timestamp(environ))
    notes = release_notes(checkout / RELEASES_DIR, snapshot).encode("utf-8")
    archive = dist / archive_name(version)
    notes_path = dist / f"release-notes-{version}.md"
    files = package_files(package)
    recorded = checkout / RELEASES_DIR / version
    problems = [p for p in (_conflict(archive, data), _conflict(notes_path, notes)) if p]
    if recorded.exists():
        problems += [f"{recorded}/{name} differs" for name in differing_files(files, recorded)]
    registered = _registered(checkout)
    problems += conflicting_records(checkout, version, sha256_hex(data), registered)
    if problems:
        raise ReleaseError(
            f"version {version} is already released with different content: "
            f"{'; '.join(problems)}. Released versions are immutable: bump the version."
        )
    registry = _registry_update(checkout, version, archive.name, data)
    broken = release_record_findings(checkout, skip={version})
    if broken:
        listed = "; ".join(finding.message for finding in broken[:3])
        more = f" (and {len(broken) - 3} more)" if len(broken) > 3 else ""
        raise ReleaseError(
            f"the records of earlier releases are broken ({listed}{more}); repair them first "
            f"(`dprk-records validate {package}` lists them under 'releases'): a release is "
            "recorded beside them"
        )
    created = not (archive.exists() and notes_path.exists() and recorded.exists())
    _write_atomic(archive, data)
    _write_atomic(notes_path, notes)
    _write_atomic(dist / SUMS, sha256sums(dist).encode("utf-8"))
    record_release(files, checkout / RELEASES_DIR, version)
    if registry is not None:
        write_registry(checkout / REGISTRY, registry)
        created = True
    return ReleaseResult(
        version, archive, sha256_hex(data), len(data), notes_path, recorded, created
    )
