"""Assembling a package folder from seeds, one document at a time, in bounded memory.

The documents stream through analysis in document-id order (:func:`analyse_stream`); as each
one arrives its verbatim text goes into the package (:mod:`~dprk_records.pipeline.sources`:
written, or the replaced package's file reused), its text-table rows are appended to
their files (:class:`~dprk_records.pipeline.streamed.StreamedTable`: every table whose primary
key starts with document_id is written as documents come), its facts go to pass one of the
:class:`~dprk_records.pipeline.resolve.Resolver` and, with what pass one settled of that
document alone, to a :class:`~dprk_records.pipeline.spill.FactSpill`, and its items of the
descriptor to a :class:`~dprk_records.pipeline.describe.DescriptorWriter`. Then the entity
rows are made and pass two reads the facts back to make each document's fact rows, appended the
same way or, for a table keyed by an id of its own, sorted through a
:class:`~dprk_records.pipeline.spill.SpilledTable`; every file is hashed as it is written, and
the descriptor comes last. What stays in memory is what ids are made of, so peak memory hardly
grows with the corpus; the files are byte for byte those of resolving every document at once
(:func:`tables.combine_tables`).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dprk_records.base.progress import ProgressFactory, no_progress
from dprk_records.pipeline.analyse import AnalysedDocument
from dprk_records.pipeline.cache import AnalysisCache
from dprk_records.pipeline.describe import DescriptorWriter, FileDigest, document_items
from dprk_records.pipeline.formats import DEFAULT_FORMATS, write_parquet_beside
from dprk_records.pipeline.journal import JournalUse
from dprk_records.pipeline.knownhashes import KnownHashes
from dprk_records.pipeline.passtwo import pass_two
from dprk_records.pipeline.pool import default_workers
from dprk_records.pipeline.read import SeedEntry
from dprk_records.pipeline.resolve import Resolver
from dprk_records.pipeline.rows import ROW_TYPES, check_rows_match_schemas
from dprk_records.pipeline.seedlist import EntriesAt, SeedList
from dprk_records.pipeline.sources import SourceFolder
from dprk_records.pipeline.spill import FactSpill, KeyedRows, TableSpills
from dprk_records.pipeline.streamed import StoredRows, StreamedTable, TableRows
from dprk_records.pipeline.tables import document_ordered_tables
from dprk_records.schemas import package_meta


@dataclass(frozen=True)
class Assembled:
    """What was written into the folder: each table's file digest and row count, how many
    documents it holds, of how many it made the fact rows and how many it took from the
    journal."""

    tables: dict[str, FileDigest]
    row_counts: dict[str, int]
    documents: int
    resolved: int  # documents whose fact rows were made, not kept from an earlier build
    journaled: int  # documents taken from the journal of the package replaced


def assemble_package(
    entries: SeedList,
    analyse: Callable[[Sequence[SeedEntry], Callable[[int], None]], Iterable[AnalysedDocument]],
    staging: Path,
    manifest_sha256: str | None,
    environ: Mapping[str, str],
    progress: ProgressFactory | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    pass_two_workers: int | None = None,
    rows_cache: AnalysisCache | None = None,
    previous: Path | None = None,
    known_texts: KnownHashes | None = None,
    journal: JournalUse | None = None,
) -> Assembled:
    """Write the package of ``entries`` (in document-id order) into the empty folder
    ``staging``. ``analyse(some, advance)`` gives the analyses of ``some`` of the entries in
    the same order, calling ``advance(1)`` as each is done; they are taken in as they come.

    ``progress`` makes a bar over the documents and one over the :func:`assemble_steps` steps
    that follow (default: none); ``formats`` with "parquet" adds a Parquet copy of each table
    (:mod:`dprk_records.pipeline.formats`); ``pass_two_workers`` processes make the fact rows
    (:mod:`~dprk_records.pipeline.passtwo`; default: :func:`default_workers` of the documents),
    keeping them in ``rows_cache`` and taking from it those that still hold (default: none).
    ``previous`` is the package folder the new one will replace, if any: its verbatim texts
    are reused where they are still the seeds' bytes (:class:`~dprk_records.pipeline.sources.
    SourceFolder`), known to be so from ``known_texts`` where it can tell. ``journal`` reads
    the journal of ``previous`` (the documents it holds are taken from it, not analysed) and
    writes the new package's (:mod:`~dprk_records.pipeline.journal`).
    """
    bars = progress or no_progress
    check_rows_match_schemas()
    meta = package_meta()
    data = staging / "data"
    (staging / "sources").mkdir()
    previous_sources = previous / "sources" if previous else None
    sources = SourceFolder(staging / "sources", previous_sources, known_texts, seeds=entries.folder)
    data.mkdir()
    resolver = Resolver()
    with tempfile.TemporaryDirectory(prefix="dprk-records-build-") as scratch:
        ordered = document_ordered_tables()
        spills = TableSpills([name for name in ROW_TYPES if name not in ordered], Path(scratch))
        streamed: dict[str, StreamedTable] = {}
        tables = _Tables(streamed, spills)
        facts = FactSpill(Path(scratch) / "facts.pickle")
        descriptor = DescriptorWriter(Path(scratch))
        try:
            for name in ordered:
                streamed[name] = StreamedTable(name, data / f"{name}.csv")
            reader = journal.reader if journal is not None else None
            writer = journal.writer if journal is not None else None
            held, others = journal.held(entries) if journal is not None else (set(), [])
            # pass one goes on from the journal's when the documents it holds are all there
            # and unchanged, and the others come after them
            resumed = journal.resumed(held, others, entries) if journal is not None else None
            # (the documents up to this one the resumed state has observed; the rest of the
            # journal's are observed again, from their records)
            observed_through = ""
            observed_after: int | None = None
            if resumed is not None:
                resolver = resumed
                observed_through, observed_after = resolver.last_document, 0
            with bars("documents", len(entries)) as bar:
                fresh = EntriesAt(entries, others) if held else entries
                analysed = iter(analyse(fresh, bar.advance))
                waiting: AnalysedDocument | None = None
                for index in range(len(entries)):
                    document_id = entries.document_id(index)
                    taken = None
                    observe = resumed is None or document_id > observed_through
                    if document_id in held:  # (its entry is not read: the record has it all)
                        assert reader is not None  # (held is empty without one)
                        taken = reader.analysed(document_id, observe=observe)
                        document, items = taken.document, taken.items
                        bar.advance(1)
                    else:
                        if waiting is None:
                            waiting = next(analysed, None)
                        if waiting is None or waiting.summary.document_id != document_id:
                            continue  # a refused seed: raised with the others at the end
                        document, waiting = waiting, None
                        items = document_items(document.summary)
                    summary = document.summary
                    sources.add(summary)
                    written = tables.take(summary.document_id, document.rows)
                    if taken is not None and not observe:
                        settled = taken.events  # (in the state pass one went on from)
                    else:
                        observed = resolver.observe(document.observed, summary.published)
                        settled = pickle.dumps(observed, protocol=5)
                        if observed_after is not None:
                            observed_after += 1
                    facts.append(document.facts, settled)
                    descriptor.add(summary, items)
                    if writer is not None:
                        assert journal is not None
                        key = journal.key(entries, index, taken is not None)
                        record = taken.record if taken is not None else None
                        writer.text(document, key, items, settled, written, record)
                for extra in analysed:  # (raises the refused seeds' errors, all together)
                    raise RuntimeError(f"{extra.summary.document_id}: analysed out of order")
            with bars("package", assemble_steps(formats)) as bar:
                if journal is not None:
                    journal.pass_one_ended(resolver, observed_after)
                spills.add(resolver.entity_rows())
                workers = pass_two_workers
                if workers is None:
                    workers = default_workers(len(entries))
                kept = journal.rows_source(held, rows_cache) if journal is not None else rows_cache
                facts_of = journal.facts_of(entries) if journal is not None else None
                whole = None
                if journal is not None:
                    whole = journal.kept_whole(resolver, held, resumed is not None)
                start = 0
                for done in whole or ():  # (their speeches are in the state kept_whole took)
                    written = tables.take(done.document_id, done.rows)
                    if writer is not None:
                        writer.facts(done, written, None)
                    start += 1
                made = pass_two(resolver, facts, entries, workers, kept, facts_of, start)
                for index, done in enumerate(made, start):
                    written = tables.take(done.document_id, done.rows)
                    resolver.take_speeches(done.speeches)
                    if writer is not None:
                        writer.facts(done, written, pickle.loads(facts.extra_at(index)))
                if writer is not None:
                    writer.pass_two_ended(resolver)
                spills.add({"speeches": resolver.speech_rows()})
                bar.advance(1, "resolved")
                digests = {}
                for name in meta.tables:
                    if name in streamed:
                        digests[name] = streamed[name].close()
                    else:
                        digests[name] = spills.write(name, data / f"{name}.csv")
                    bar.advance(1, name)
                parquet = {}
                if "parquet" in formats:
                    for name in meta.tables:
                        csv_file = data / f"{name}.csv"
                        parquet[name] = write_parquet_beside(csv_file, name)
                        bar.advance(1, f"{name}.parquet")
                counts = {name: tables.rows(name) for name in meta.tables}
                descriptor.write(
                    staging / "datapackage.json", meta, digests, manifest_sha256, environ, parquet
                )
                bar.advance(1, "datapackage.json")
                if writer is not None:
                    writer.package_written(staging)
        finally:
            facts.close()
            descriptor.close()
            for table in streamed.values():
                table.abandon()
    resolved = len(entries) if kept is None else kept.misses
    return Assembled(digests, counts, facts.documents, resolved, len(held))


class _Tables:
    """Where each table's rows go: a document-ordered table's straight into its file, any
    other's into its spill."""

    def __init__(self, streamed: dict[str, StreamedTable], spills: TableSpills) -> None:
        self.streamed = streamed
        self.spills = spills

    def take(self, document_id: str, rows: Mapping[str, TableRows]) -> dict[str, StoredRows]:
        """One document's rows, as :func:`~dprk_records.pipeline.streamed.build_rows` makes
        them; gives its rows of each document-ordered table as written."""
        keyed = {}
        written = {}
        for name, table_rows in rows.items():
            if isinstance(table_rows, KeyedRows):
                keyed[name] = table_rows
            else:
                written[name] = self.streamed[name].add(document_id, table_rows)
        self.spills.add_documents(keyed)
        return written

    def rows(self, name: str) -> int:
        """How many rows table ``name`` has taken in."""
        table = self.streamed.get(name) or self.spills.tables[name]
        return table.rows


def assemble_steps(formats: Sequence[str] = DEFAULT_FORMATS) -> int:
    """How many steps :func:`assemble_package` reports after the documents."""
    tables = len(package_meta().tables)
    return 2 + tables * (2 if "parquet" in formats else 1)
