"""``CREATE TABLE`` statements for DuckDB and SQLite, written from a package's Table Schemas.

Every column gets the type its field declares (:data:`COLUMN_TYPES`), so no engine infers one
from the CSV text: ``figures.value`` stays DOUBLE even when every value is whole, an all-empty
date column stays DATE, ``list_order`` an integer column with NULLs. Declared from the schema:

- NOT NULL for ``constraints.required`` and primary-key fields (SQLite does not imply it);
- UNIQUE for ``constraints.unique`` (not repeated on a one-field primary key);
- CHECK (col IN (...)) for ``constraints.enum`` of string and number fields;
- PRIMARY KEY and FOREIGN KEY, self-references included.

SQLite has no BOOLEAN or DATE: booleans are INTEGER with CHECK (col IN (0, 1)), dates ISO
``YYYY-MM-DD`` TEXT with CHECK (col IS date(col)); tables are STRICT where the SQLite library
supports it (3.37+), so a value of another type is refused rather than stored. SQLite checks
foreign keys only on a connection that ran ``PRAGMA foreign_keys = ON``; they are declared all the
same, and checked once after loading (:mod:`.sql`).

Not declared: ``pattern``, ``minLength``/``maxLength`` and ``minimum``/``maximum`` (the package's
own validation checks them; SQLite has no regular expressions), and the enum of a field of any
other type. Pure functions: no engine is imported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from dprk_records.loader.relations import foreign_keys, primary_key

Dialect = Literal["duckdb", "sqlite"]

COLUMN_TYPES: dict[Dialect, dict[str, str]] = {
    "duckdb": {
        "string": "VARCHAR",
        "integer": "BIGINT",
        "number": "DOUBLE",
        "boolean": "BOOLEAN",
        "date": "DATE",
        "year": "INTEGER",
    },
    "sqlite": {
        "string": "TEXT",
        "integer": "INTEGER",
        "number": "REAL",
        "boolean": "INTEGER",
        "date": "TEXT",
        "year": "INTEGER",
    },
}
"""Table Schema type -> column type; any other type (datetime, time, any, object...) is text."""
TEXT: dict[Dialect, str] = {"duckdb": "VARCHAR", "sqlite": "TEXT"}

MARKER_TABLE = "dprk_records_export"
"""The table of (key, value) facts that marks a database as written by the exporter."""


def quote(name: str) -> str:
    """A SQL identifier, double-quoted: column names such as ``end`` are reserved words."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: Any) -> str | None:
    """A SQL literal of an enum value, or None for a value no CHECK can list."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    return None


def column_type(field: Mapping[str, Any], dialect: Dialect) -> str:
    """The column type of a Table Schema field in *dialect* (see :data:`COLUMN_TYPES`)."""
    return COLUMN_TYPES[dialect].get(field.get("type", "string"), TEXT[dialect])


def _checks(field: Mapping[str, Any], dialect: Dialect) -> list[str]:
    name, ftype = quote(field["name"]), field.get("type", "string")
    checks = []
    enum = (field.get("constraints") or {}).get("enum")
    if enum and ftype in ("string", "integer", "number", "year"):
        values = [literal(v) for v in enum]
        if None not in values:
            checks.append(f"CHECK ({name} IN ({', '.join(str(v) for v in values)}))")
    if dialect == "sqlite" and ftype == "boolean":
        checks.append(f"CHECK ({name} IN (0, 1))")
    if dialect == "sqlite" and ftype == "date":
        checks.append(f"CHECK ({name} IS date({name}))")
    return checks


def column_definition(field: Mapping[str, Any], dialect: Dialect, key: tuple[str, ...] = ()) -> str:
    """One column of a CREATE TABLE: name, type, NOT NULL, UNIQUE, CHECKs."""
    constraints = field.get("constraints") or {}
    parts = [quote(field["name"]), column_type(field, dialect)]
    if constraints.get("required") or field["name"] in key:
        parts.append("NOT NULL")
    if constraints.get("unique") and key != (field["name"],):
        parts.append("UNIQUE")
    parts += _checks(field, dialect)
    return " ".join(parts)


def create_table(
    name: str, schema: Mapping[str, Any], dialect: Dialect, *, strict: bool = False
) -> str:
    """The CREATE TABLE statement of table *name* (see the module doc for what it declares)."""
    key = primary_key(schema)
    lines = [column_definition(field, dialect, key) for field in schema["fields"]]
    if key:
        lines.append(f"PRIMARY KEY ({', '.join(map(quote, key))})")
    for fk in foreign_keys(schema, name):
        lines.append(
            f"FOREIGN KEY ({', '.join(map(quote, fk.fields))}) REFERENCES {quote(fk.table)} "
            f"({', '.join(map(quote, fk.reference_fields))})"
        )
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {quote(name)} (\n  {body}\n){' STRICT' if strict else ''}"


def create_marker_table(dialect: Dialect) -> str:
    """The CREATE TABLE of :data:`MARKER_TABLE` (key text primary key, value text)."""
    text = TEXT[dialect]
    return (
        f"CREATE TABLE {quote(MARKER_TABLE)} "
        f"(key {text} NOT NULL PRIMARY KEY, value {text} NOT NULL)"
    )
