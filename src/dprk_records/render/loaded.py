"""A package as the people-facing outputs read it: descriptor, rows and verbatim texts.

Rows may come from the loader (:class:`~dprk_records.loader.package.Package`, dates as
``datetime.date``) or from the validator's context (dates as ISO strings); :func:`cell` formats
both the same way, so every output is identical whichever read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dprk_records.base.fileguard import UnsafeFileError, read_regular
from dprk_records.errors import PackageError

if TYPE_CHECKING:
    from dprk_records.loader.package import Package

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Loaded:
    """A package's descriptor, its tables' rows (name -> rows) and texts (document_id -> text)."""

    descriptor: dict[str, Any]
    tables: Mapping[str, Rows]
    texts: Mapping[str, str]

    def rows(self, name: str) -> Rows:
        """Rows of table ``name``, or [] when the package has no such table."""
        return list(self.tables.get(name, []))

    def table_resources(self) -> list[dict[str, Any]]:
        """The descriptor's table resources, in package order."""
        return [
            r
            for r in self.descriptor.get("resources", [])
            if isinstance(r, dict) and r.get("type") == "table"
        ]


def cell(value: Any) -> str:
    """One value as text: '' for missing, true/false, ISO dates, numbers and strings as written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def texts_from_files(documents: Rows, files: Mapping[str, bytes]) -> dict[str, str]:
    """document_id -> verbatim text, from the package's files (relative path -> bytes)."""
    texts = {}
    for row in documents:
        data = files.get(cell(row.get("path")))
        if data is not None:
            texts[cell(row.get("document_id"))] = data.decode("utf-8")
    return texts


def load_package(path: Path) -> Loaded:
    """Read a package folder with the loader (sizes and hashes verified) into memory."""
    from dprk_records.loader.package import Package

    package = Package(path)
    tables = {name: package.read(name) for name in package.tables}
    texts = PackageTexts(package, tables.get("documents", []))
    return Loaded(package.descriptor, tables, {document: texts[document] for document in texts})


class PackageTexts(Mapping[str, str]):
    """A package's verbatim texts by document id, each read from its file (size and hash
    verified) when asked and not kept: for an output that reads a text at a time.

    A document whose path is not one of the package's resources (or climbs out of it) is a
    PackageError when the mapping is made; one that cannot be read, when it is asked for.
    """

    def __init__(self, package: Package, documents: Rows) -> None:
        self._package = package
        self._resources = {r.get("path"): r for r in package.descriptor.get("resources", [])}
        self._paths: dict[str, str] = {}
        for row in documents:
            relative = cell(row.get("path"))
            if relative not in self._resources or ".." in relative.split("/"):
                raise PackageError(f"{package.path}: document text {relative!r} is not a resource")
            self._paths[cell(row.get("document_id"))] = relative

    def __getitem__(self, document_id: str) -> str:
        from dprk_records.reader.members import check_member

        relative = self._paths[document_id]
        file = self._package.path / relative
        try:
            data = read_regular(file)
        except UnsafeFileError as exc:
            raise PackageError(str(exc)) from None
        except OSError as exc:
            raise PackageError(f"{file}: cannot read the source text ({exc.strerror})") from None
        check_member(file, data, self._resources[relative])
        return data.decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)
