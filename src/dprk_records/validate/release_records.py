"""The `releases` check: in a checkout, releases/ and the loader registry record the same releases,
and each recorded release is still exactly what was released.

Without it a deleted or edited ``releases/VERSION/`` went unnoticed (the `version` check just
compared the package with whatever release was left), and with the registry entry gone as well a
released version could be cut again with other bytes. For every version the registry lists,
``releases/VERSION/`` must exist and hold exactly the package its datapackage.json describes
(every resource present with the bytes and hash the descriptor records, nothing else); and, where
the records to compare with are at hand:

- git: the files must be those of the commit that first registered the version (so an edit of
  the descriptor too, or a committed edit, is caught), the registry entry the one that commit
  wrote, and no version that commit history registered may have left the registry;
- ``dist/``: an archive there whose sha256 is the registered one must hold the same package.

A ``releases/VERSION/`` folder the registry does not list is a finding too. The archive itself is
not rebuilt and hashed: it also holds CHANGELOG.md, schemas/ and generated files that change
after a release (see :mod:`dprk_records.release.records`). Each finding names the version and
the file under releases/ (or the registry), never the package being validated; outside a source
checkout (no ``src/dprk_records/loader/registry.json``) the check notes that it did nothing.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Collection
from pathlib import Path, PurePosixPath
from typing import Any

from dprk_records.base.fileguard import UnsafeFileError, read_regular, relative_problem
from dprk_records.base.hashing import check_hash_field, sha256_hex
from dprk_records.errors import PackageError
from dprk_records.loader.errors import RegistryError
from dprk_records.loader.registry import is_valid_version, load_registry, version_key
from dprk_records.reader.descriptor import parse_descriptor, resource_entries
from dprk_records.release.archive import zip_members
from dprk_records.release.history import RELEASES_DIR
from dprk_records.release.records import (
    REGISTRY,
    Registered,
    changes_since,
    first_registrations,
    registry_history,
)
from dprk_records.validate.context import PackageContext
from dprk_records.validate.report import Finding

CHECK = "releases"
DESCRIPTOR = "datapackage.json"


def _finding(rule: str, message: str, path: str) -> Finding:
    return Finding(CHECK, rule, message, file=path)


def _files_on_disk(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _hash_problem(data: bytes, resource: dict[str, Any]) -> str | None:
    """How ``data`` differs from the bytes and hash its resource records, or None."""
    if isinstance(resource.get("bytes"), int) and resource["bytes"] != len(data):
        return f"{len(data)} bytes, the descriptor records {resource['bytes']}"
    recorded = resource.get("hash")
    mismatch = check_hash_field(data, recorded) if isinstance(recorded, str) else None
    if mismatch is not None:
        return f"{mismatch.algorithm} {mismatch.actual}, the descriptor records {mismatch.expected}"
    return None


def _own_problems(folder: Path, version: str, rel: str) -> dict[str, tuple[str, str]]:
    """file -> (rule, message) for what ``releases/VERSION/`` says against itself: its version,
    missing, altered (bytes, hash) and extra files."""
    problems: dict[str, tuple[str, str]] = {}
    descriptor_rel = f"{rel}/{DESCRIPTOR}"
    try:
        descriptor = parse_descriptor(read_regular(folder / DESCRIPTOR), descriptor_rel)
    except OSError as exc:
        return {descriptor_rel: ("release-unreadable", f"{descriptor_rel}: unreadable ({exc})")}
    except PackageError as exc:
        return {descriptor_rel: ("release-unreadable", str(exc))}
    if descriptor.get("version") != version:
        problems[descriptor_rel] = (
            "release-version",
            f"{descriptor_rel} says version {descriptor.get('version')!r}, not {version}",
        )
    named = {DESCRIPTOR}
    resources = descriptor.get("resources")
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            continue
        problem = relative_problem(resource["path"])
        if problem:
            problems[descriptor_rel] = (
                "release-unreadable",
                f"{descriptor_rel}: resource path {resource['path']!r} is outside {rel}/ "
                f"({problem})",
            )
            continue
        name = PurePosixPath(resource["path"]).as_posix()
        named.add(name)
        try:
            data = read_regular(folder / name)
        except UnsafeFileError as exc:
            problems[f"{rel}/{name}"] = ("release-unreadable", f"{rel}/{name} {exc.reason}")
            continue
        except OSError:
            problems[f"{rel}/{name}"] = ("release-file-missing", f"{rel}/{name} is missing")
            continue
        why = _hash_problem(data, resource)
        if why is not None:
            problems[f"{rel}/{name}"] = (
                "release-edited",
                f"{rel}/{name} is not the released file ({why})",
            )
    for extra in sorted(_files_on_disk(folder) - named):
        problems[f"{rel}/{extra}"] = (
            "release-extra-file",
            f"{rel}/{extra} is not part of the released package (its descriptor names no such "
            "file)",
        )
    return problems


def _archive_problems(
    checkout: Path, entry: dict[str, Any], folder: Path, rel: str, note: Callable[[str], None]
) -> dict[str, tuple[str, str]] | None:
    """file -> (rule, message) from comparing ``releases/VERSION/`` with the registered archive
    in dist/, or None when dist/ holds no archive with the registered sha256."""
    archive = checkout / "dist" / entry["file"]
    if not archive.is_file():
        return None
    data = read_regular(archive)
    if sha256_hex(data) != entry["sha256"]:
        note(f"dist/{entry['file']} is not the registered archive (other sha256): not compared")
        return None
    try:
        members = zip_members(data)
    except zipfile.BadZipFile:
        return None
    inside = {
        PurePosixPath(name).relative_to(PurePosixPath(name).parts[0]).as_posix(): content
        for name, content in members.items()
        if len(PurePosixPath(name).parts) > 1
    }
    try:
        descriptor = parse_descriptor(inside[DESCRIPTOR], DESCRIPTOR)
    except (KeyError, PackageError):
        return None
    paths = {DESCRIPTOR} | {str(r["path"]) for r in resource_entries(descriptor) if "path" in r}
    problems: dict[str, tuple[str, str]] = {}
    on_disk = _files_on_disk(folder)
    source = f"the registered archive dist/{entry['file']}"
    for name in sorted(paths | on_disk):
        where = f"{rel}/{name}"
        if name not in paths:
            problems[where] = ("release-extra-file", f"{where} is not in {source}; remove it")
        elif name not in on_disk:
            problems[where] = (
                "release-file-missing",
                f"{where} is missing; restore it from {source}",
            )
        elif name not in inside or read_regular(folder / name) != inside[name]:
            problems[where] = (
                "release-edited",
                f"{where} differs from {source}; restore it from that archive",
            )
    return problems


def _recorded_problems(
    checkout: Path,
    version: str,
    entry: dict[str, Any],
    origin: Registered | None,
    note: Callable[[str], None],
) -> list[Finding]:
    """What is wrong with the records of one registered version."""
    rel = f"releases/{version}"
    folder = checkout / rel
    registered = f"{entry['file']} (sha256 {entry['sha256']}, {entry['size']} bytes)"
    restore = (
        f": restore it from the commit that released it (`git restore --source="
        f"{origin.commit[:12]} -- {rel}`)"
        if origin is not None
        else ": restore it from the commit that released it or from the released archive"
    )
    findings: list[Finding] = []
    if origin is not None and (origin.file, origin.sha256, origin.size) != (
        entry["file"],
        entry["sha256"],
        entry["size"],
    ):
        findings.append(
            _finding(
                "registry-entry-changed",
                f"{REGISTRY} lists {version} as {registered}, but commit {origin.commit[:12]} "
                f"released it as {origin.describe()}: a released archive never changes (users' "
                "caches hold it under that version); put the original entry back",
                str(REGISTRY),
            )
        )
    if not (folder / DESCRIPTOR).is_file():
        missing = f"{rel}/{DESCRIPTOR}" if folder.is_dir() else f"{rel}/"
        findings.append(
            _finding(
                "release-missing",
                f"{missing} is missing, but {REGISTRY} lists version {version} as {registered}; "
                f"a released version's record is never deleted{restore}",
                missing,
            )
        )
        return findings
    problems: dict[str, tuple[str, str]] = {}
    if origin is not None:
        changes = changes_since(checkout, origin.commit, rel)
        if changes is None:
            note(f"git cannot compare {rel}/ with commit {origin.commit[:12]} (a shallow clone?)")
        for status, path in changes or []:
            problems[path] = (
                "release-edited",
                f"{path} was {status} after commit {origin.commit[:12]} released {version}; "
                f"released files never change{restore}",
            )
    compared = _archive_problems(checkout, entry, folder, rel, note)
    for path, problem in (compared or {}).items():
        problems.setdefault(path, problem)
    for path, (rule, message) in _own_problems(folder, version, rel).items():
        fix = "; remove it" if rule == "release-extra-file" else restore
        problems.setdefault(path, (rule, message + fix))
    if origin is None and compared is None:
        note(
            f"{rel}/ checked against its own descriptor only (no git history registering "
            f"{version}, no registered archive in dist/)"
        )
    findings += [
        _finding(rule, message, path) for path, (rule, message) in sorted(problems.items())
    ]
    return findings


def release_record_findings(
    checkout: Path,
    skip: Collection[str] = (),
    note: Callable[[str], None] | None = None,
) -> list[Finding]:
    """Every problem with the release records of ``checkout`` (see the module doc), leaving out
    the versions in ``skip``; ``note`` hears what could not be compared."""
    note = note or (lambda message: None)
    path = checkout / REGISTRY
    if not path.is_file():
        note(f"no loader registry ({REGISTRY}) here: not a source checkout, releases/ not checked")
        return []
    try:
        registry = load_registry(path)
    except RegistryError as exc:
        return [_finding("registry-unreadable", str(exc), str(REGISTRY))]
    entries = {entry["version"]: entry for entry in registry["releases"]}
    releases = checkout / RELEASES_DIR
    folders = (
        {p.name for p in releases.iterdir() if p.is_dir() and is_valid_version(p.name)}
        if releases.is_dir()
        else set()
    )
    history = registry_history(checkout)
    if history is None:
        note(
            "not the root of a git repository: releases/ checked against the registry and "
            "the descriptors' hashes, not against the commits that released them"
        )
    first = first_registrations(history or [])
    findings: list[Finding] = []
    for version in sorted(entries, key=version_key):
        if version not in skip:
            findings += _recorded_problems(
                checkout, version, entries[version], first.get(version), note
            )
    for version in sorted((folders | set(first)) - set(entries) - set(skip), key=version_key):
        origin = first.get(version)
        rel = f"releases/{version}"
        if origin is None:
            findings.append(
                _finding(
                    "release-unregistered",
                    f"{rel}/ records a release of {version}, but {REGISTRY} has no entry for it "
                    "(and git history none): `dprk-records release` writes both. If "
                    f"{version} was published, put its entry (version, file, sha256, size of "
                    f"the published archive) back in the registry; if it never was, remove {rel}/",
                    f"{rel}/",
                )
            )
            continue
        gone = "" if version in folders else f", and {rel}/ is gone too"
        restore = (
            ""
            if version in folders
            else f"; restore {rel}/ (`git restore --source={origin.commit[:12]} -- {rel}`)"
        )
        findings.append(
            _finding(
                "registry-entry-removed",
                f"version {version} was released (commit {origin.commit[:12]} added it to "
                f"{REGISTRY} as {origin.describe()}), but the registry no longer lists it{gone}. "
                "A released version stays registered (users' caches and pinned versions rely on "
                f"it): put the entry back{restore}",
                str(REGISTRY),
            )
        )
    return findings


def check_release_records(ctx: PackageContext) -> list[Finding]:
    """releases/ vs the loader registry (and the commits that released each version)."""
    if ctx.checkout is None:
        ctx.note(CHECK, "not in a checkout: releases/ not checked")
        return []
    return release_record_findings(ctx.checkout, note=lambda message: ctx.note(CHECK, message))
