"""Table Schema -> Arrow schema: the one typing of a table's columns.

Types come from the schema, never from values: a column of whole numbers declared ``number`` is
float64, an all-empty date column is date32, and a field that is required or part of the primary
key is a non-nullable Arrow field. Table Schema types without an Arrow counterpart here
(datetime, time, any...) are string columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dprk_records.errors import MissingExtraError

if TYPE_CHECKING:
    import pyarrow as pa

ARROW_TYPES = {
    "string": "string",
    "integer": "int64",
    "number": "float64",
    "boolean": "bool_",
    "date": "date32",
    "year": "int32",
}
"""Table Schema type -> name of the pyarrow type factory; any other type is a string column."""

SQL_EXTRA = 'pip install "dprk-records[sql]"'
"""The command that installs pyarrow (and DuckDB) with dprk-records."""


def require_pyarrow(purpose: str = "writing Parquet", alternative: str = "") -> Any:
    """Import pyarrow, or raise MissingExtraError saying that *purpose* needs the sql extra
    (and, in parentheses, the *alternative* that does not)."""
    try:
        import pyarrow
    except ImportError as exc:
        raise MissingExtraError(
            f"{purpose} needs pyarrow, which is not installed. Install it with: {SQL_EXTRA}"
            + (f" ({alternative})." if alternative else "")
        ) from exc
    return pyarrow


def primary_key(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """The schema's primaryKey as a tuple of field names (a single name is allowed)."""
    key = schema.get("primaryKey")
    return (key,) if isinstance(key, str) else tuple(key or ())


def arrow_type(field: Mapping[str, Any]) -> pa.DataType:
    """The pyarrow type of a Table Schema field."""
    pyarrow = require_pyarrow()
    return getattr(pyarrow, ARROW_TYPES.get(field.get("type", "string"), "string"))()


def nullable(field: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    """Whether the field may be empty: not required and not part of the primary key."""
    required = (field.get("constraints") or {}).get("required")
    return not required and field["name"] not in primary_key(schema)


def arrow_schema(schema: Mapping[str, Any]) -> pa.Schema:
    """The pyarrow schema of a table: one field per Table Schema field, in order (no
    metadata; :func:`dprk_records.columnar.metadata.parquet_schema` adds it)."""
    pyarrow = require_pyarrow()
    return pyarrow.schema(
        [
            pyarrow.field(f["name"], arrow_type(f), nullable=nullable(f, schema))
            for f in schema["fields"]
        ]
    )
