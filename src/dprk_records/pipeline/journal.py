"""The build journal: what a build with the cache wrote down of each document, so that the next
build of the same package takes an unchanged document without reading its cache entries.

A warm build used to read two cache entries a document (its analysis and its pass-two rows,
some 30 KB together), unpickle them, and write every row again: most of the time of adding one
document to a large corpus. The rows of an unchanged document are already in the package being
replaced, byte for byte, as one stretch of each document-ordered table
(:mod:`~dprk_records.pipeline.streamed`); what else a build needs of it is small. So a build
with the cache writes, beside the package, one record a document for each of the two passes:

- a :class:`TextRecord` (pass one): the document's summary and its items of the descriptor,
  what resolve's pass one reads of it (:class:`~dprk_records.pipeline.resolve.Observed`) and
  settles of it, and its :data:`Stretch` of each text table (rows, bytes and their CRC-32);
- a :class:`FactRecord` (pass two): the reads its fact rows were made from, its speeches, its
  rows of the tables keyed by an id of their own (as the spill takes them) and its stretch of
  each document-ordered table of facts.

The next build reads the two files once, front to back, beside its walk through the documents
(both in document-id order, so memory holds one record). A document whose analysis key is the
one written down is taken from its records: its stretches are read from the old package's files
at offsets summed from the lengths before it, its fact rows kept while their reads still hold
(:meth:`~dprk_records.pipeline.resolve.Resolver.still_reads`, as for the rows cache). Pass one
runs over every document, so a document added, changed or taken out anywhere in the order gives
the package a clean build gives; only the work per unchanged document is less. When the journal's
documents are all there unchanged and the new ones come after them in document-id order (the
daily case: an archive growing at its end), pass one goes on from the state kept in the journal
(:meth:`~dprk_records.pipeline.resolve.Resolver.pass_one_state`) and observes only the documents
after it: observing the rest in the same order gives the same state. A build that went on from
that state keeps it as it is while it is behind by a few documents (:data:`REBASE_DOCUMENTS`;
the next build observes those again, from their records) instead of writing its own. Pass two
then goes on too, when it can: the journal also keeps the reads of all its documents' rows put
so that one check covers them all (:func:`~dprk_records.pipeline.resolve.lasting_reads`) and the
speeches pass two folded; when the ids still give every one of those answers, the journal's
rows are kept whole, in order, without loading or checking each document's reads, and only the
new documents' rows are made.

A journal describes one package folder (its folder in the cache is named by the package's
path) as one build left it: its state file holds the stat signatures of the package's
document-ordered tables, of the two record files and of the resolver's state, and the build's
salt (code, schemas, interpreter); each record carries a CRC-32, and so do each stretch and the
resolver's state. Another package there, a
file changed since, other code: the journal is not used. A record or a stretch whose CRC-32
differs, found half-way (:class:`JournalMismatch`): the build starts again without it. The
state is written last, after the package is in place, so a build stopped on the way leaves the
old journal describing files that are gone: unused. Memory holds the state's analysis key of
each document (some 100 bytes a document), never the records.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import struct
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from dprk_records.base.atomic import PendingFile, write_file
from dprk_records.pipeline.analyse import AnalysedDocument, DocumentSummary, facts_of
from dprk_records.pipeline.cache import AnalysisCache
from dprk_records.pipeline.csvformat import render_cells
from dprk_records.pipeline.knownhashes import Signature, text_signature
from dprk_records.pipeline.passtwo import DocumentFactRows
from dprk_records.pipeline.read import SeedEntry
from dprk_records.pipeline.resolve import (
    DocumentEvents,
    Observed,
    PassOneState,
    Resolver,
    lasting_reads,
)
from dprk_records.pipeline.seedlist import SeedList
from dprk_records.pipeline.spill import KeyedRows
from dprk_records.pipeline.streamed import StoredRows, TableRows
from dprk_records.pipeline.tables import document_ordered_tables
from dprk_records.schemas import field_names

JOURNAL_FORMAT = 4
"""Part of every state file: a state of another format is not read."""

STATE_NAME = "state.journal"
TEXTS_NAME = "texts.records"
FACTS_NAME = "facts.records"
RESOLVER_NAME = "resolver.state"
PASS_TWO_NAME = "passtwo.state"
_FILES = (TEXTS_NAME, FACTS_NAME, RESOLVER_NAME, PASS_TWO_NAME)

_HEAD = struct.Struct("<HQI")  # the lengths of a record's document id and pickle, their CRC-32
_MAX_RECORD = 1 << 30
REBASE_DOCUMENTS = 256
"""A build that went on from the journal's state of pass one keeps that state as it is, for the
next build to go on from too, while it is behind by no more than this many documents (each
build observes those again, from their records: some 50 us each); past that it writes its own.
Writing the state costs as much as observing a few thousand documents, and a daily build adds
a few dozen."""
_FLUSH_BYTES = 1 << 20
_READ_BUFFER = 1 << 20


class JournalMismatch(Exception):
    """A journal that looked whole proved not to describe the package it is beside: the build
    starts again without it."""


Stretch = tuple[str, int, int, int]
"""A document's rows of one document-ordered table: (table, rows, bytes, CRC-32 of the bytes),
the check that the old package's file still holds them where they are read."""


class TextRecord(NamedTuple):
    """What pass one of a build needs of one document it takes from the journal."""

    document_id: str
    key: str  # the document's analysis cache key (:meth:`AnalysisCache.key_of`)
    summary: tuple[Any, ...]  # its DocumentSummary's fields, in order (a tuple loads faster)
    observed: bytes  # the pickle of its Observed, loaded only when pass one runs over it
    events: bytes  # the pickle of what pass one settled of it (DocumentEvents)
    items: tuple[str, ...]  # its items of the descriptor (:func:`document_items`)
    stretches: tuple[Stretch, ...]  # of each text table


class FactRecord(NamedTuple):
    """What pass two of a build needs of one document it takes from the journal (its reads and
    speeches pickled apart: a build that keeps every row whole loads neither)."""

    document_id: str
    reads: bytes  # the pickle of the reads its rows were made from (ResolverReads.log)
    speeches: bytes  # the pickle of its speeches (list[SpeechItem])
    keyed: dict[str, KeyedRows]  # its rows of each table keyed by an id of its own
    stretches: tuple[Stretch, ...]  # of each document-ordered table of facts


@dataclass(frozen=True)
class JournaledFactRows(DocumentFactRows):
    """A document's fact rows taken from its journal record, with the record's bytes, which the
    next journal copies when the rows are kept. Rows kept whole (:meth:`Journal.kept_fact_rows`)
    come with no reads and no speeches: nothing checks the one, and the other is taken in with
    everything pass two folded of the documents before (:class:`PassTwoState`)."""

    record: bytes = b""


class PassTwoState(NamedTuple):
    """What pass two of a build left for the next one to go on from: the :func:`~dprk_records.
    pipeline.resolve.lasting_reads` of every document's rows, and the speeches folded."""

    answers: dict[tuple[str, Any], Any]
    speeches: dict[Any, Any]


class _State(NamedTuple):
    format: int
    salt: str
    package: dict[str, Signature]  # data/<table>.csv of each document-ordered table
    records: dict[str, Signature]  # the two record files and the resolver's state
    keys: dict[str, str]  # document id -> analysis key
    resolver_crc: int  # CRC-32 of the resolver's state
    pass_two_crc: int  # CRC-32 of the pass-two state


class Taken(NamedTuple):
    """A document taken from the journal for pass one: as the build takes it in (its text rows
    as the old package holds them, no facts: pass two asks for them if it must make the rows
    again; its Observed only when asked for), its items of the descriptor, what pass one
    settled of it (pickled, as pass two takes it in), and its record's pickle."""

    document: AnalysedDocument
    items: tuple[str, ...]
    events: bytes
    record: bytes


_summary_cells = attrgetter(*(field.name for field in fields(DocumentSummary)))


def _signature(path: Path) -> Signature | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return text_signature(info) if stat.S_ISREG(info.st_mode) else None


def _signatures(paths: Mapping[str, Path]) -> dict[str, Signature] | None:
    found = {}
    for name, path in paths.items():
        signature = _signature(path)
        if signature is None:
            return None
        found[name] = signature
    return found


def _table_paths(package: Path) -> dict[str, Path]:
    return {name: package / "data" / f"{name}.csv" for name in document_ordered_tables()}


class _RecordReader:
    """Length-prefixed pickles read front to back, each loaded or only skipped."""

    def __init__(self, path: Path) -> None:
        self._file: BinaryIO = open(path, "rb")  # noqa: SIM115 -- closed by close()

    def next(self) -> tuple[str, bytes] | None:
        """The next record's document id and pickle; None after the last."""
        head = self._file.read(_HEAD.size)
        if not head:
            return None
        if len(head) != _HEAD.size:
            raise JournalMismatch("a record cut short")
        id_length, length, crc = _HEAD.unpack(head)
        if length > _MAX_RECORD:
            raise JournalMismatch("a record's length is not one")
        data = self._file.read(id_length + length)
        if len(data) != id_length + length:
            raise JournalMismatch("a record cut short")
        if zlib.crc32(data) != crc:
            raise JournalMismatch("a record damaged")
        try:
            document_id = data[:id_length].decode("utf-8")
        except UnicodeDecodeError:
            raise JournalMismatch("a record's document id is not text") from None
        return document_id, data[id_length:]

    def close(self) -> None:
        self._file.close()


def _load(data: bytes, kind: type) -> Any:
    """The pickle ``data``: a ``kind``, or for a NamedTuple ``kind`` a tuple of its length."""
    try:
        value = pickle.loads(data)
    except Exception as exc:  # any failure to unpickle is a journal not to use
        raise JournalMismatch(f"a record that does not load ({exc})") from None
    fields = getattr(kind, "_fields", None)
    if fields is None:
        shaped = isinstance(value, kind)
    else:
        shaped = isinstance(value, tuple) and len(value) == len(fields)
    if not shaped:
        raise JournalMismatch("a record of another shape")
    return value


class _OldTable:
    """A document-ordered table of the package being replaced, read one stretch at a time in
    the order of its records."""

    def __init__(self, path: Path, name: str) -> None:
        # (a large buffer: the stretches are read in file order, a few KB each)
        self._file: BinaryIO = open(path, "rb", buffering=_READ_BUFFER)  # noqa: SIM115
        header = render_cells([field_names(name)]).encode("utf-8")
        if self._file.read(len(header)) != header:
            raise JournalMismatch(f"{path}: not the header this code writes")
        self.offset = len(header)
        self._at = self.offset  # where the file is

    def skip(self, length: int) -> None:
        self.offset += length

    def read(self, document_id: str, stretch: Stretch) -> StoredRows:
        _, rows, length, crc = stretch
        if self._at != self.offset:  # (a skip: seeking drops the buffer, so only then)
            self._file.seek(self.offset)
        data = self._file.read(length)
        self.offset += length
        self._at = self.offset
        if len(data) != length or zlib.crc32(data) != crc:
            raise JournalMismatch(f"{self._file.name}: not the rows of {document_id} where due")
        return StoredRows(rows, data)

    def close(self) -> None:
        self._file.close()


class Journal:
    """The journal of the package a build replaces, read alongside the build's walk."""

    def __init__(self, folder: Path, previous: Path, state: _State) -> None:
        self.keys = state.keys
        self.last = max(state.keys, default="")
        self._folder = folder
        self.resolver_crc = state.resolver_crc
        self._pass_two_crc = state.pass_two_crc
        self._texts = _RecordReader(folder / TEXTS_NAME)
        self._facts = _RecordReader(folder / FACTS_NAME)
        self._tables = {
            name: _OldTable(path, name) for name, path in _table_paths(previous).items()
        }

    @classmethod
    def open(cls, folder: Path, salt: str, previous: Path) -> Journal | None:
        """The journal in ``folder`` when it describes the package ``previous`` as it is, for a
        build of this ``salt``; else None."""
        try:
            with open(folder / STATE_NAME, "rb") as handle:
                state = _State(*pickle.load(handle))
        except Exception:  # missing, unreadable, damaged, of another shape: no journal
            return None
        if (
            state.format != JOURNAL_FORMAT
            or state.salt != salt
            or _signatures(_table_paths(previous)) != state.package
            or _signatures({name: folder / name for name in _FILES}) != state.records
        ):
            return None
        try:
            return cls(folder, previous, state)
        except (OSError, JournalMismatch):
            return None

    def resolver(self) -> Resolver:
        """A resolver in pass one as the build that wrote the journal left it, all of its
        documents observed."""
        data = self._state(RESOLVER_NAME, self.resolver_crc, "the resolver's state")
        return Resolver.resumed(PassOneState(*_load(data, PassOneState)))

    def pass_two_state(self) -> PassTwoState:
        """What pass two of the build that wrote the journal left (:class:`PassTwoState`)."""
        data = self._state(PASS_TWO_NAME, self._pass_two_crc, "the pass-two state")
        return PassTwoState(*_load(data, PassTwoState))

    def _state(self, name: str, crc: int, what: str) -> bytes:
        """The bytes of the state file ``name``, checked against the CRC-32 the journal's state
        gives it; ``what`` names it in the :class:`JournalMismatch` otherwise."""
        try:
            data = (self._folder / name).read_bytes()
        except OSError as exc:
            raise JournalMismatch(f"{what} cannot be read ({exc})") from None
        if zlib.crc32(data) != crc:
            raise JournalMismatch(f"{what} damaged")
        return data

    def holds(self, document_id: str, key: str) -> bool:
        """Whether the journal has the records of this document analysed under ``key``."""
        return self.keys.get(document_id) == key

    def _next(self, reader: _RecordReader, document_id: str, kind: type[NamedTuple]) -> Any:
        """``document_id``'s record (a ``kind``, as a tuple) and its pickle, skipping the
        records before it (and their stretches of the old tables)."""
        while True:
            found = reader.next()
            if found is None or found[0] > document_id:
                raise JournalMismatch(f"no record of {document_id}")
            value = _load(found[1], kind)
            if found[0] == document_id:
                return value, found[1]
            for table, _, length, _ in value[-1]:
                self._tables[table].skip(length)

    def analysed(self, document_id: str, observe: bool = True) -> Taken:
        """The document as pass one takes it in, its Observed loaded when ``observe``."""
        value, data = self._next(self._texts, document_id, TextRecord)
        record = TextRecord(*value)
        rows: dict[str, TableRows] = {
            stretch[0]: self._tables[stretch[0]].read(document_id, stretch)
            for stretch in record.stretches
        }
        seen = _load(record.observed, Observed) if observe else None
        # (without its Observed only for a resumed pass one, which does not read it)
        summary = DocumentSummary(*record.summary)
        document = AnalysedDocument(summary, rows, b"", seen)  # type: ignore[arg-type]
        return Taken(document, record.items, record.events, data)

    def fact_rows(self, document_id: str) -> JournaledFactRows:
        """The document's fact rows as the old package holds them, with the reads they were
        made from (for the caller to check they still hold)."""
        value, data = self._next(self._facts, document_id, FactRecord)
        record = FactRecord(*value)
        reads = _load(record.reads, dict)
        speeches = _load(record.speeches, list)
        return JournaledFactRows(document_id, self._rows(record), speeches, reads, data)

    def kept_fact_rows(self, held: Set[str]) -> Iterator[JournaledFactRows]:
        """The fact rows of every document of the journal, in order, kept whole: for a build
        whose first documents are the journal's, unchanged, and whose pass two answers every
        read their rows were made from as before (:meth:`~dprk_records.pipeline.resolve.
        Resolver.still_answers`). Their reads and speeches are not loaded. ``held`` are the
        journal's documents as the build found them; records of others, or out of order, are
        a :class:`JournalMismatch`."""
        last = ""
        count = 0
        while (found := self._facts.next()) is not None:
            document_id, data = found
            if document_id <= last or document_id not in held:
                raise JournalMismatch(f"a record of {document_id} out of place")
            record = FactRecord(*_load(data, FactRecord))
            yield JournaledFactRows(document_id, self._rows(record), [], {}, data)
            last = document_id
            count += 1
        if count != len(held):
            raise JournalMismatch(f"records of {count} documents for {len(held)}")

    def _rows(self, record: FactRecord) -> dict[str, TableRows]:
        """A record's rows: its keyed ones, and its stretches read from the old tables."""
        rows: dict[str, TableRows] = dict(record.keyed)
        for stretch in record.stretches:
            rows[stretch[0]] = self._tables[stretch[0]].read(record.document_id, stretch)
        return rows

    def close(self) -> None:
        for handle in (self._texts, self._facts, *self._tables.values()):
            handle.close()


def stretches_of(written: Mapping[str, StoredRows]) -> tuple[Stretch, ...]:
    """The :data:`Stretch` of each document-ordered table a document's rows were ``written``
    to (as the build's tables wrote them)."""
    return tuple(
        (table, rows.rows, len(rows.data), zlib.crc32(rows.data))
        for table, rows in sorted(written.items())
    )


class JournalWriter:
    """The journal of the package a build is writing: records as the build goes, the state
    once the package is in place (:meth:`commit`). A write that fails (disk full, read-only
    folder) drops the journal with one ``warn``-ing, never the build."""

    def __init__(self, folder: Path, salt: str, warn: Callable[[str], None]) -> None:
        self.folder = folder
        self._salt = salt
        self._warn = warn
        folder.parent.mkdir(mode=0o700, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        self._texts = _RecordWriter(folder / TEXTS_NAME)
        try:
            self._facts = _RecordWriter(folder / FACTS_NAME)
        except OSError:
            self._texts.abandon()
            raise
        self._keys: dict[str, str] = {}
        self._package: dict[str, Signature] | None = None
        self._resolver: bytes | None = None
        self._resolver_kept: int | None = None  # the CRC-32 of the old state, kept as it is
        self._answers: dict[tuple[str, Any], Any] = {}
        self._pass_two: bytes | None = None
        self.broken = False

    def _fail(self, exc: OSError) -> None:
        self.abandon()
        forget(self.folder)
        if not self.broken:
            self.broken = True
            self._warn(
                f"cannot write the build journal {self.folder} ({exc.strerror or exc}); the "
                "next build of this package reads its documents from the cache entries instead"
            )

    def text(
        self,
        document: AnalysedDocument,
        key: str,
        items: tuple[str, ...],
        events: bytes,
        written: Mapping[str, StoredRows],
        record: bytes | None = None,
    ) -> None:
        """One document's pass-one record: ``events`` is the pickle of what pass one settled
        of it, its text rows are as ``written`` (``record``: the bytes read from the old
        journal, copied as they are)."""
        if self.broken:
            return
        if record is None:
            made = TextRecord(
                document.summary.document_id,
                key,
                _summary_cells(document.summary),
                pickle.dumps(document.observed, protocol=pickle.HIGHEST_PROTOCOL),
                events,
                items,
                stretches_of(written),
            )
            record = pickle.dumps(tuple(made), protocol=pickle.HIGHEST_PROTOCOL)
        self._keys[document.summary.document_id] = key
        try:
            self._texts.write(document.summary.document_id, record)
        except OSError as exc:
            self._fail(exc)

    def pass_one_ended(self, resolver: Resolver) -> None:
        """Keep the state of pass one (every document observed, before the entity rows)."""
        if not self.broken:
            state = resolver.pass_one_state()
            self._resolver = pickle.dumps(tuple(state), protocol=pickle.HIGHEST_PROTOCOL)

    def keep_resolver(self, crc: int) -> None:
        """Keep the old journal's state of pass one (its CRC-32 ``crc``) as this journal's:
        the next build goes on from it and observes again the documents after it."""
        self._resolver_kept = crc

    def answers_from(self, answers: dict[tuple[str, Any], Any]) -> None:
        """Start from the lasting reads of documents whose records are copied whole (their
        :meth:`facts` are given no events)."""
        self._answers = answers

    def facts(
        self,
        done: DocumentFactRows,
        written: Mapping[str, StoredRows],
        events: DocumentEvents | None,
    ) -> None:
        """One document's pass-two record, its rows of the document-ordered tables as
        ``written``; ``events`` is what pass one settled of it, for the lasting reads of its
        rows (None: they are among those :meth:`answers_from` gave)."""
        if self.broken:
            return
        if events is not None:
            self._answers.update(lasting_reads(done.reads, events))
        if isinstance(done, JournaledFactRows):
            record = done.record
        else:
            keyed = {t: r for t, r in done.rows.items() if isinstance(r, KeyedRows)}
            made = FactRecord(
                done.document_id,
                pickle.dumps(done.reads, protocol=pickle.HIGHEST_PROTOCOL),
                pickle.dumps(done.speeches, protocol=pickle.HIGHEST_PROTOCOL),
                keyed,
                stretches_of(written),
            )
            record = pickle.dumps(tuple(made), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._facts.write(done.document_id, record)
        except OSError as exc:
            self._fail(exc)

    def pass_two_ended(self, resolver: Resolver) -> None:
        """Keep the state of pass two (every document's rows made or kept)."""
        if not self.broken:
            state = PassTwoState(self._answers, resolver.speeches_taken())
            self._pass_two = pickle.dumps(tuple(state), protocol=pickle.HIGHEST_PROTOCOL)
            self._answers = {}

    def package_written(self, staging: Path) -> None:
        """Take the signatures of the package's tables as written (before the folder is moved
        into place, which keeps them: a build that replaces it meanwhile makes other files)."""
        self._package = _signatures(_table_paths(staging))

    def commit(self) -> None:
        """Put the records and then the state in place (the package must be in place)."""
        if self.broken:
            return
        kept = self._resolver_kept
        if (
            self._package is None
            or self._pass_two is None
            or (self._resolver is None and kept is None)
        ):
            # (the build did not get that far: no journal, no warning)
            self.abandon()
            forget(self.folder)
            return
        try:
            self._texts.commit()
            self._facts.commit()
            if self._resolver is not None:
                write_file(self.folder / RESOLVER_NAME, self._resolver, mode=0o600, durable=False)
                kept = zlib.crc32(self._resolver)
            assert kept is not None  # (one or the other, checked above)
            write_file(self.folder / PASS_TWO_NAME, self._pass_two, mode=0o600, durable=False)
            records = _signatures({name: self.folder / name for name in _FILES})
            if records is None:
                raise FileNotFoundError("a file of the journal is gone")
            state = _State(
                JOURNAL_FORMAT,
                self._salt,
                self._package,
                records,
                self._keys,
                kept,
                zlib.crc32(self._pass_two),
            )
            write_file(
                self.folder / STATE_NAME,
                pickle.dumps(tuple(state), protocol=pickle.HIGHEST_PROTOCOL),
                mode=0o600,
                durable=False,
            )
        except OSError as exc:
            self._fail(exc)

    def abandon(self) -> None:
        """Remove the records not yet in place."""
        self._texts.abandon()
        self._facts.abandon()


class _RecordWriter:
    """Records written to a :class:`PendingFile` a megabyte at a time."""

    def __init__(self, path: Path) -> None:
        self._file = PendingFile(path, mode=0o600, durable=False)
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, document_id: str, record: bytes) -> None:
        name = document_id.encode("utf-8")
        crc = zlib.crc32(record, zlib.crc32(name))
        self._pending += (_HEAD.pack(len(name), len(record), crc), name, record)
        self._size += len(record)
        if self._size >= _FLUSH_BYTES:
            self._flush()

    def _flush(self) -> None:
        self._file.write(b"".join(self._pending))
        self._pending.clear()
        self._size = 0

    def commit(self) -> None:
        self._flush()
        self._file.commit()

    def abandon(self) -> None:
        self._file.abandon()


def forget(folder: Path) -> None:
    """Remove a journal: its state first (records without it are never read), then them."""
    for name in (STATE_NAME, *_FILES):
        with contextlib.suppress(OSError):
            os.unlink(folder / name)


class JournalFirst:
    """Where pass two takes kept rows from when a journal is open: a document the journal holds
    from its record, any other from the rows cache (if any). Reads like an
    :class:`~dprk_records.pipeline.cache.AnalysisCache` to
    :func:`~dprk_records.pipeline.pool.cached_map`."""

    def __init__(self, journal: Journal, held: set[str], rows_cache: AnalysisCache | None) -> None:
        self._journal = journal
        self._held = held
        self._rows_cache = rows_cache
        self.hits = 0
        self.misses = 0

    def contains(self, entry: SeedEntry) -> bool:
        if entry.document_id in self._held:
            return True
        return self._rows_cache is not None and self._rows_cache.contains(entry)

    def get(self, entry: SeedEntry) -> Any | None:
        if entry.document_id in self._held:
            return self._journal.fact_rows(entry.document_id)
        return None if self._rows_cache is None else self._rows_cache.get(entry)

    def put(self, entry: SeedEntry, value: Any) -> None:
        if self._rows_cache is not None:
            self._rows_cache.put(entry, value)


class JournalUse:
    """What one build does with journals: ``reader``, the journal of the package it replaces
    (None: none to use), and ``writer``, the journal of the package it writes (None: none is
    kept); ``cache`` is the analysis cache the keys are of."""

    def __init__(
        self, reader: Journal | None, writer: JournalWriter | None, cache: AnalysisCache
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.cache = cache

    def held(self, entries: SeedList) -> tuple[set[str], list[int]]:
        """The ids of the documents of ``entries`` the journal holds as they are now, and the
        places in ``entries`` of the others (one pass over their ids and keys)."""
        reader = self.reader
        if reader is None:
            return set(), []
        held: set[str] = set()
        others = []
        for index in range(len(entries)):
            document_id = entries.document_id(index)
            if reader.holds(document_id, self.key(entries, index, held=False)):
                held.add(document_id)
            else:
                others.append(index)
        return held, others

    def resumed(
        self, held: set[str], others: Sequence[int], entries: Sequence[SeedEntry]
    ) -> Resolver | None:
        """A resolver that has observed the ``held`` documents, taken from the journal, when
        they are all of its documents and every other entry (at ``others``) comes after them
        in document-id order: pass one then goes on from it. Else None."""
        reader = self.reader
        if reader is None or len(held) != len(reader.keys):  # (one changed or taken out)
            return None
        if any(entries[index].document_id <= reader.last for index in others):
            return None
        return reader.resolver()

    def pass_one_ended(self, resolver: Resolver, observed_after: int | None) -> None:
        """Tell the new journal pass one has ended: ``observed_after`` documents were observed
        on top of the journal's state of it (None: pass one did not go on from that), which it
        then keeps as its own when they are few (:data:`REBASE_DOCUMENTS`)."""
        writer = self.writer
        if writer is None:
            return
        reader = self.reader
        if reader is not None and observed_after is not None and observed_after <= REBASE_DOCUMENTS:
            writer.keep_resolver(reader.resolver_crc)
        else:
            writer.pass_one_ended(resolver)

    def kept_whole(
        self, resolver: Resolver, held: set[str], resumed: bool
    ) -> Iterator[JournaledFactRows] | None:
        """When pass one went on from the journal (``resumed``: the ``held`` documents are the
        journal's and come first) and ``resolver``, its pass one ended, still answers every
        read the journal's rows were made from: their rows, in order, to keep whole, the
        speeches they report taken into ``resolver`` and the new journal told (the caller then
        makes the others' rows). Else None, and nothing is changed."""
        reader = self.reader
        if not resumed or reader is None or not held:
            return None
        state = reader.pass_two_state()
        if not resolver.still_answers(state.answers):
            return None
        resolver.resume_speeches(state.speeches)
        if self.writer is not None:
            self.writer.answers_from(state.answers)
        return reader.kept_fact_rows(held)

    def key(self, entries: SeedList, index: int, held: bool) -> str:
        """The analysis key of the ``index``-th of ``entries`` (``held``: the journal holds it
        under that key)."""
        if held and self.reader is not None:
            return self.reader.keys[entries.document_id(index)]
        key = entries.key(index)
        return key if key is not None else self.cache.key_of(entries[index])

    def rows_source(
        self, held: set[str], rows_cache: AnalysisCache | None
    ) -> JournalFirst | AnalysisCache | None:
        """Where pass two takes kept rows from (:class:`JournalFirst` when the journal holds
        any document)."""
        if self.reader is None or not held:
            return rows_cache
        return JournalFirst(self.reader, held, rows_cache)

    def facts_of(self, entries: Sequence[SeedEntry]) -> Callable[[int], bytes]:
        """The pickled facts of the ``index``-th entry, for a document taken from the journal
        whose rows pass two must make again."""
        cache = self.cache
        return lambda index: facts_of(entries[index], cache)

    def done_reading(self) -> None:
        """Close the old journal and the old package's files (before the package is swapped)."""
        if self.reader is not None:
            self.reader.close()
            self.reader = None

    def commit(self) -> None:
        """Put the new journal in place (the package it describes must be in place); a failure
        to write it leaves the build as it is, with no journal for the next one."""
        if self.writer is not None:
            self.writer.commit()

    def abandon(self) -> None:
        """Close everything, writing no journal (the build failed)."""
        self.done_reading()
        if self.writer is not None:
            self.writer.abandon()
