"""Typed columns of a package table -> a pyarrow Table whose schema comes from the Table Schema.

The DuckDB export loads these tables and the Parquet export writes them, so both get the
schema's types rather than types inferred from values. The typing itself (:data:`ARROW_TYPES`,
:func:`arrow_schema`) lives in :mod:`dprk_records.columnar.arrowschema`, shared with the build's
Parquet resources, and is re-exported here. pyarrow is an optional extra (``dprk-records[sql]``);
this module imports it only inside its functions.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dprk_records.columnar.arrowschema import (
    ARROW_TYPES,
    arrow_schema,
    arrow_type,
    nullable,
    require_pyarrow,
)
from dprk_records.loader.errors import ExportError

if TYPE_CHECKING:
    import pyarrow as pa

    from dprk_records.loader.package import Package

__all__ = [
    "ARROW_TYPES",
    "arrow_schema",
    "arrow_table",
    "arrow_type",
    "as_text",
    "import_pyarrow",
    "nullable",
]


def import_pyarrow() -> Any:
    """Import pyarrow, or say which extra to install."""
    return require_pyarrow(
        "exporting to DuckDB or Parquet", "or export to SQLite, which needs nothing else"
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
