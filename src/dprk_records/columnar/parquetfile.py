"""Writing Arrow data as a Parquet file, the same bytes every time.

Every Parquet file dprk-records writes -- a build's ``data/<table>.parquet`` and the loader's
export -- goes through :class:`RowGroupWriter`, so both give the same bytes for the same table
and pyarrow version: no timestamp is written, rows keep their order, the writer options are
fixed (:data:`WRITE_OPTIONS`), and row groups hold exactly :data:`ROW_GROUP_ROWS` rows (the
last one the rest), however the rows arrive. Incoming batches are buffered only up to one row
group, so a table of any length is written in bounded memory.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from dprk_records.columnar.arrowschema import require_pyarrow

if TYPE_CHECKING:
    import pyarrow as pa

ROW_GROUP_ROWS = 65_536
"""Rows per row group: fixed, so the file's layout depends on the row count alone."""

WRITE_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "data_page_size": 1 << 20,
    "store_schema": True,
    "write_page_index": False,
}
"""Every option of pyarrow's writer that shapes the bytes, pinned rather than left to defaults
that may change between pyarrow versions."""


class RowGroupWriter:
    """A Parquet file being written from tables or record batches of one schema.

    Use as a context manager; :meth:`write` takes rows in order, and closing writes the last
    row group and the footer (on an exception the file is closed too, and is the caller's to
    discard).
    """

    def __init__(self, sink: Any, schema: pa.Schema) -> None:
        require_pyarrow()
        import pyarrow.parquet as pq

        self._schema = schema
        self._writer = pq.ParquetWriter(sink, schema, **WRITE_OPTIONS)
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self.rows = 0
        """Rows written so far (buffered ones included)."""

    def __enter__(self) -> RowGroupWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self._writer.close()

    def write(self, data: pa.Table | pa.RecordBatch) -> None:
        """Append rows (columns as the writer's schema, in order)."""
        pyarrow = require_pyarrow()
        table = data if isinstance(data, pyarrow.Table) else pyarrow.Table.from_batches([data])
        if table.num_rows == 0:
            return
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self.rows += table.num_rows
        while self._pending_rows >= ROW_GROUP_ROWS:
            self._flush(ROW_GROUP_ROWS)

    def _flush(self, count: int) -> None:
        """Write the first *count* buffered rows as one row group of contiguous arrays (chunk
        boundaries never reach the file)."""
        pyarrow = require_pyarrow()
        pending = pyarrow.concat_tables(self._pending)
        group = pending.slice(0, count).combine_chunks()
        group = pyarrow.Table.from_arrays(group.columns, schema=self._schema)
        self._writer.write_table(group, row_group_size=count)
        rest = pending.slice(count)
        self._pending = [rest] if rest.num_rows else []
        self._pending_rows = rest.num_rows

    def close(self) -> None:
        """Write the rows still buffered and the footer."""
        if self._pending_rows:
            self._flush(self._pending_rows)
        self._writer.close()


def write_arrow_table(table: pa.Table, sink: Any) -> None:
    """Write a whole Arrow table (schema and metadata as given) to *sink* (a path or a file)."""
    with RowGroupWriter(sink, table.schema) as writer:
        writer.write(table)
