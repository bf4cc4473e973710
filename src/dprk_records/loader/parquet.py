"""Writing a package as Parquet: one file per table, typed by its Table Schema.

Parquet has types but no keys, so each file carries its whole Table Schema (fields, primaryKey,
foreignKeys) as JSON under the metadata key :data:`SCHEMA_KEY`, and a ``pandas`` metadata entry
naming nullable dtypes, so ``pandas.read_parquet`` gives ``Int64`` / ``Float64`` / ``boolean`` /
``string`` columns (``list_order`` with gaps stays an integer) rather than float64 and object.
Dates are Parquet DATE (date32), read by pandas as ``datetime.date`` objects.

The bytes depend only on the package and the pyarrow version: no timestamp is written, rows keep
the CSV's order, and every file is a single row group.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dprk_records.loader.arrow import arrow_table, import_pyarrow

if TYPE_CHECKING:
    from dprk_records.loader.package import Package

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


def write_table(package: Package, name: str, file: Path) -> None:
    """Write table *name* of *package* to the Parquet file *file*."""
    import_pyarrow()
    import pyarrow.parquet as pq

    schema = package.schema(name)
    table = arrow_table(package, name)
    metadata = {
        SCHEMA_KEY: json.dumps(schema, sort_keys=True, ensure_ascii=False).encode("utf-8"),
        b"pandas": json.dumps(pandas_metadata(schema), sort_keys=True).encode("utf-8"),
    }
    table = table.replace_schema_metadata(metadata)
    pq.write_table(table, file, row_group_size=max(table.num_rows, 1))


def write_parquet(package: Package, folder: Path) -> list[Path]:
    """Write every table of *package* as ``folder/<table>.parquet`` (*folder* is created and
    must not exist); returns the files in package order."""
    import_pyarrow()
    folder.mkdir()
    files = []
    for name in package.tables:
        file = folder / f"{name}.parquet"
        write_table(package, name, file)
        files.append(file)
    return files
