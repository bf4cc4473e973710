"""The per-document part of a build -- normalize, extract, tabulate one text -- on every core.

Documents are independent until resolve, so each one is analysed on its own: read (only now:
the seeds were scanned without keeping their texts), normalized, its facts extracted and its
text-table rows (documents, paragraphs, corrections) made. With ``workers`` > 1 the documents go
to a process pool, a bounded window of chunks ahead of the one the build is taking in, so no
more than a handful of texts and analyses wait in memory however large the corpus. Results come
back in input order and each document's analysis is a pure function of its source, so a build
with any number of workers is byte-identical to the single-process one. Only what later stages
need travels back: the rows, the facts and the summary's fields (never the text or the offset
maps of the normalized text).

With an :class:`~dprk_records.pipeline.cache.AnalysisCache`, a document whose key is in the cache
is not analysed again; only the misses are analysed (on the pool when there are enough of them)
and stored. What is stored is what travels back from a worker; the seed entry, which the key
pins, supplies the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from dprk_records.errors import SeedError
from dprk_records.pipeline.cache import AnalysisCache
from dprk_records.pipeline.extract.facts import DocumentFacts
from dprk_records.pipeline.pool import cached_map
from dprk_records.pipeline.prepare import Document, prepare
from dprk_records.pipeline.read import InvalidSeedsError, SeedEntry, load_source
from dprk_records.pipeline.resolve import Observed, observed
from dprk_records.pipeline.spill import pickled_facts
from dprk_records.pipeline.streamed import TableRows, build_rows
from dprk_records.pipeline.tables import text_rows


@dataclass(frozen=True)
class DocumentSummary:
    """What the descriptor and resolve read of a document once it is analysed: its identity,
    its source file's size and hash, and its settled metadata -- never its text."""

    document_id: str
    file_name: str
    sha256: str
    size: int
    title: str
    publisher: str | None
    published: dt.date | None


@dataclass(frozen=True)
class AnalysedDocument:
    """One document after the per-document stages, as the build takes it in: its summary, its
    text-table rows in the form the build writes them (:func:`~dprk_records.pipeline.streamed.
    build_rows`: rendered, the text tables being document-ordered), its facts pickled for pass
    two of resolve and what pass one reads of them."""

    summary: DocumentSummary
    rows: dict[str, TableRows]
    facts: bytes
    observed: Observed


def analyse_document(document: Document) -> tuple[dict[str, list[Any]], DocumentFacts]:
    """A normalized document's text-table rows (typed) and extracted facts."""
    # (imported when a document is analysed: compiling the rules' patterns is most of a
    # build's start, and a rebuild that takes every document from the cache needs none)
    from dprk_records.pipeline.extract.extractor import extract

    return text_rows(document), extract(document)


# What a worker sends back and the cache keeps of an analysis: the summary's own fields (the
# seed entry gives the rest) and the build's forms of the rows and facts.
_Stored = tuple[str, str | None, dt.date | None, dict[str, TableRows], bytes, Observed]


def _stored(document: Document) -> _Stored:
    rows, facts = analyse_document(document)
    return (
        document.title,
        document.publisher,
        document.published,
        {name: build_rows(name, table_rows) for name, table_rows in rows.items()},
        pickled_facts(facts),
        observed(facts),
    )


def _summarised(entry: SeedEntry, stored: _Stored) -> AnalysedDocument:
    title, publisher, published, rows, facts, seen = stored
    summary = DocumentSummary(
        entry.document_id, entry.file_name, entry.sha256, entry.size, title, publisher, published
    )
    return AnalysedDocument(summary, rows, facts, seen)


# A worker returns the analysis, or the (path, reason) of a SeedError (whose constructor takes two
# arguments, so the exception itself does not survive pickling).
_Outcome = _Stored | tuple[str, str]


def _analyse_or_refuse(entry: SeedEntry) -> _Outcome:
    try:
        return _stored(prepare(load_source(entry)))
    except SeedError as exc:
        return (exc.path, exc.reason)


def analyse_stream(
    entries: Sequence[SeedEntry],
    workers: int | None = 1,
    advance: Callable[[int], None] | None = None,
    cache: AnalysisCache | None = None,
) -> Iterator[AnalysedDocument]:
    """Analyse every seed, yielding the analyses in ``entries``' order as they are done, on
    ``workers`` processes, each text read only when its document is analysed; the metadata
    conflicts of all documents are raised together (InvalidSeedsError) after the last one.
    ``advance(1)`` is called as each document is done (for a progress bar).

    With a ``cache``, documents found in it are taken from it and only the others are analysed
    (then stored; a refusal is not). ``workers=None`` picks :func:`default_workers` for the
    number of documents that are really analysed.
    """
    outcomes = cached_map(
        _analyse_or_refuse,
        entries,
        entries.__getitem__,
        cache,
        _restored,
        workers,
        storable=lambda outcome: len(outcome) != 2,
    )
    problems = []
    for entry, outcome in zip(entries, outcomes, strict=True):
        if advance is not None:
            advance(1)
        if len(outcome) == 2:  # a refusal: (path, reason)
            problems.append(SeedError(*outcome))
        else:
            yield _summarised(entry, outcome)  # type: ignore[arg-type]
    if problems:
        raise InvalidSeedsError(problems)


def facts_of(entry: SeedEntry, cache: AnalysisCache | None) -> bytes:
    """The pickled facts of one document whose analysis a build did not take in whole (it came
    from the journal): from its cached analysis, else by analysing it again."""
    if cache is not None:
        stored = _restored(0, cache.get(entry))
        if stored is not None:
            return stored[4]
    outcome = _analyse_or_refuse(entry)
    if len(outcome) == 2:  # (the same bytes were analysed before: only a seed changed since)
        raise InvalidSeedsError([SeedError(*outcome)])
    return outcome[4]  # type: ignore[return-value]


def _restored(index: int, value: object) -> _Stored | None:
    """The analysis back from a cached value, or None when the value is not one (a miss)."""
    if not (isinstance(value, tuple) and len(value) == 6):
        return None
    rows, facts, seen = value[3:]
    if not (isinstance(rows, dict) and isinstance(facts, bytes) and isinstance(seen, Observed)):
        return None
    return value  # type: ignore[return-value]
