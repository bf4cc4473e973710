"""A table's CSV -> its Parquet file, typed by its Table Schema, never by guessing.

pyarrow's CSV reader is given every column's type (:func:`~.arrowschema.arrow_schema`), the
schema's missing values as the only null spellings (for strings too: an empty cell is null,
which is what the package's CSV means by it, :mod:`dprk_records.pipeline.csvformat`), the
Table Schema's default boolean spellings, and the resource's dialect. The CSV is read in blocks
and written in fixed row groups (:mod:`.parquetfile`), so a file of any size converts in
bounded memory, and the output depends on the CSV's bytes alone: the same CSV gives the same
Parquet bytes, rows in CSV order. The loader's export of the same table gives the same Arrow
table and the same bytes (``tests/test_build_parquet.py``).

A CSV the converter cannot read exactly as the loader would raises ParquetConversionError
naming the file: a header that is not the schema's fields, a cell that does not parse, an empty
required cell, or a schema or dialect property it does not model (per-field missing values,
custom boolean spellings, group characters, date formats, comment lines...).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dprk_records.columnar.arrowschema import arrow_schema, nullable, require_pyarrow
from dprk_records.columnar.metadata import parquet_schema
from dprk_records.columnar.parquetfile import RowGroupWriter
from dprk_records.errors import ParquetConversionError

if TYPE_CHECKING:
    import pyarrow as pa

BLOCK_SIZE = 1 << 20
"""Bytes of CSV parsed at a time; a row longer than this is retried with larger blocks (the
output does not depend on it)."""
MAX_BLOCK_SIZE = 1 << 31

DEFAULT_MISSING = ("",)
TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")
"""The Table Schema's default boolean spellings, as :mod:`dprk_records.reader.cells` reads them."""

_FIELD_KEYS = frozenset({"name", "type", "title", "description", "constraints", "example"})
_DIALECT_KEYS = frozenset(
    {"header", "delimiter", "lineTerminator", "quoteChar", "doubleQuote", "escapeChar"}
)

Source = Path | bytes


def _where(source: Source, where: str | None) -> str:
    return where or (str(source) if isinstance(source, Path) else "CSV")


def check_convertible(
    schema: Mapping[str, Any], dialect: Mapping[str, Any] | None, where: str
) -> None:
    """Raise ParquetConversionError when the schema or dialect uses something pyarrow's reader
    would read differently from the loader (so the converter never guesses)."""
    for field in schema.get("fields", []):
        extra = sorted(set(field) - _FIELD_KEYS)
        if field.get("format") in (None, "default"):
            extra = [key for key in extra if key != "format"]
        if extra:
            raise ParquetConversionError(
                f"{where}: field {field.get('name')!r} uses {', '.join(extra)}, which the "
                "Parquet converter does not model"
            )
    missing = schema.get("missingValues", list(DEFAULT_MISSING))
    if not all(isinstance(value, str) for value in missing):
        raise ParquetConversionError(f"{where}: missingValues with notes are not supported")
    dialect = dict(dialect or {})
    extra = sorted(set(dialect) - _DIALECT_KEYS - {"skipInitialSpace"})
    if extra or dialect.get("skipInitialSpace") or dialect.get("header", True) is not True:
        raise ParquetConversionError(
            f"{where}: the CSV dialect {dialect} is not one the Parquet converter reads "
            "(it reads a header row, a delimiter, quotes and an escape character)"
        )


def _options(
    schema: Mapping[str, Any], dialect: Mapping[str, Any] | None, block_size: int
) -> tuple[Any, Any, Any]:
    """pyarrow.csv's read, parse and convert options for the table."""
    require_pyarrow("converting a CSV table to Parquet")
    import pyarrow.csv as pa_csv

    dialect = dict(dialect or {})
    target = arrow_schema(schema)
    read = pa_csv.ReadOptions(use_threads=False, block_size=block_size)
    parse = pa_csv.ParseOptions(
        delimiter=dialect.get("delimiter", ","),
        quote_char=dialect.get("quoteChar", '"'),
        double_quote=dialect.get("doubleQuote", True),
        escape_char=dialect.get("escapeChar") or False,
        newlines_in_values=True,
        ignore_empty_lines=False,
    )
    convert = pa_csv.ConvertOptions(
        check_utf8=True,
        column_types={field.name: field.type for field in target},
        null_values=list(schema.get("missingValues", DEFAULT_MISSING)),
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        true_values=list(TRUE_VALUES),
        false_values=list(FALSE_VALUES),
        auto_dict_encode=False,
    )
    return read, parse, convert


def _batches(
    source: Source,
    schema: Mapping[str, Any],
    dialect: Mapping[str, Any] | None,
    where: str,
    block_size: int,
) -> Iterator[pa.RecordBatch]:
    """The CSV's rows as record batches of the table's Arrow schema, in order."""
    pyarrow = require_pyarrow("converting a CSV table to Parquet")
    import pyarrow.csv as pa_csv

    target = arrow_schema(schema)
    names = [field["name"] for field in schema["fields"]]
    required = [f["name"] for f in schema["fields"] if not nullable(f, schema)]
    read, parse, convert = _options(schema, dialect, block_size)
    stream: Any = str(source) if isinstance(source, Path) else pyarrow.BufferReader(source)
    try:
        reader = pa_csv.open_csv(
            stream, read_options=read, parse_options=parse, convert_options=convert
        )
    except pyarrow.ArrowInvalid as exc:
        raise _read_error(where, exc) from None
    if reader.schema.names != names:
        raise ParquetConversionError(
            f"{where}: the CSV header {reader.schema.names} is not the schema's fields {names}"
        )
    offset = 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pyarrow.ArrowInvalid as exc:
            raise _read_error(where, exc) from None
        for name in required:
            column = batch.column(name)
            if column.null_count:
                row = offset + next(i for i, v in enumerate(column.is_null()) if v.as_py()) + 1
                raise ParquetConversionError(
                    f"{where}, data row {row}: required field {name!r} is empty"
                )
        offset += batch.num_rows
        yield pyarrow.RecordBatch.from_arrays(batch.columns, schema=target)


class _BlockTooSmall(Exception):
    """A row is longer than the block size: convert again with larger blocks."""


def _read_error(where: str, exc: Exception) -> Exception:
    """What a pyarrow CSV error means here: a block too small for a row, or a CSV that is not
    what its Table Schema says (pyarrow's message names the column and row)."""
    if "straddl" in str(exc):
        return _BlockTooSmall()
    return ParquetConversionError(f"{where}: not readable as its Table Schema says ({exc})")


def _block_sizes(source: Source) -> Iterator[int]:
    size = BLOCK_SIZE
    total = len(source) if isinstance(source, bytes) else source.stat().st_size
    while True:
        yield size
        if size > total or size >= MAX_BLOCK_SIZE:
            return
        size *= 8


def convert_csv(
    source: Source,
    schema: Mapping[str, Any],
    sink: Any,
    dialect: Mapping[str, Any] | None = None,
    *,
    where: str | None = None,
) -> int:
    """Write the CSV *source* (a path, read in blocks, or the file's bytes) of a table with
    Table Schema *schema* as Parquet to *sink* (a path, or a callable returning a fresh
    writable file for each attempt); returns the number of rows. ``where`` names the CSV in
    errors (default: its path)."""
    where = _where(source, where)
    check_convertible(schema, dialect, where)
    for block_size in _block_sizes(source):
        try:
            target = sink() if callable(sink) else str(sink)
            with RowGroupWriter(target, parquet_schema(schema)) as writer:
                for batch in _batches(source, schema, dialect, where, block_size):
                    writer.write(batch)
            return writer.rows
        except _BlockTooSmall:
            continue
    raise ParquetConversionError(f"{where}: a row is longer than {MAX_BLOCK_SIZE} bytes")


def csv_to_parquet(
    csv_path: Path,
    parquet_path: Path,
    schema: Mapping[str, Any],
    dialect: Mapping[str, Any] | None = None,
) -> int:
    """Convert the CSV file *csv_path* into the Parquet file *parquet_path* (replaced if it
    exists), streaming; returns the number of rows. A conversion that fails removes the
    unfinished file."""
    try:
        return convert_csv(csv_path, schema, parquet_path, dialect)
    except BaseException:
        parquet_path.unlink(missing_ok=True)
        raise


def parquet_bytes(
    csv: bytes,
    schema: Mapping[str, Any],
    dialect: Mapping[str, Any] | None = None,
    *,
    where: str = "CSV",
) -> bytes:
    """The Parquet file, as bytes, of a table whose CSV is *csv*."""
    buffers: list[io.BytesIO] = []

    def fresh() -> io.BytesIO:
        buffers.append(io.BytesIO())
        return buffers[-1]

    convert_csv(csv, schema, fresh, dialect, where=where)
    return buffers[-1].getvalue()


def read_csv_table(
    source: Source,
    schema: Mapping[str, Any],
    dialect: Mapping[str, Any] | None = None,
    *,
    where: str | None = None,
) -> pa.Table:
    """The CSV's rows as one Arrow table typed like its Parquet file (schema without the
    metadata), e.g. to compare a Parquet file's rows with the CSV's."""
    pyarrow = require_pyarrow("reading a CSV table as Arrow")
    where = _where(source, where)
    check_convertible(schema, dialect, where)
    for block_size in _block_sizes(source):
        try:
            batches = list(_batches(source, schema, dialect, where, block_size))
        except _BlockTooSmall:
            continue
        return pyarrow.Table.from_batches(batches, schema=arrow_schema(schema))
    raise ParquetConversionError(f"{where}: a row is longer than {MAX_BLOCK_SIZE} bytes")
