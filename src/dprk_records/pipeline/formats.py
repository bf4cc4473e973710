"""The formats a build writes its tables in: CSV always, Parquet on request.

``dprk-records build --format csv,parquet`` (``build(..., formats=("csv", "parquet"))``) writes
``data/<table>.parquet`` beside each ``data/<table>.csv``, converted from the CSV by
:mod:`dprk_records.columnar.fromcsv` (typed by the Table Schema, the same bytes for the same
CSV), and the descriptor gets one resource per Parquet file
(:func:`~dprk_records.pipeline.describe.parquet_resource`). The default is CSV alone, so the
committed package does not depend on the pyarrow version.

The conversion works from a CSV's bytes (:func:`add_parquet_files`, the in-memory build) or
from a CSV file on disk (:func:`write_parquet_beside`, for a build that writes its tables into
the staging folder first); both give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from dprk_records.base.fileguard import UnsafeFileError, read_regular
from dprk_records.base.hashing import file_sha256
from dprk_records.columnar.arrowschema import require_pyarrow
from dprk_records.columnar.fromcsv import csv_to_parquet, parquet_bytes
from dprk_records.columnar.resources import parquet_resources
from dprk_records.errors import BuildError
from dprk_records.pipeline.describe import TABLE_DIALECT, FileDigest, resource_schema

FORMATS = ("csv", "parquet")
"""Every format a build can write, in the order a format list is normalized to."""
DEFAULT_FORMATS = ("csv",)


def parse_formats(value: str | Iterable[str]) -> tuple[str, ...]:
    """A format list (``"csv,parquet"`` or a sequence) checked and in :data:`FORMATS` order.

    Raises BuildError for an unknown format, or for a list without csv: the CSV tables are the
    package, every other format is a copy of them.
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    formats = {item.strip().lower() for item in items if item.strip()}
    unknown = sorted(formats - set(FORMATS))
    if unknown:
        raise BuildError(
            f"unknown table format {', '.join(map(repr, unknown))}; choose from "
            f"{', '.join(FORMATS)} (e.g. --format csv,parquet)"
        )
    if "csv" not in formats:
        raise BuildError(
            "the csv format is always built (the CSV tables are the package; other formats are "
            "copies of them): give e.g. --format csv,parquet"
        )
    return tuple(f for f in FORMATS if f in formats)


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """:func:`parse_formats`, and a MissingExtraError naming the extra when Parquet is asked
    for without pyarrow: called before a build reads or writes anything."""
    checked = parse_formats(formats)
    if "parquet" in checked:
        require_pyarrow("building Parquet tables (--format parquet)")
    return checked


def parquet_path(table: str) -> str:
    """The package-relative path of a table's Parquet file."""
    return f"data/{table}.parquet"


def parquet_file(csv: bytes, table: str) -> bytes:
    """The bytes of a table's Parquet file, from the bytes of its CSV."""
    where = f"data/{table}.csv"
    return parquet_bytes(csv, resource_schema(table), TABLE_DIALECT, where=where)


def add_parquet_files(files: dict[str, bytes], tables: Iterable[str]) -> dict[str, FileDigest]:
    """Add ``data/<table>.parquet`` to *files* (package path -> bytes, holding each table's
    ``data/<table>.csv``) for every table; returns table -> digest of its Parquet file, for
    the descriptor (:meth:`~dprk_records.pipeline.describe.DescriptorWriter.write`)."""
    digests = {}
    for table in tables:
        data = parquet_file(files[f"data/{table}.csv"], table)
        files[parquet_path(table)] = data
        digests[table] = FileDigest.of(data)
    return digests


def write_parquet_beside(csv_file: Path, table: str) -> FileDigest:
    """Convert a table's CSV file on disk (``<folder>/data/<table>.csv`` of a package being
    written) into ``<table>.parquet`` beside it, streaming in bounded memory; returns the
    digest of the Parquet file for the descriptor. The bytes are :func:`parquet_file`'s for
    the same CSV."""
    target = csv_file.with_name(f"{table}.parquet")
    csv_to_parquet(csv_file, target, resource_schema(table), TABLE_DIALECT)
    return FileDigest(target.stat().st_size, file_sha256(target))


def package_formats(folder: Path) -> tuple[str, ...]:
    """The formats an existing package folder was built with (``build --check`` rebuilds it
    with them): parquet when its descriptor names a Parquet resource or data/ holds a Parquet
    file; csv alone otherwise, or when there is no readable package there."""
    try:
        descriptor = json.loads(read_regular(folder / "datapackage.json"))
    except (OSError, UnsafeFileError, ValueError, RecursionError):
        descriptor = {}
    if not isinstance(descriptor, dict):
        descriptor = {}
    data = folder / "data"
    files = data.is_dir() and any(p.suffix == ".parquet" for p in data.iterdir())
    return FORMATS if parquet_resources(descriptor) or files else DEFAULT_FORMATS
