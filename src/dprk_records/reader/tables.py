"""A table resource's CSV, parsed two ways: strictly for the loader, leniently for the gate.

Strict (:func:`csv_records`): the resource's dialect and encoding are honoured, a row with more
or fewer cells than the header is a PackageError naming the file and row, so a user never gets
a shifted column. Lenient (:func:`json_rows`): every row is kept as the CSV module reads it,
extra cells under ``_extra_cells`` and missing ones empty, each cell made JSON-ready, so that
the gate can report every problem of a broken table instead of stopping at the first.

The gate streams a table (:func:`streamed_chunks`, a chunk of rows at a time, after one
:func:`survey_table` pass has found it readable): it never holds a whole table, so its memory
does not grow with the package.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from dprk_records.base.fileguard import UnsafeFileError
from dprk_records.errors import PackageError
from dprk_records.reader.cells import json_column

EXTRA_CELLS = "_extra_cells"  # where a lenient row keeps cells beyond the header


def csv_records(
    data: bytes, resource: dict[str, Any], file: Path, name: str
) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a table's bytes as strings, every row as wide as the header."""
    encoding = resource.get("encoding", "utf-8")
    try:
        text = data.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise PackageError(f"{file}: not valid {encoding} text ({exc})") from exc
    dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
    try:
        rows = list(
            csv.reader(
                io.StringIO(text, newline=""),
                delimiter=dialect.get("delimiter", ","),
                quotechar=dialect.get("quoteChar", '"'),
                doublequote=dialect.get("doubleQuote", True),
                escapechar=dialect.get("escapeChar"),
                skipinitialspace=dialect.get("skipInitialSpace", False),
                strict=True,
            )
        )
    except csv.Error as exc:
        raise PackageError(f"{file}: table {name} is not well-formed CSV ({exc})") from exc
    if not rows:
        raise PackageError(f"{file}: table {name} is empty (not even a header row)")
    header, body = rows[0], rows[1:]
    width = len(header)
    for number, row in enumerate(body, start=1):
        if len(row) != width:
            raise PackageError(
                f"{file}, data row {number}: {len(row)} cells where the header has {width}"
            )
    return header, body


CHUNK_ROWS = 20_000
"""Rows cast at a time when a table is streamed: big enough that the column-wise casting pays,
small enough that a chunk is a few megabytes whatever the size of the table."""


def _cast_rows(
    header: list[str],
    body: list[list[str]],
    types: dict[str, str],
    missing: frozenset[str],
    fields: Sequence[str] | None,
) -> list[dict[str, Any]]:
    """Data rows (blank ones already skipped) as DictReader would give them, cast a column at a
    time; with ``fields``, only those columns, and no ``_extra_cells``."""
    width = len(header)
    extras: dict[int, list[str]] = {}
    for index, row in enumerate(body):
        if len(row) > width:
            extras[index], body[index] = row[width:], row[:width]
        elif len(row) < width:
            body[index] = row + [""] * (width - len(row))
    if fields is not None:
        where = {key: index for index, key in enumerate(header)}  # a repeated name: its last
        keys = [key for key in dict.fromkeys(fields) if key in where]
        if not keys:
            return [{} for _ in body]
        columns = [
            json_column([row[where[key]] for row in body], types.get(key, "string"), missing)
            for key in keys
        ]
        return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]
    columns = [
        json_column(cells, types.get(key, "string"), missing)
        for key, cells in zip(header, zip(*body, strict=True), strict=True)
    ]
    records = [dict(zip(header, values, strict=True)) for values in zip(*columns, strict=True)]
    if not header:  # a blank first line: every cell is an extra one
        records = [{} for _ in body]
    for index, cells in extras.items():
        records[index][EXTRA_CELLS] = cells
    return records


def json_row_chunks(
    handle: TextIO,
    schema: dict[str, Any],
    fields: Sequence[str] | None = None,
    size: int | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """The rows of a table's text (an open text file, or a StringIO), ``size`` (default
    :data:`CHUNK_ROWS`) data rows at a time, each as :func:`json_rows` gives it (or only
    ``fields`` of it).

    A table is never held whole: the gate reads tables of hundreds of megabytes. A malformed
    row raises csv.Error when its chunk is read, after the chunks before it were given.
    """
    types = {f["name"]: f.get("type", "string") for f in schema.get("fields", [])}
    missing = frozenset(schema.get("missingValues", [""]))
    size = size or CHUNK_ROWS
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        return
    while True:
        raw = list(itertools.islice(reader, size))
        if not raw:
            return
        body = [row for row in raw if row]
        if body:
            yield _cast_rows(header, body, types, missing, fields)


def json_rows(text: str, schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of a table's text, cells cast by the schema's field types (JSON-ready).

    The rows are what :class:`csv.DictReader` gives (blank lines skipped, a short row's missing
    cells empty, a long row's extra cells under ``_extra_cells``), but cast a column at a time
    (:func:`~dprk_records.reader.cells.json_column`): the gate reads every cell of a package.
    """
    with io.StringIO(text, newline="") as handle:
        return [row for chunk in json_row_chunks(handle, schema) for row in chunk]


def lenient_table(
    read: Callable[[str], bytes], resource: dict[str, Any]
) -> tuple[list[dict[str, Any]], str | None]:
    """A table resource's rows read with ``read`` (relative path -> bytes, refusing what may not
    be opened), and why they could not be read: ``([], reason)`` instead of an exception, since
    a broken table is something the gate reports, not a reason to stop reading the package."""
    relative = str(resource.get("path", ""))
    try:
        text = read(relative).decode("utf-8")
        return json_rows(text, _schema_of(resource)), None
    except (UnsafeFileError, OSError, UnicodeDecodeError, csv.Error) as exc:
        return [], _read_problem(relative, exc)


def _schema_of(resource: dict[str, Any]) -> dict[str, Any]:
    schema = resource.get("schema", {})
    return schema if isinstance(schema, dict) else {}


def _read_problem(relative: str, exc: Exception) -> str:
    """Why a table's file could not be read, worded as :func:`lenient_table` words it."""
    if isinstance(exc, UnsafeFileError):
        return f"{relative}: {exc.reason}"
    return f"{Path(relative).name}: {exc}"


def streamed_chunks(
    open_binary: Callable[[str], BinaryIO],
    resource: dict[str, Any],
    fields: Sequence[str] | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """A table resource's rows, a chunk at a time, from the file ``open_binary`` opens (relative
    path -> binary file, refusing what may not be opened). Errors are raised, not kept: the gate
    surveys a table (:func:`survey_table`) before it streams it."""
    relative = str(resource.get("path", ""))
    with (
        open_binary(relative) as binary,
        io.TextIOWrapper(binary, encoding="utf-8", newline="") as handle,
    ):
        yield from json_row_chunks(handle, _schema_of(resource), fields)


@dataclass(frozen=True)
class TableSurvey:
    """What one streaming pass over a table found, before any check reads it.

    ``problem`` is why the file cannot be read whole (then the table counts as empty, as
    :func:`lenient_table` has it); ``by_document`` whether its rows come in document order
    (non-decreasing ``str(document_id)``), so a check can take them a document at a time.
    """

    problem: str | None
    rows: int
    by_document: bool


def survey_table(open_binary: Callable[[str], BinaryIO], resource: dict[str, Any]) -> TableSurvey:
    """Read a table once, keeping only its document ids' order: whether it can be read whole,
    how many rows it has, and whether they are grouped by document in sorted order."""
    relative = str(resource.get("path", ""))
    rows, ordered, last = 0, True, ""
    try:
        for chunk in streamed_chunks(open_binary, resource, ["document_id"]):
            rows += len(chunk)
            keys = [str(row.get("document_id")) for row in chunk]
            ordered = ordered and last <= keys[0] and all(map(operator.le, keys, keys[1:]))
            last = keys[-1]
    except (UnsafeFileError, OSError, UnicodeDecodeError, csv.Error) as exc:
        return TableSurvey(_read_problem(relative, exc), 0, False)
    return TableSurvey(None, rows, ordered)
