"""A package folder opened for validation: descriptor, files and rows, each read once.

The reading itself is :mod:`dprk_records.reader`'s (lenient: a broken table is kept for a
finding, never raised); this is the gate's view on top of it, with what the checks share: the
checkout around the package, the release to compare with, the notes and the read errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprk_records.base.fileguard import UnsafeFileError, contained_problem, read_regular
from dprk_records.errors import PackageError
from dprk_records.reader.descriptor import package_descriptor, resource_entries, table_resources
from dprk_records.reader.tables import lenient_table


@dataclass
class PackageContext:
    """Everything the checks look at, loaded lazily and cached."""

    root: Path
    descriptor: dict[str, Any]
    checkout: Path | None = None  # the repository holding seeds/, schemas/, releases/, CHANGELOG.md
    previous: Path | None = None  # the last released package (folder or zip), to check the version
    notes: dict[str, list[str]] = field(default_factory=dict)  # check name -> what it could not do
    read_errors: dict[str, str] = field(default_factory=dict)  # table -> why its file is unreadable
    _rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _texts: dict[str, str | None] = field(default_factory=dict)
    _document_paths: dict[str, str] | None = None
    _unsafe: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def open(
        cls, root: Path, checkout: Path | None = None, previous: Path | None = None
    ) -> PackageContext:
        """Open a package folder (or its datapackage.json). ``checkout`` defaults to the folder
        above the package when that folder has seeds/manifest.csv."""
        root, descriptor = package_descriptor(root)
        around = root.resolve().parent
        if checkout is None and (around / "seeds" / "manifest.csv").is_file():
            checkout = around
        return cls(root, descriptor, checkout, previous)

    def note(self, check: str, message: str) -> None:
        """Record something a check could not do or assumed (shown with its result)."""
        self.notes.setdefault(check, []).append(message)

    def schemas_root(self) -> Path | None:
        """The checkout's schemas/ when there is one, else None (the installed registry)."""
        if self.checkout is not None and (self.checkout / "schemas" / "package.json").is_file():
            return self.checkout / "schemas"
        return None

    def unsafe_path(self, relative: str) -> str | None:
        """Why the file the descriptor names at ``relative`` may not be opened, or None.

        A path that leaves the package, or a link, FIFO, device or folder where a file should
        be, is never read: a finding must not quote bytes from outside the package.
        """
        if relative not in self._unsafe:
            self._unsafe[relative] = contained_problem(self.root, relative)
        return self._unsafe[relative]

    def unsafe_paths(self) -> dict[str, str]:
        """Every path the descriptor's resources and sources name that may not be opened."""
        named = [str(r.get("path", "")) for r in resource_entries(self.descriptor)]
        sources = self.descriptor.get("sources")
        if isinstance(sources, list):
            named += [str(s["path"]) for s in sources if isinstance(s, dict) and "path" in s]
        found = {path: self.unsafe_path(path) for path in sorted(set(named))}
        return {path: problem for path, problem in found.items() if problem}

    def read_bytes(self, relative: str) -> bytes:
        """The bytes of a file of the package; UnsafeFileError when it may not be opened."""
        problem = self.unsafe_path(relative)
        if problem:
            raise UnsafeFileError(relative, problem)
        return read_regular(self.root / relative)

    def text(self, relative: str) -> str | None:
        """A file of the package decoded as UTF-8 exactly as stored, or None when unreadable."""
        if relative not in self._texts:
            try:
                self._texts[relative] = self.read_bytes(relative).decode("utf-8")
            except (OSError, UnicodeDecodeError, UnsafeFileError):
                self._texts[relative] = None
        return self._texts[relative]

    def document_paths(self) -> dict[str, str]:
        """document_id -> path of its verbatim text inside the package (from the documents table)."""
        if self._document_paths is None:
            self._document_paths = {
                str(row.get("document_id")): str(row.get("path"))
                for row in self.table_rows("documents")
                if row.get("path")
            }
        return self._document_paths

    def verbatim(self, document_id: str) -> str | None:
        """The verbatim source text of a document, or None when it has no readable text."""
        path = self.document_paths().get(document_id)
        return self.text(path) if path else None

    def table_resources(self) -> list[dict[str, Any]]:
        """The descriptor's table resources in package order (source texts are resources, not
        tables); none when ``resources`` is malformed, which the structural checks report."""
        return table_resources(self.descriptor)

    def resource(self, name: str) -> dict[str, Any] | None:
        """The table resource named ``name``, or None: a check asks before it reads, so a missing
        table is reported (or skipped) instead of crashing the check."""
        return next((r for r in self.table_resources() if r.get("name") == name), None)

    def rows(self, name: str) -> list[dict[str, Any]]:
        """Rows of a table with cells cast by the resource's own schema (never raises on data)."""
        if name not in self._rows:
            resource = self.resource(name)
            if resource is None:
                raise PackageError(f"no table resource named {name!r} in the descriptor")
            rows, problem = lenient_table(self.read_bytes, resource)
            if problem is not None:
                self.read_errors[name] = problem
            self._rows[name] = rows
        return self._rows[name]

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        """Rows of a table, or [] when the package has no such table (other checks report that)."""
        return self.rows(name) if self.resource(name) is not None else []
