"""The releases/ folder: a copy of every released package, so CI can diff against the last one.

``releases/VERSION/`` holds exactly the released package's datapackage.json, data/ and sources/.
A recorded release is never overwritten: recording the same version again is a no-op when the
files are identical and an error naming the differing files otherwise.
"""

from __future__ import annotations

from pathlib import Path

from dprk_records.base.atomic import write_tree
from dprk_records.base.fileguard import read_regular, relative_problem
from dprk_records.errors import PackageError, ReleaseError
from dprk_records.loader.registry import is_valid_version, version_key
from dprk_records.reader.descriptor import parse_descriptor, resource_entries

RELEASES_DIR = "releases"
DESCRIPTOR = "datapackage.json"


def released_versions(releases: Path) -> list[str]:
    """Versions recorded under ``releases`` (folders with a datapackage.json), oldest first."""
    if not releases.is_dir():
        return []
    found = [
        p.name
        for p in releases.iterdir()
        if p.is_dir() and is_valid_version(p.name) and (p / DESCRIPTOR).is_file()
    ]
    return sorted(found, key=version_key)


def newest_release(releases: Path, below: str | None = None) -> Path | None:
    """The folder of the newest recorded release (strictly below ``below`` if given), or None."""
    versions = released_versions(releases)
    if below is not None:
        versions = [v for v in versions if version_key(v) < version_key(below)]
    return releases / versions[-1] if versions else None


def package_files(package: Path) -> dict[str, bytes]:
    """datapackage.json and every file its resources name (relative path -> bytes)."""
    descriptor_path = package / DESCRIPTOR
    try:
        data = read_regular(descriptor_path)
    except OSError as exc:
        raise PackageError(f"{descriptor_path}: cannot read the descriptor ({exc})") from None
    descriptor = parse_descriptor(data, descriptor_path)
    files = {DESCRIPTOR: data}
    for resource in resource_entries(descriptor):
        relative = str(resource.get("path", ""))
        problem = relative_problem(relative)
        if problem:
            raise PackageError(f"{descriptor_path}: resource path {relative!r}: {problem}")
        try:
            files[str(relative)] = read_regular(package / relative)
        except OSError as exc:
            raise PackageError(f"{package / relative}: cannot read ({exc.strerror})") from None
    return dict(sorted(files.items()))


def differing_files(files: dict[str, bytes], folder: Path) -> list[str]:
    """Relative paths whose bytes differ between ``files`` and ``folder`` (missing or extra too)."""
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    differ = {name for name in files if name not in on_disk}
    differ |= on_disk - set(files)
    differ |= {n for n in set(files) & on_disk if read_regular(folder / n) != files[n]}
    return sorted(differ)


def record_release(files: dict[str, bytes], releases: Path, version: str) -> tuple[Path, bool]:
    """Write ``releases/VERSION/``; returns (folder, whether it was written now)."""
    target = releases / version
    if target.exists():
        differ = differing_files(files, target)
        if differ:
            raise ReleaseError(
                f"version {version} is already recorded in {target} with different content "
                f"({', '.join(differ[:10])}{' ...' if len(differ) > 10 else ''}); released "
                "versions are immutable: bump the version in schemas/package.json and rebuild"
            )
        return target, False
    releases.mkdir(parents=True, exist_ok=True)
    write_tree(target, files, file_mode=0o644, replace=False)  # never over a recorded release
    return target, True
