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

Most rows of a keyed table come a document at a time, and their ids start with their document's
(a figure's id is its document's slug and its offset): the documents' rows come in key order
already. So a document's rows come as :class:`KeyedRows` -- sorted among themselves, rendered
as one text, their keys pickled apart -- and while each document's first key is not below the
last key taken, the table only appends its text to a file (its "ordered head"): no key is
loaded, no row sorted or merged. The first rows out of that order end the head; they and all
that follow take the sorting path, and the head is merged in as the earliest run.

Both live in a temporary folder the build makes outside the package and removes when it ends.
The order is the one :func:`dprk_records.pipeline.tables.sort_rows` gives in memory: runs are
sorted stably and merged with ties taken from the earlier run, as one stable sort would.
"""

from __future__ import annotations

import heapq
import itertools
import pickle
import struct
from array import array
from collections.abc import Iterable, Iterator, Mapping
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, Protocol

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

WRITE_BYTES = 1 << 20
"""Bytes copied at a time from an ordered head's text."""

_KEY = itemgetter(0)
_LENGTH = struct.Struct("<QQ")  # a document's bytes of an ordered head's text and of its keys


class _Writer(Protocol):
    def write(self, data: bytes, /) -> int: ...


Keyed = tuple[tuple[Any, ...], str]
"""A row as a spilled table holds it: its sort key and its CSV line."""


HEAD_FLUSH = 1 << 20
"""Characters of an ordered head's text held before they are written to its file."""


class KeyedRows(NamedTuple):
    """One document's rows of a table keyed by an id of its own, sorted by key: their CSV text
    (the lines one after another), the first and last key, and every key with its line's length,
    pickled (:meth:`pairs`): loaded only when the rows must be sorted among others."""

    rows: int
    first: tuple[Any, ...]
    last: tuple[Any, ...]
    text: str
    keys: bytes

    def pairs(self) -> list[Keyed]:
        """The rows as (sort key, CSV line), in key order."""
        return _split(self.text, self.keys)


def _split(text: str, keys: bytes) -> list[Keyed]:
    """A document's rows as (sort key, CSV line), from its text and its pickled keys and line
    lengths (:class:`KeyedRows`)."""
    row_keys, lengths = pickle.loads(keys)
    pairs = []
    at = 0
    for key, length in zip(row_keys, lengths, strict=True):
        pairs.append((key, text[at : at + length]))
        at += length
    return pairs


def keyed_rows(name: str, rows: Iterable[Any]) -> KeyedRows:
    """Typed rows of table ``name``, all of one document, as :class:`KeyedRows`: what a worker
    makes of its document's rows, so that the build takes them in without formatting or
    sorting them again."""
    pairs = sorted(_keyed(name, rows), key=_KEY)
    if not pairs:
        return KeyedRows(0, (), (), "", b"")
    keys = [key for key, _ in pairs]
    lengths = [len(line) for _, line in pairs]
    return KeyedRows(
        len(pairs),
        keys[0],
        keys[-1],
        "".join(line for _, line in pairs),
        pickle.dumps((keys, lengths), protocol=5),
    )


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
        self._head = _OrderedHead(folder / f"{name}.head.csv", folder / f"{name}.head.keys")

    def add(self, rows: Iterable[Any]) -> None:
        """Take in typed rows of this table (row dataclasses)."""
        self._add_pairs(_keyed(self.name, rows))

    def add_document(self, rows: KeyedRows) -> bool:
        """Take in one document's rows as :func:`keyed_rows` made them; whether any of them
        went into memory (the rest go straight to a file)."""
        if not rows.rows:
            return False
        head = self._head
        if head.open and (not head.rows or rows.first >= head.last):
            head.append(rows)
            return False
        self._add_pairs(rows.pairs())
        return True

    def _add_pairs(self, rows: Iterable[Keyed]) -> None:
        # (the head holds only rows that came before any of the runs': merged first, it keeps
        # the order of ties)
        self._head.open = False
        buffer = self._buffer
        for row in rows:
            buffer.append(row)
            if len(buffer) >= self._run_rows:
                self._spill()

    @property
    def rows(self) -> int:
        """How many rows the table has taken in."""
        return self._head.rows + self._spilled + len(self._buffer)

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
        head = self._head if self._head.rows else None
        if head is not None:
            head.close()
        if not self._runs and head is None:
            self._buffer.sort(key=_KEY)
            yield from map(itemgetter(1), self._buffer)
            return
        if self._buffer:
            self._spill()
        runs = [head.pairs()] if head is not None else []
        runs += [_read_run(path) for path in self._runs]
        merged = heapq.merge(*runs, key=_KEY)
        yield from map(itemgetter(1), merged)

    def write_csv(self, out: _Writer) -> None:
        """Write the table as the package's CSV (header first) to a binary file."""
        out.write(render_cells([self.columns]).encode("utf-8"))
        head = self._head
        if head.rows and not self._runs and not self._buffer:
            head.copy_text(out)  # (every row came in order: the head is the table)
            return
        lines = self.sorted_lines()
        for batch in iter(lambda: list(itertools.islice(lines, WRITE_ROWS)), []):
            out.write("".join(batch).encode("utf-8"))


class _OrderedHead:
    """The rows a :class:`SpilledTable` took in key order, before any out of it: their text in
    one file, their keys (pickled as :class:`KeyedRows` holds them) in another, read back only
    when runs must be merged with them."""

    def __init__(self, text_path: Path, keys_path: Path) -> None:
        self._text_path = text_path
        self._keys_path = keys_path
        self.open = True  # while rows may still join it
        self.rows = 0
        self.last: tuple[Any, ...] = ()
        self._text: list[str] = []
        self._keys: list[bytes] = []
        self._held = 0
        self._written = False

    def append(self, rows: KeyedRows) -> None:
        self._text.append(rows.text)
        self._keys.append(rows.keys)
        self.rows += rows.rows
        self.last = rows.last
        self._held += len(rows.text)
        if self._held >= HEAD_FLUSH:
            self._flush()

    def _flush(self) -> None:
        mode = "ab" if self._written else "wb"
        with open(self._text_path, mode) as text, open(self._keys_path, mode) as keys:
            for document_text, document_keys in zip(self._text, self._keys, strict=True):
                data = document_text.encode("utf-8")
                text.write(data)
                keys.write(_LENGTH.pack(len(data), len(document_keys)))
                keys.write(document_keys)
        self._written = True
        self._text.clear()
        self._keys.clear()
        self._held = 0

    def close(self) -> None:
        """No more rows: everything to the files."""
        self.open = False
        if self._text or not self._written:
            self._flush()

    def copy_text(self, out: _Writer) -> None:
        """Write the head's text (every row's line, in order) to ``out``."""
        self.close()
        with open(self._text_path, "rb") as text:
            for chunk in iter(lambda: text.read(WRITE_BYTES), b""):
                out.write(chunk)

    def pairs(self) -> Iterator[Keyed]:
        """Every row as (sort key, CSV line), in order."""
        self.close()
        with open(self._text_path, "rb") as text, open(self._keys_path, "rb") as keys:
            while head := keys.read(_LENGTH.size):
                text_length, keys_length = _LENGTH.unpack(head)
                yield from _split(text.read(text_length).decode("utf-8"), keys.read(keys_length))


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

    def add_documents(self, rows: Mapping[str, KeyedRows]) -> None:
        """Take in one document's rows made by :func:`keyed_rows`, by table name."""
        buffered = False
        for name, table_rows in rows.items():
            buffered |= self.tables[name].add_document(table_rows)
        if buffered:  # (rows in order go to their table's file, none into memory)
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
