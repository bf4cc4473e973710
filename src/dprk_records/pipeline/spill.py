"""Holding a build's rows and facts on disk, so its memory does not grow with the corpus.

A large build makes tens of millions of rows and must write each table sorted by its primary
key. :class:`SpilledTable` keeps a table's rows as CSV lines with their sort key (a row's line
is rendered where the row is made, on a worker for most rows, and one string is far smaller to
hold, pickle and load than a list of cells); when it is told
to (:class:`TableSpills` keeps at most :data:`ROWS_IN_MEMORY` rows of all tables in memory) or
past :data:`RUN_ROWS` of its own, it sorts them and writes them to a run file, and at the end it
merges the runs (an external merge sort; every :data:`MAX_RUNS` runs are merged into one on the
way, so the files open at once stay few). :class:`FactSpill` keeps each document's facts in a
file between resolve's two passes.

Both live in a temporary folder the build makes outside the package and removes when it ends.
The order is the one :func:`dprk_records.pipeline.tables.sort_rows` gives in memory: runs are
sorted stably and merged with ties taken from the earlier run, as one stable sort would.
"""

from __future__ import annotations

import heapq
import itertools
import pickle
from array import array
from collections.abc import Iterable, Iterator, Mapping
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from dprk_records.base.hashing import HashingWriter
from dprk_records.pipeline.csvformat import render_cells, render_line
from dprk_records.pipeline.describe import FileDigest
from dprk_records.pipeline.extract.facts import DocumentFacts
from dprk_records.pipeline.tables import row_functions
from dprk_records.schemas import field_names

RUN_ROWS = 100_000
"""Rows of one table held in memory before they are sorted and written out as a run."""

ROWS_IN_MEMORY = 50_000
"""Rows of all tables together held in memory (some 20-40 MB): past it, :class:`TableSpills`
writes out the tables holding the most until half of it is left."""

MAX_RUNS = 64
"""Runs of one table merged at once: when a table has this many, they are merged into one, so a
build of any size keeps a bounded number of files open."""

PICKLED_ROWS = 2_000
"""Rows pickled at a time in a run file: few enough calls, small enough pieces to read back."""

WRITE_ROWS = 5_000
"""Rows written at a time when a table is written."""

_KEY = itemgetter(0)


class _Writer(Protocol):
    def write(self, data: bytes, /) -> int: ...


Keyed = tuple[tuple[Any, ...], str]
"""A row as a spilled table holds it: its sort key and its CSV line."""


def keyed_rows(name: str, rows: Iterable[Any]) -> list[Keyed]:
    """Typed rows of table ``name`` as (sort key, CSV line): what a worker makes of its
    document's rows, so that the build takes them in without formatting them again."""
    return list(_keyed(name, rows))


def _keyed(name: str, rows: Iterable[Any]) -> Iterator[Keyed]:
    key, cells = row_functions(name)
    return ((key(row), render_line(cells(row))) for row in rows)


class SpilledTable:
    """One table's rows, sorted by primary key when read back, whatever order they came in."""

    def __init__(self, name: str, folder: Path, run_rows: int | None = None) -> None:
        self.name = name
        self.columns = field_names(name)
        self._spilled = 0
        self._files = 0
        self._folder = folder
        self._run_rows = RUN_ROWS if run_rows is None else run_rows
        self._buffer: list[Keyed] = []
        self._runs: list[Path] = []

    def add(self, rows: Iterable[Any]) -> None:
        """Take in typed rows of this table (row dataclasses)."""
        self.add_keyed(_keyed(self.name, rows))

    def add_keyed(self, rows: Iterable[Keyed]) -> None:
        """Take in rows already made into (sort key, CSV line) by :func:`keyed_rows`."""
        buffer = self._buffer
        for row in rows:
            buffer.append(row)
            if len(buffer) >= self._run_rows:
                self._spill()

    @property
    def rows(self) -> int:
        """How many rows the table has taken in."""
        return self._spilled + len(self._buffer)

    @property
    def buffered(self) -> int:
        """How many of its rows are in memory."""
        return len(self._buffer)

    def spill(self) -> None:
        """Write the rows in memory out as a run (nothing when there are none)."""
        if self._buffer:
            self._spill()

    def _spill(self) -> None:
        """Sort the rows in memory and write them out as one run."""
        self._buffer.sort(key=_KEY)
        path = self._folder / f"{self.name}.{self._files}.pickle"
        self._files += 1
        with open(path, "wb") as out:
            for start in range(0, len(self._buffer), PICKLED_ROWS):
                pickle.dump(self._buffer[start : start + PICKLED_ROWS], out, protocol=5)
        self._runs.append(path)
        self._spilled += len(self._buffer)
        self._buffer.clear()  # in place: add() holds a reference to this list
        if len(self._runs) >= MAX_RUNS:
            self._merge_runs()

    def _merge_runs(self) -> None:
        """Merge every run into one (the rows keep their order: ties stay in run order)."""
        path = self._folder / f"{self.name}.{self._files}.pickle"
        self._files += 1
        merged = heapq.merge(*(_read_run(run) for run in self._runs), key=_KEY)
        with open(path, "wb") as out:
            for chunk in iter(lambda: list(itertools.islice(merged, PICKLED_ROWS)), []):
                pickle.dump(chunk, out, protocol=5)
        for run in self._runs:
            run.unlink()
        self._runs = [path]

    def sorted_lines(self) -> Iterator[str]:
        """Every row's CSV line in primary-key order (once: runs are read as they are merged)."""
        if not self._runs:
            self._buffer.sort(key=_KEY)
            yield from map(itemgetter(1), self._buffer)
            return
        if self._buffer:
            self._spill()
        merged = heapq.merge(*(_read_run(path) for path in self._runs), key=_KEY)
        yield from map(itemgetter(1), merged)

    def write_csv(self, out: _Writer) -> None:
        """Write the table as the package's CSV (header first) to a binary file."""
        out.write(render_cells([self.columns]).encode("utf-8"))
        lines = self.sorted_lines()
        for batch in iter(lambda: list(itertools.islice(lines, WRITE_ROWS)), []):
            out.write("".join(batch).encode("utf-8"))


def _read_run(path: Path) -> Iterator[Keyed]:
    with open(path, "rb") as run:
        while True:
            try:
                rows = pickle.load(run)
            except EOFError:
                return
            yield from rows


def pickled_facts(facts: DocumentFacts) -> bytes:
    """A document's facts as :class:`FactSpill` keeps them (a worker makes this, so the build
    writes the bytes it is sent without unpickling and pickling them again)."""
    return pickle.dumps(facts, protocol=5)


class FactSpill:
    """Each document's facts, in the order they were put, kept in one file until read back, each
    with what else pass two needs of that document alone (``extra``: a pickle of resolve's
    :class:`~dprk_records.pipeline.resolve.DocumentEvents`), so that none of it stays in
    memory between the passes."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._out: BinaryIO | None = open(path, "wb")  # noqa: SIM115 -- closed by close()
        self._in: BinaryIO | None = None
        self._splits = array("Q")  # where each document's facts end and its extra begins
        self._ends = array("Q")  # where each document's record ends

    @property
    def documents(self) -> int:
        """How many documents' facts it holds."""
        return len(self._ends)

    def append(self, facts: DocumentFacts | bytes, extra: bytes = b"") -> None:
        """Keep one document's facts -- the object, or its pickle (:func:`pickled_facts`) --
        and its ``extra`` bytes."""
        if self._out is None:
            raise ValueError(f"{self._path}: facts are appended before they are read back")
        pickled = facts if isinstance(facts, bytes) else pickled_facts(facts)
        self._out.write(pickled)
        self._out.write(extra)
        start = self._ends[-1] if self._ends else 0
        self._splits.append(start + len(pickled))
        self._ends.append(start + len(pickled) + len(extra))

    def _read(self, start: int, end: int) -> bytes:
        """Bytes ``start:end`` of the file; reading back ends appending."""
        if self._out is not None:
            self._out.close()
            self._out = None
        if self._in is None:
            self._in = open(self._path, "rb")  # noqa: SIM115 -- closed by close()
        self._in.seek(start)
        return self._in.read(end - start)

    def pickle_at(self, index: int) -> bytes:
        """The facts of the ``index``-th document appended, as the pickle they were kept as
        (for a worker to load)."""
        return self._read(self._ends[index - 1] if index else 0, self._splits[index])

    def extra_at(self, index: int) -> bytes:
        """The ``extra`` bytes of the ``index``-th document appended."""
        return self._read(self._splits[index], self._ends[index])

    def __iter__(self) -> Iterator[DocumentFacts]:
        for index in range(self.documents):
            yield pickle.loads(self.pickle_at(index))

    def close(self) -> None:
        for handle in (self._out, self._in):
            if handle is not None:
                handle.close()
        self._out = self._in = None


class TableSpills:
    """A :class:`SpilledTable` for every table of the package, in one temporary folder, with
    at most :data:`ROWS_IN_MEMORY` rows in memory across them."""

    def __init__(self, names: Iterable[str], folder: Path) -> None:
        self.tables = {name: SpilledTable(name, folder) for name in names}

    def add(self, rows: Mapping[str, Iterable[Any]]) -> None:
        """Take in typed rows by table name."""
        for name, table_rows in rows.items():
            self.tables[name].add(table_rows)
        self._keep_budget()

    def add_keyed(self, rows: Mapping[str, Iterable[Keyed]]) -> None:
        """Take in rows made by :func:`keyed_rows`, by table name."""
        for name, table_rows in rows.items():
            self.tables[name].add_keyed(table_rows)
        self._keep_budget()

    def _keep_budget(self) -> None:
        if sum(table.buffered for table in self.tables.values()) > ROWS_IN_MEMORY:
            for table in sorted(self.tables.values(), key=lambda t: -t.buffered):
                table.spill()
                if sum(t.buffered for t in self.tables.values()) <= ROWS_IN_MEMORY // 2:
                    break

    def write(self, name: str, path: Path) -> FileDigest:
        """Write table ``name`` as the CSV file ``path`` (made here) and return its digest."""
        with open(path, "wb") as out:
            hashing = HashingWriter(out)
            self.tables[name].write_csv(hashing)
        return FileDigest(hashing.size, hashing.hexdigest())
