"""Typed columns of a package table -> a pyarrow Table whose schema comes from the Table Schema.

The DuckDB export loads these tables and the Parquet export writes them, so both get the
schema's types (:data:`ARROW_TYPES`) rather than types inferred from values: a column of whole
numbers declared ``number`` is float64, an all-empty date column is date32. pyarrow is an
optional extra (``dprk-records[sql]``); this module imports it only inside its functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dprk_records.loader.errors import ExportError, MissingExtraError
from dprk_records.loader.relations import primary_key

if TYPE_CHECKING:
    import pyarrow as pa

    from dprk_records.loader.package import Package

ARROW_TYPES = {
    "string": "string",
    "integer": "int64",
    "number": "float64",
    "boolean": "bool_",
    "date": "date32",
    "year": "int32",
}
"""Table Schema type -> name of the pyarrow type factory; any other type is a string column."""


def import_pyarrow() -> Any:
    """Import pyarrow, or say which extra to install."""
    try:
        import pyarrow
    except ImportError as exc:
        raise MissingExtraError(
            "exporting to DuckDB or Parquet needs pyarrow, which is not installed. "
            'Install it with: pip install "dprk-records[sql]" '
            "(or export to SQLite, which needs nothing else)."
        ) from exc
    return pyarrow


def arrow_type(field: Mapping[str, Any]) -> pa.DataType:
    """The pyarrow type of a Table Schema field."""
    pyarrow = import_pyarrow()
    return getattr(pyarrow, ARROW_TYPES.get(field.get("type", "string"), "string"))()


def nullable(field: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    """Whether the field may be empty: not required and not part of the primary key."""
    required = (field.get("constraints") or {}).get("required")
    return not required and field["name"] not in primary_key(schema)


def arrow_schema(schema: Mapping[str, Any]) -> pa.Schema:
    """The pyarrow schema of a table: one field per Table Schema field, in order."""
    pyarrow = import_pyarrow()
    return pyarrow.schema(
        [
            pyarrow.field(f["name"], arrow_type(f), nullable=nullable(f, schema))
            for f in schema["fields"]
        ]
    )


def as_text(value: Any) -> str | None:
    """A value of a type the exporter keeps as text (datetime, time, any...), as text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def arrow_table(package: Package, name: str) -> pa.Table:
    """Table *name* of *package* with its schema's types, rows in CSV order.

    Raises ExportError naming the field when a value does not fit its type (an integer past
    64 bits, say): the export stops rather than store something else.
    """
    pyarrow = import_pyarrow()
    schema = package.schema(name)
    target = arrow_schema(schema)
    columns = package.columns(name)
    arrays = []
    for field in schema["fields"]:
        values = columns[field["name"]]
        if field.get("type", "string") not in ARROW_TYPES:
            values = [as_text(v) for v in values]
        try:
            arrays.append(pyarrow.array(values, type=target.field(field["name"]).type))
        except (pyarrow.ArrowException, OverflowError, TypeError, ValueError) as exc:
            raise ExportError(
                f"table {name}, field {field['name']!r}: a value does not fit its "
                f"{field.get('type', 'string')} column ({exc})"
            ) from exc
    return pyarrow.Table.from_arrays(arrays, schema=target)
