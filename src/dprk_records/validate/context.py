"""A package folder opened for validation: descriptor, files and typed rows, each read once."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprk_records.base.fileguard import UnsafeFileError, contained_problem, read_regular
from dprk_records.errors import PackageError


def read_descriptor(path: Path) -> dict[str, Any]:
    """The JSON object in a package's datapackage.json, or PackageError naming what is wrong."""
    try:
        data = read_regular(path)
    except UnsafeFileError as exc:
        raise PackageError(str(exc)) from None
    except OSError as exc:
        raise PackageError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"{path}: not valid UTF-8 ({exc})") from None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageError(f"{path}: not valid JSON ({exc})") from None
    except RecursionError:
        raise PackageError(f"{path}: brackets nest too deeply to be a package descriptor") from None
    if not isinstance(descriptor, dict):
        raise PackageError(f"{path}: the descriptor must be a JSON object")
    return descriptor


def _cast(text: str, ftype: str, missing: frozenset[str]) -> Any:
    """Cast one CSV cell for JSON Schema checks; a cell that does not parse stays a string so
    that the JSON Schema check reports it as a type error."""
    if text in missing:
        return None
    try:
        if ftype == "integer" or ftype == "year":
            return int(text)
        if ftype == "number":
            return float(text)
    except ValueError:
        return text
    if ftype == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text


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
        path = root / "datapackage.json" if root.is_dir() else root
        if not os.path.lexists(path):
            raise PackageError(f"{path}: no datapackage.json here; build the package first")
        descriptor = read_descriptor(path)
        root = path.parent
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
        named = [str(r.get("path", "")) for r in self._resource_entries()]
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

    def _resource_entries(self) -> list[dict[str, Any]]:
        resources = self.descriptor.get("resources", [])
        if not isinstance(resources, list):
            return []
        return [r for r in resources if isinstance(r, dict)]

    def table_resources(self) -> list[dict[str, Any]]:
        return [r for r in self._resource_entries() if r.get("type") == "table"]

    def resource(self, name: str) -> dict[str, Any] | None:
        return next((r for r in self.table_resources() if r.get("name") == name), None)

    def rows(self, name: str) -> list[dict[str, Any]]:
        """Rows of a table with cells cast by the resource's own schema (never raises on data)."""
        if name not in self._rows:
            resource = self.resource(name)
            if resource is None:
                raise PackageError(f"no table resource named {name!r} in the descriptor")
            schema = resource.get("schema", {})
            types = {f["name"]: f.get("type", "string") for f in schema.get("fields", [])}
            missing = frozenset(schema.get("missingValues", [""]))
            relative = str(resource.get("path", ""))
            path = self.root / relative
            try:
                data = self.read_bytes(relative).decode("utf-8")
                with io.StringIO(data, newline="") as handle:
                    reader = csv.DictReader(handle, restkey="_extra_cells", restval="")
                    self._rows[name] = [
                        {
                            key: _cast(value, types.get(key, "string"), missing)
                            if isinstance(value, str)
                            else value
                            for key, value in row.items()
                        }
                        for row in reader
                    ]
            except UnsafeFileError as exc:
                self.read_errors[name] = f"{relative}: {exc.reason}"
                self._rows[name] = []
            except (OSError, UnicodeDecodeError, csv.Error) as exc:
                self.read_errors[name] = f"{path.name}: {exc}"
                self._rows[name] = []
        return self._rows[name]

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        """Rows of a table, or [] when the package has no such table (other checks report that)."""
        return self.rows(name) if self.resource(name) is not None else []
