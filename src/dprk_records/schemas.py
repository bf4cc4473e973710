"""The table registry: Table Schemas under schemas/tables/ are the single source of truth.

Everything else that describes a table -- the resource schemas inside datapackage.json, the JSON
Schemas under schemas/json/, the row dataclasses' field order, the CSV column order -- is derived
from (or checked against) these files, so a field is defined in exactly one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dprk_records.base.paths import schemas_dir
from dprk_records.errors import SchemaError

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Table Schema field type -> how a typed value looks in JSON.
_JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "year": {"type": "integer"},
}


@dataclass(frozen=True)
class PackageMeta:
    """Package-level metadata kept in schemas/package.json (name, version, licences, table order)."""

    name: str
    title: str
    description: str
    version: str
    schema_version: str
    homepage: str
    keywords: tuple[str, ...]
    licenses: tuple[dict[str, str], ...]
    tables: tuple[str, ...]


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SchemaError(f"{path}: file not found") from exc
    except json.JSONDecodeError as exc:
        raise SchemaError(f"{path}: not valid JSON ({exc})") from exc


@cache
def package_meta(root: Path | None = None) -> PackageMeta:
    """Read schemas/package.json."""
    path = (root or schemas_dir()) / "package.json"
    raw = _read_json(path)
    try:
        return PackageMeta(
            name=raw["name"],
            title=raw["title"],
            description=raw["description"],
            version=raw["version"],
            schema_version=raw["schema_version"],
            homepage=raw["homepage"],
            keywords=tuple(raw["keywords"]),
            licenses=tuple(raw["licenses"]),
            tables=tuple(raw["tables"]),
        )
    except KeyError as exc:
        raise SchemaError(f"{path}: missing key {exc}") from exc


@cache
def table_schema(name: str, root: Path | None = None) -> dict[str, Any]:
    """The Table Schema of one table, as written in schemas/tables/NAME.json."""
    path = (root or schemas_dir()) / "tables" / f"{name}.json"
    schema = _read_json(path)
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise SchemaError(f"{path}: a Table Schema needs a 'fields' list")
    return schema


def table_schemas(root: Path | None = None) -> dict[str, dict[str, Any]]:
    """All Table Schemas in the registry's table order."""
    return {name: table_schema(name, root) for name in package_meta(root).tables}


def field_names(name: str, root: Path | None = None) -> list[str]:
    """Column order of a table (the order of its Table Schema fields)."""
    return [field["name"] for field in table_schema(name, root)["fields"]]


def _field_json_schema(field: dict[str, Any]) -> dict[str, Any]:
    ftype = field.get("type", "string")
    if ftype not in _JSON_TYPES:
        raise SchemaError(f"field {field['name']!r}: type {ftype!r} has no JSON Schema mapping")
    prop: dict[str, Any] = dict(_JSON_TYPES[ftype])
    for key in ("title", "description"):
        if key in field:
            prop[key] = field[key]
    constraints = field.get("constraints", {})
    for key in ("enum", "pattern", "minimum", "maximum", "minLength", "maxLength"):
        if key in constraints:
            if key == "pattern" and "pattern" in prop:
                prop["allOf"] = [{"pattern": prop.pop("pattern")}, {"pattern": constraints[key]}]
            else:
                prop[key] = constraints[key]
    if not constraints.get("required", False):
        if "enum" in prop:
            prop["enum"] = [*prop["enum"], None]
        prop["type"] = [prop["type"], "null"]
    return prop


def json_schema_from_table_schema(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema of one typed row (JSON values: int, bool, ISO date strings, null for empty)."""
    fields = schema["fields"]
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"https://dprk-records.github.io/schemas/json/{name}.json",
        "title": f"{name} row",
        "description": (
            f"Generated from schemas/tables/{name}.json; do not edit. "
            f"{schema.get('description', '')}"
        ).strip(),
        "type": "object",
        "properties": {field["name"]: _field_json_schema(field) for field in fields},
        "required": [field["name"] for field in fields],
        "additionalProperties": False,
    }


def json_schema_for(name: str, root: Path | None = None) -> dict[str, Any]:
    """JSON Schema of one typed row of a registry table."""
    return json_schema_from_table_schema(name, table_schema(name, root))


def render_json(data: Any) -> str:
    """The one JSON formatting used for every generated file: stable keys order, 2 spaces, newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def generated_json_schemas(root: Path | None = None) -> dict[str, str]:
    """File name -> text of every generated JSON Schema under schemas/json/."""
    return {
        f"{name}.json": render_json(json_schema_for(name, root))
        for name in package_meta(root).tables
    }


def stale_json_schemas(root: Path | None = None) -> list[str]:
    """Names of files under schemas/json/ that differ from what the Table Schemas generate."""
    base = root or schemas_dir()
    expected = generated_json_schemas(root)
    stale = []
    for file_name, text in expected.items():
        path = base / "json" / file_name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(file_name)
    extra = {p.name for p in (base / "json").glob("*.json")} - set(expected)
    return sorted(stale + sorted(extra))


def write_json_schemas(root: Path | None = None) -> list[Path]:
    """Regenerate schemas/json/ from schemas/tables/; returns the files written."""
    base = root or schemas_dir()
    out = base / "json"
    out.mkdir(exist_ok=True)
    expected = generated_json_schemas(root)
    for stale in out.glob("*.json"):
        if stale.name not in expected:
            stale.unlink()
    written = []
    for file_name, text in expected.items():
        path = out / file_name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
