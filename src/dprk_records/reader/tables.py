"""A table resource's CSV, parsed two ways: strictly for the loader, leniently for the gate.

Strict (:func:`csv_records`): the resource's dialect and encoding are honoured, a row with more
or fewer cells than the header is a PackageError naming the file and row, so a user never gets
a shifted column. Lenient (:func:`json_rows`): every row is kept as the CSV module reads it,
extra cells under ``_extra_cells`` and missing ones empty, each cell made JSON-ready, so that
the gate can report every problem of a broken table instead of stopping at the first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def json_rows(text: str, schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of a table's text, cells cast by the schema's field types (JSON-ready).

    The rows are what :class:`csv.DictReader` gives (blank lines skipped, a short row's missing
    cells empty, a long row's extra cells under ``_extra_cells``), but cast a column at a time
    (:func:`~dprk_records.reader.cells.json_column`): the gate reads every cell of a package.
    """
    types = {f["name"]: f.get("type", "string") for f in schema.get("fields", [])}
    missing = frozenset(schema.get("missingValues", [""]))
    with io.StringIO(text, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return []
        body = [row for row in reader if row]
    if not body:
        return []
    width = len(header)
    extras: dict[int, list[str]] = {}
    for index, row in enumerate(body):
        if len(row) > width:
            extras[index], body[index] = row[width:], row[:width]
        elif len(row) < width:
            body[index] = row + [""] * (width - len(row))
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


def lenient_table(
    read: Callable[[str], bytes], resource: dict[str, Any]
) -> tuple[list[dict[str, Any]], str | None]:
    """A table resource's rows read with ``read`` (relative path -> bytes, refusing what may not
    be opened), and why they could not be read: ``([], reason)`` instead of an exception, since
    a broken table is something the gate reports, not a reason to stop reading the package."""
    relative = str(resource.get("path", ""))
    schema = resource.get("schema", {})
    try:
        text = read(relative).decode("utf-8")
        return json_rows(text, schema if isinstance(schema, dict) else {}), None
    except UnsafeFileError as exc:
        return [], f"{relative}: {exc.reason}"
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return [], f"{Path(relative).name}: {exc}"
