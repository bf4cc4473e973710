"""A package as the people-facing outputs read it: descriptor, rows and verbatim texts.

Rows may come from the loader (:class:`~dprk_records.loader.package.Package`, dates as
``datetime.date``) or from the validator's context (dates as ISO strings); :func:`cell` formats
both the same way, so every output is identical whichever read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprk_records.base.fileguard import UnsafeFileError, read_regular
from dprk_records.errors import PackageError

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
    from dprk_records.reader.members import check_member

    package = Package(path)
    tables = {name: package.read(name) for name in package.tables}
    resources = {r.get("path"): r for r in package.descriptor.get("resources", [])}
    files = {}
    for row in tables.get("documents", []):
        relative = cell(row.get("path"))
        if relative not in resources or ".." in relative.split("/"):
            raise PackageError(f"{package.path}: document text {relative!r} is not a resource")
        file = package.path / relative
        try:
            files[relative] = read_regular(file)
        except UnsafeFileError as exc:
            raise PackageError(str(exc)) from None
        except OSError as exc:
            raise PackageError(f"{file}: cannot read the source text ({exc.strerror})") from None
        check_member(file, files[relative], resources[relative])
    texts = texts_from_files(tables.get("documents", []), files)
    return Loaded(package.descriptor, tables, texts)
