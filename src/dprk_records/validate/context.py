"""A package folder opened for validation: descriptor, files and typed rows, each read once."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprk_records.errors import PackageError


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
    _rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path) -> PackageContext:
        path = root / "datapackage.json" if root.is_dir() else root
        if not path.is_file():
            raise PackageError(f"{path}: no datapackage.json here; build the package first")
        try:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise PackageError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(descriptor, dict):
            raise PackageError(f"{path}: the descriptor must be a JSON object")
        return cls(path.parent, descriptor)

    def table_resources(self) -> list[dict[str, Any]]:
        resources = self.descriptor.get("resources", [])
        if not isinstance(resources, list):
            return []
        return [r for r in resources if isinstance(r, dict) and r.get("type") == "table"]

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
            path = self.root / resource["path"]
            with path.open(encoding="utf-8", newline="") as handle:
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
        return self._rows[name]
