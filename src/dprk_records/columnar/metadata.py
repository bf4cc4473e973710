"""What a Parquet file of a table carries besides its columns: the Table Schema and pandas'
dtypes, as key-value metadata.

Parquet has types but no keys, so each file carries its whole Table Schema (fields, primaryKey,
foreignKeys) as JSON under :data:`SCHEMA_KEY`, and a ``pandas`` entry naming nullable dtypes,
so ``pandas.read_parquet`` gives ``Int64`` / ``Float64`` / ``boolean`` / ``string`` columns
rather than float64 and object. Dates are Parquet DATE (date32), read by pandas as
``datetime.date`` objects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dprk_records.columnar.arrowschema import arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa

SCHEMA_KEY = b"dprk_records.table_schema"
"""Parquet key-value metadata holding the table's Table Schema as JSON."""

PANDAS_TYPES = {
    "string": ("unicode", "string"),
    "integer": ("int64", "Int64"),
    "year": ("int32", "Int32"),
    "number": ("float64", "Float64"),
    "boolean": ("bool", "boolean"),
    "date": ("date", "object"),
}
"""Table Schema type -> (pandas_type, numpy_type) of pandas' Parquet metadata."""


def pandas_metadata(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The ``pandas`` metadata entry that makes pandas read each column with a nullable dtype
    (the form pyarrow writes for a DataFrame, with no index)."""
    columns = []
    for field in schema["fields"]:
        pandas_type, numpy_type = PANDAS_TYPES.get(
            field.get("type", "string"), ("unicode", "string")
        )
        columns.append(
            {
                "name": field["name"],
                "field_name": field["name"],
                "pandas_type": pandas_type,
                "numpy_type": numpy_type,
                "metadata": None,
            }
        )
    return {
        "index_columns": [],
        "column_indexes": [],
        "columns": columns,
        "creator": {"library": "dprk-records"},
        "pandas_version": "2.0.0",
    }


def schema_metadata(schema: Mapping[str, Any]) -> dict[bytes, bytes]:
    """The key-value metadata of a table's Parquet file (sorted keys: the same bytes each time)."""
    return {
        SCHEMA_KEY: json.dumps(schema, sort_keys=True, ensure_ascii=False).encode("utf-8"),
        b"pandas": json.dumps(pandas_metadata(schema), sort_keys=True).encode("utf-8"),
    }


def parquet_schema(schema: Mapping[str, Any]) -> pa.Schema:
    """The Arrow schema of a table's Parquet file: :func:`arrow_schema` with its metadata."""
    return arrow_schema(schema).with_metadata(schema_metadata(schema))
