"""The table registry: Table Schemas under schemas/tables/ are the single source of truth.

Everything else that describes a table -- the resource schemas inside datapackage.json, the JSON
Schemas under schemas/json/, the row dataclasses (src/dprk_records/pipeline/rows.py), the CSV
column order -- is derived from (or checked against) these files, so a field is defined in exactly
one place.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
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

# Table Schema field type -> the Python type of a typed value in a row dataclass.
_PYTHON_TYPES: dict[str, str] = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "date": "dt.date",
    "year": "int",
}

# the generated row dataclasses, relative to the dprk_records package
ROWS_MODULE = Path("pipeline") / "rows.py"


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


def field_schema(table: str, name: str, root: Path | None = None) -> dict[str, Any]:
    """One field of a table's Table Schema."""
    for field in table_schema(table, root)["fields"]:
        if field["name"] == name:
            return field
    raise SchemaError(f"schemas/tables/{table}.json has no field {name!r}")


def field_enum(table: str, name: str, root: Path | None = None) -> tuple[str, ...]:
    """The values a field allows (its ``constraints.enum``), so code never lists them again."""
    enum = field_schema(table, name, root).get("constraints", {}).get("enum")
    if not isinstance(enum, list):
        raise SchemaError(f"schemas/tables/{table}.json: field {name!r} has no enum")
    return tuple(enum)


def references_to(target: str, root: Path | None = None) -> list[tuple[str, str]]:
    """(table, field) of every single-field foreign key to ``target``, in registry order."""
    found = []
    for table, schema in table_schemas(root).items():
        for foreign_key in schema.get("foreignKeys", []):
            columns = _key_list(foreign_key["fields"])
            resource = foreign_key["reference"].get("resource") or table  # "" is the table itself
            if resource == target and len(columns) == 1:
                found.append((table, columns[0]))
    return found


def referencing_fields(target: str, root: Path | None = None) -> frozenset[str]:
    """Names of the fields, in any table, that are foreign keys to ``target`` or its own primary
    key: the columns whose values are ids of ``target``'s rows."""
    own = _key_list(table_schema(target, root).get("primaryKey"))
    return frozenset(own + [field for _, field in references_to(target, root)])


def _key_list(value: str | list[str] | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def in_table_order(tables: Iterable[str], root: Path | None = None) -> tuple[str, ...]:
    """``tables`` in the registry's table order; a name the registry lacks is an error, so a
    module's list of the tables it reads fails loudly when a table is renamed or dropped."""
    wanted = set(tables)
    unknown = wanted - set(package_meta(root).tables)
    if unknown:
        raise SchemaError(f"not tables of the registry: {sorted(unknown)}")
    return tuple(name for name in package_meta(root).tables if name in wanted)


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
    """The one JSON formatting used for every generated file: stable keys order, 2 spaces, newline.

    A flat dict (text keys; text, whole-number, boolean or null values) is rendered here, in the
    same bytes: :func:`json.dumps` makes indented output in pure Python, and a build renders
    three such dicts for every document of the descriptor
    (:class:`~dprk_records.pipeline.describe.DescriptorWriter`), a third of that time here.
    """
    if type(data) is dict and data:
        plain = _PLAIN_JSON
        try:
            lines = ",\n  ".join(
                f"{_json_text(key)}: {plain[type(value)](value)}" for key, value in data.items()
            )
        except (KeyError, TypeError):  # a value that is not plain, or a key that is not text
            pass
        else:
            return "{\n  " + lines + "\n}\n"
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


_json_text: Callable[[str], str] = json.encoder.encode_basestring  # as ensure_ascii=False does
_PLAIN_JSON: dict[type, Callable[[Any], str]] = {
    str: _json_text,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
}


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


def stale_generated_files() -> list[str]:
    """Every file the code's registry generates that is out of date: schemas/json/*.json and
    pipeline/rows.py, named from the checkout (``dprk-records schemas --check`` lists them)."""
    stale = [f"schemas/json/{name}" for name in stale_json_schemas()]
    if stale_rows_module():
        rows, checkout = rows_module_path(), schemas_dir().parent
        stale.append(
            rows.relative_to(checkout).as_posix() if rows.is_relative_to(checkout) else str(rows)
        )
    return stale


def write_json_schemas(root: Path | None = None) -> list[Path]:
    """Regenerate schemas/json/ from schemas/tables/ (of ``root``, else the code's registry);
    returns the files written."""
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
        _write_generated(path, text)
        written.append(path)
    return written


def write_generated_files() -> list[Path]:
    """Regenerate everything the code's registry generates: schemas/json/ and pipeline/rows.py
    (the row types follow the code's own registry only, never another checkout's)."""
    return [*write_json_schemas(), write_rows_module()]


def _write_generated(path: Path, text: str) -> None:
    """The one writer of generated files: atomic, so an interrupted run never leaves a
    half-written schema or rows.py for the next build to import."""
    from dprk_records.base.atomic import write_file

    write_file(path, text.encode("utf-8"))


# Row dataclasses (src/dprk_records/pipeline/rows.py) ----------------------------------------

_ROWS_HEADER = '''# generated from schemas/tables by `dprk-records schemas`; do not edit
"""Typed row shapes, one frozen keyword-only dataclass per table of the registry.

Field names, order, types and optionality are those of schemas/tables/TABLE.json (a field that is
not ``constraints.required`` may be None). Rows are ordered like tuples of their fields, in
schema order.
"""

from __future__ import annotations

{imports}
from dprk_records.schemas import check_row_types
'''

_ROWS_FOOTER = '''

def check_rows_match_schemas() -> None:
    """Raise SchemaError when schemas/tables changed since this file was generated (a build
    must not write rows whose shape the schemas no longer describe)."""
    check_row_types(ROW_TYPES)
'''


def row_class_name(table: str) -> str:
    """The row dataclass of a table: its name in the singular, CamelCase, plus "Row"
    ("person_names" -> "PersonNameRow", "speeches" -> "SpeechRow")."""
    words = table.split("_")
    last = words[-1]
    if last.endswith(("ches", "shes", "sses", "xes")):
        words[-1] = last[:-2]
    elif last.endswith("s"):
        words[-1] = last[:-1]
    return "".join(word.capitalize() for word in words) + "Row"


def row_annotation(field: Mapping[str, Any]) -> str:
    """The Python annotation of a field's typed value: None allowed unless it is required."""
    ftype = field.get("type", "string")
    if ftype not in _PYTHON_TYPES:
        raise SchemaError(f"field {field['name']!r}: type {ftype!r} has no Python mapping")
    required = field.get("constraints", {}).get("required", False)
    return _PYTHON_TYPES[ftype] if required else f"{_PYTHON_TYPES[ftype]} | None"


def rows_source(root: Path | None = None) -> str:
    """The text of pipeline/rows.py that the Table Schemas generate (ruff-format clean)."""
    schemas = table_schemas(root)
    annotations = [row_annotation(f) for schema in schemas.values() for f in schema["fields"]]
    uses_dates = any(a.startswith("dt.") for a in annotations)
    imports = "import datetime as dt\nfrom dataclasses import dataclass\n"
    parts = [_ROWS_HEADER.format(imports=imports if uses_dates else imports.split("\n", 1)[1])]
    for table, schema in schemas.items():
        lines = ["", "", "@dataclass(frozen=True, kw_only=True, order=True)"]
        lines.append(f"class {row_class_name(table)}:")
        lines += [*_row_docstring(table, schema), ""]
        lines += [f"    {f['name']}: {row_annotation(f)}" for f in schema["fields"]]
        parts.append("\n".join(lines) + "\n")
    entries = "".join(f'    "{table}": {row_class_name(table)},\n' for table in schemas)
    parts.append(f"\n\nROW_TYPES: dict[str, type] = {{\n{entries}}}\n")
    parts.append(_ROWS_FOOTER)
    return "".join(parts)


def _row_docstring(table: str, schema: Mapping[str, Any]) -> list[str]:
    """The class docstring of a row type: the table's own description, so that what a row means
    is read where the row is made, wrapped to the project's line length."""
    text = f"A row of ``{table}``. {schema.get('description', '')}".strip()
    lines = textwrap.wrap(text, width=100, initial_indent='    """', subsequent_indent="    ")
    if len(lines[-1]) + 3 <= 100:
        lines[-1] += '"""'
    else:
        lines.append('    """')
    return lines


def rows_module_path() -> Path:
    """Where the generated row dataclasses live (next to this module, in a checkout or a wheel)."""
    return Path(__file__).resolve().parent / ROWS_MODULE


def stale_rows_module() -> bool:
    """Whether pipeline/rows.py differs from what the Table Schemas generate."""
    path = rows_module_path()
    return not path.is_file() or path.read_text(encoding="utf-8") != rows_source()


def write_rows_module() -> Path:
    """Regenerate pipeline/rows.py from schemas/tables/; returns its path."""
    path = rows_module_path()
    _write_generated(path, rows_source())
    return path


def row_type_problems(row_type: type, schema: Mapping[str, Any]) -> list[str]:
    """How a row dataclass differs from a Table Schema: field names, order, types, optionality."""
    ours = [(f.name, f.type if isinstance(f.type, str) else None) for f in fields(row_type)]
    theirs = [(f["name"], row_annotation(f)) for f in schema["fields"]]
    if ours == theirs:
        return []
    return [f"{row_type.__name__} has fields {ours}, but the Table Schema declares {theirs}"]


def check_row_types(
    row_types: Mapping[str, type], schemas: Mapping[str, Mapping[str, Any]] | None = None
) -> None:
    """Raise SchemaError unless ``row_types`` are exactly the tables of the registry (or of
    ``schemas``), each with its Table Schema's fields."""
    schemas = table_schemas() if schemas is None else schemas
    problems = []
    if list(row_types) != list(schemas):
        problems.append(f"row types for {list(row_types)}, registry tables {list(schemas)}")
    for table, row_type in row_types.items():
        if table in schemas:
            problems += row_type_problems(row_type, schemas[table])
    if problems:
        raise SchemaError(
            "; ".join(problems) + "; pipeline/rows.py is stale, run `dprk-records schemas`"
        )
