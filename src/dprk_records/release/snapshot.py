"""A data package read whole into memory, from a folder or a release zip, for diffing.

Read by :mod:`dprk_records.reader` the way the gate reads (lenient rows, JSON-ready values, no
link followed), so a diff and the gate's version check compare the same values.
"""

from __future__ import annotations

import contextlib
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from dprk_records.base.fileguard import UnsafeFileError, contained_problem, read_regular
from dprk_records.errors import PackageError
from dprk_records.loader.archive import extract_archive, top_folder
from dprk_records.loader.registry import is_valid_version
from dprk_records.reader.descriptor import package_descriptor, table_resources
from dprk_records.reader.tables import lenient_table


@dataclass(frozen=True)
class Snapshot:
    """A package's descriptor and the typed rows of each table resource."""

    label: str
    descriptor: dict[str, Any]
    tables: Mapping[str, list[dict[str, Any]]]

    @property
    def version(self) -> str:
        """The descriptor's version, "0.0.0" when it states none, so a package without one still
        parses as a semantic version (below every release)."""
        return str(self.descriptor.get("version", "0.0.0"))

    def schemas(self) -> dict[str, dict[str, Any]]:
        """Table name -> its Table Schema, in resource order."""
        return {str(r.get("name")): r.get("schema", {}) for r in table_resources(self.descriptor)}


class TablesRead(Mapping[str, list[dict[str, Any]]]):
    """A package's tables by name, each read when asked and held only by the asker (a diff
    compares one table at a time)."""

    def __init__(self, root: Path, descriptor: dict[str, Any]) -> None:
        self._root = root
        self._resources = {str(r.get("name")): r for r in table_resources(descriptor)}

    def _read(self, relative: str) -> bytes:
        problem = contained_problem(self._root, relative)
        if problem:
            raise UnsafeFileError(relative, problem)
        return read_regular(self._root / relative)

    def __getitem__(self, name: str) -> list[dict[str, Any]]:
        return lenient_table(self._read, self._resources[name])[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._resources)

    def __len__(self) -> int:
        return len(self._resources)


def read_snapshot(path: Path, label: str | None = None, held: bool = True) -> Snapshot:
    """The snapshot of a package folder (or its datapackage.json): every table's rows, an
    unreadable table read as empty (the gate, not a diff, is where that is reported). Not
    ``held``, a table is read each time it is asked for, and none is kept."""
    root, descriptor = package_descriptor(path)
    tables = TablesRead(root, descriptor)
    return Snapshot(label or str(root), descriptor, dict(tables) if held else tables)


_TOP_PREFIX = top_folder("")


def _zip_top(names: list[str]) -> str:
    """The folder inside a release zip that holds datapackage.json."""
    for name in sorted(names, key=len):
        path = PurePosixPath(name)
        if path.name == "datapackage.json" and len(path.parts) <= 2:
            return str(path.parent) if len(path.parts) == 2 else ""
    raise PackageError("no datapackage.json at the top of the archive (or in its top folder)")


def _extract(archive: Path, target: Path) -> Path:
    """Extract a release zip with the loader's checks (exactly a release's members, the version
    its folder names, size limits before and while unpacking) and return the package root."""
    try:
        with zipfile.ZipFile(archive) as zf:
            top = _zip_top(zf.namelist())
    except zipfile.BadZipFile as exc:
        raise PackageError(f"{archive}: not a zip archive ({exc})") from None
    version = top.removeprefix(_TOP_PREFIX)
    if not top.startswith(_TOP_PREFIX) or not version:
        raise PackageError(
            f"{archive}: not a release archive (its files are not in one folder "
            f"{_TOP_PREFIX}VERSION/)"
        )
    return extract_archive(archive, target / top, version, registered=False)


def missing_package(path: Path) -> PackageError:
    """The error for a package path that does not exist. "Build the package first" would send
    someone who typed ``releases/0.9.0`` off to build; a version folder under releases/ that is
    not there is a release never recorded, so name the ones that are."""
    from dprk_records.release.history import RELEASES_DIR, released_versions

    if path.parent.name == RELEASES_DIR and is_valid_version(path.name):
        recorded = ", ".join(released_versions(path.parent)) or "none yet"
        return PackageError(
            f"{path}: no release {path.name} is recorded under {path.parent}/ "
            f"(recorded: {recorded})"
        )
    return PackageError(
        f"{path}: not found (give a package folder, its datapackage.json or a release zip)"
    )


def open_snapshot(path: Path) -> Snapshot:
    """Read a package folder, its datapackage.json, or a release zip into memory."""
    if not path.exists():
        raise missing_package(path)
    if path.is_file() and path.suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="dprk-records-snapshot-") as tmp:
            return read_snapshot(_extract(path, Path(tmp)), str(path))
    return read_snapshot(path, str(path))


@contextlib.contextmanager
def snapshot_read_when_asked(path: Path) -> Iterator[Snapshot]:
    """A package folder, its datapackage.json, or a release zip (unpacked until the block ends),
    each table read when it is asked for and held by no one else: a diff of two packages
    compares one table at a time, so it never holds a whole package."""
    if not path.exists():
        raise missing_package(path)
    if path.is_file() and path.suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="dprk-records-snapshot-") as tmp:
            yield read_snapshot(_extract(path, Path(tmp)), str(path), held=False)
        return
    yield read_snapshot(path, str(path), held=False)
