"""Writing a package as Parquet: one file per table, typed by its Table Schema.

Parquet has types but no keys, so each file carries its whole Table Schema (fields, primaryKey,
foreignKeys) as JSON under the metadata key :data:`SCHEMA_KEY`, and a ``pandas`` metadata entry
naming nullable dtypes, so ``pandas.read_parquet`` gives ``Int64`` / ``Float64`` / ``boolean`` /
``string`` columns (``list_order`` with gaps stays an integer) rather than float64 and object.
Dates are Parquet DATE (date32), read by pandas as ``datetime.date`` objects.

The metadata and the writer are :mod:`dprk_records.columnar`'s, the ones a build uses for its
``data/<table>.parquet`` resources, so an export of a table and the build's Parquet file of it
are the same bytes. The bytes depend only on the package and the pyarrow version: no timestamp
is written, rows keep the CSV's order, and row groups have a fixed number of rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from dprk_records.columnar.arrowschema import arrow_schema
from dprk_records.columnar.metadata import (
    PANDAS_TYPES,
    SCHEMA_KEY,
    pandas_metadata,
    schema_metadata,
)
from dprk_records.columnar.parquetfile import write_arrow_table
from dprk_records.loader.arrow import arrow_table, import_pyarrow

if TYPE_CHECKING:
    import pandas as pd

    from dprk_records.loader.package import Package

__all__ = [
    "PANDAS_TYPES",
    "SCHEMA_KEY",
    "frame_from_parquet",
    "pandas_metadata",
    "write_parquet",
    "write_table",
]


def write_table(package: Package, name: str, file: Path) -> None:
    """Write table *name* of *package* to the Parquet file *file*."""
    import_pyarrow()
    table = arrow_table(package, name)
    table = table.replace_schema_metadata(schema_metadata(package.schema(name)))
    write_arrow_table(table, str(file))


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


def frame_from_parquet(data: bytes, schema: dict[str, Any]) -> pd.DataFrame | None:
    """A table's DataFrame from the bytes of its Parquet copy (``build --format csv,parquet``),
    in exactly the dtypes :func:`~dprk_records.loader.dataframe.frame_from_columns` gives for
    its CSV: Int64 (years too), Float64, boolean, string, dates as datetime64.

    None -- read the CSV instead -- unless every column has the Arrow type and nullability its
    Table Schema gives (:func:`~dprk_records.columnar.arrowschema.arrow_schema`) and is one of
    those types, and no number is NaN (pandas' Float64 reads a NaN from a list as missing, from
    Arrow as NaN). The values themselves are the CSV's: the gate checks every Parquet copy
    against its CSV, and the caller has checked these bytes against the descriptor's hash.
    """
    pyarrow = import_pyarrow()
    import pyarrow.parquet as pq

    from dprk_records.loader.dataframe import PANDAS_DTYPES, frame_from_arrow

    fields = schema["fields"]
    if any(f.get("type", "string") not in {*PANDAS_DTYPES, "date"} for f in fields):
        return None
    try:
        table = pq.read_table(pyarrow.BufferReader(data))
    except (pyarrow.ArrowException, OSError, ValueError):
        return None
    if not table.schema.remove_metadata().equals(arrow_schema(schema)):
        return None
    return frame_from_arrow(table, fields)
