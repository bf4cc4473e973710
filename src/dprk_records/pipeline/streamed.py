"""Tables written straight into the package a document at a time, never spilled or merged.

A table whose primary key starts with ``document_id`` (paragraphs, positions, participations,
...: :func:`~dprk_records.pipeline.tables.document_ordered`) sorts as its documents do. A build
takes documents in document-id order, so each document's rows of such a table, sorted among
themselves, are the next stretch of the table's file: :class:`StreamedTable` appends them as
they come and hashes the file as it grows. Most of a package's bytes (the paragraphs above all)
go this way; only the tables keyed by an id of their own are sorted through a
:class:`~dprk_records.pipeline.spill.SpilledTable`.

The rows of a document are rendered where they are made (:func:`rendered_rows`): the text
tables' on the worker that analysed the document, so that rendering the largest table is spread
over every core. A stretch is the bytes the whole table renders there, because
:func:`~dprk_records.pipeline.csvformat.render_cells` writes each row the same whatever rows
are around it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from dprk_records.base.hashing import HashingWriter
from dprk_records.pipeline.csvformat import render_cells
from dprk_records.pipeline.describe import FileDigest
from dprk_records.pipeline.spill import KeyedRows, keyed_rows
from dprk_records.pipeline.tables import document_ordered, row_functions
from dprk_records.schemas import field_names


@dataclass(frozen=True)
class RenderedRows:
    """One document's rows of one table as the table's CSV lines, in primary-key order."""

    rows: int
    text: str


def rendered_rows(table: str, rows: Iterable[Any]) -> RenderedRows:
    """Typed rows of ``table``, all of one document, sorted and rendered as CSV."""
    key, cells = row_functions(table)
    ordered = sorted(rows, key=key)
    return RenderedRows(len(ordered), render_cells([cells(row) for row in ordered]))


@dataclass(frozen=True)
class StoredRows:
    """One document's rows of one table as the package being replaced holds them: the same
    bytes a build would render again (:mod:`~dprk_records.pipeline.journal`)."""

    rows: int
    data: bytes


TableRows = RenderedRows | StoredRows | KeyedRows
"""One document's rows of one table as a build takes them in (:func:`build_rows`)."""


def build_rows(table: str, rows: list[Any]) -> TableRows:
    """One document's typed rows of ``table`` in the form a build takes them in: rendered when
    the table is written as documents come, else keyed for its spill."""
    return rendered_rows(table, rows) if document_ordered(table) else keyed_rows(table, rows)


class DocumentOrderError(RuntimeError):
    """A :class:`StreamedTable` was given documents out of order: a bug in the caller."""


class StreamedTable:
    """A document-ordered table's CSV file in the package, written as documents come."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        self.rows = 0
        self._last_document = ""
        self._file: BinaryIO | None = open(path, "wb")  # noqa: SIM115 -- closed by close()
        self._out = HashingWriter(self._file)
        self._out.write(render_cells([field_names(name)]).encode("utf-8"))

    def add(self, document_id: str, rendered: RenderedRows | StoredRows) -> StoredRows:
        """Append one document's rows; documents come in id order, each at most once. Gives
        them as written (the journal records their length and CRC-32)."""
        if document_id <= self._last_document:
            raise DocumentOrderError(
                f"{self.name}: rows of {document_id} come after those of {self._last_document}"
            )
        if self._file is None:
            raise DocumentOrderError(f"{self.name}: rows of {document_id} come after the end")
        self._last_document = document_id
        if not rendered.rows:
            return StoredRows(0, b"")
        data = rendered.data if isinstance(rendered, StoredRows) else rendered.text.encode()
        self._out.write(data)
        self.rows += rendered.rows
        return StoredRows(rendered.rows, data)

    def close(self) -> FileDigest:
        """End the file and give its digest."""
        if self._file is not None:
            self._file.close()
            self._file = None
        return FileDigest(self._out.size, self._out.hexdigest())

    def abandon(self) -> None:
        """Close the file without ending it (the build failed; the staging folder goes)."""
        if self._file is not None:
            self._file.close()
            self._file = None
