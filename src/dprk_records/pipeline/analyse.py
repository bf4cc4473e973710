"""The per-document part of a build -- normalize, extract, tabulate one text -- on every core.

Documents are independent until resolve, so each one is analysed on its own: normalized,
its facts extracted and its text-table rows (documents, paragraphs, corrections) made. With
``workers`` > 1 the documents go to a process pool; results come back in input order and each
document's analysis is a pure function of its source, so a build with any number of workers is
byte-identical to the single-process one. Only what later stages need travels back: the rows, the
facts and a :class:`DocumentSummary` (never the offset maps of the normalized text).

With an :class:`~dprk_records.pipeline.cache.AnalysisCache`, a document whose key is in the cache
is not analysed again; only the misses are analysed (on the pool when there are enough of them)
and stored. What is stored is what travels back from a worker, less the source itself, which the
key pins and the current build supplies.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from dprk_records.base.parallel import available_cores, start_method
from dprk_records.errors import SeedError
from dprk_records.pipeline.cache import AnalysisCache
from dprk_records.pipeline.extract.extractor import extract
from dprk_records.pipeline.extract.facts import DocumentFacts
from dprk_records.pipeline.prepare import Document, NamedBySource, prepare
from dprk_records.pipeline.read import InvalidSeedsError, SourceDocument
from dprk_records.pipeline.tables import text_rows

PARALLEL_MIN_DOCUMENTS = 200
"""Below this many documents, starting worker processes costs more than it saves."""

BUILD_GC_THRESHOLDS = (100_000, 50, 100)
"""A build allocates millions of small long-lived objects (rows, facts) and makes few reference
cycles; with Python's default thresholds (700, 10, 10) the collector re-scans them over and over,
some 15-20% of a large build. These make it collect a hundred times less often."""


@dataclass(frozen=True)
class DocumentSummary(NamedBySource):
    """A document's identity and settled metadata: what resolve and the descriptor read of it."""

    source: SourceDocument
    title: str
    publisher: str | None
    published: dt.date | None


@dataclass(frozen=True)
class AnalysedDocument:
    """One document after the per-document stages: its summary, table rows and facts."""

    summary: DocumentSummary
    rows: dict[str, list[Any]]
    facts: DocumentFacts


def analyse_prepared(document: Document) -> AnalysedDocument:
    """Extract a normalized document's facts and make its text-table rows."""
    summary = DocumentSummary(
        document.source, document.title, document.publisher, document.published
    )
    return AnalysedDocument(summary, text_rows(document), extract(document))


def analyse(source: SourceDocument) -> AnalysedDocument:
    """Normalize one source, extract its facts and make its text-table rows."""
    return analyse_prepared(prepare(source))


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with :data:`BUILD_GC_THRESHOLDS`, then restore the caller's thresholds."""
    previous = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


ORPHAN_CHECK_SECONDS = 1.0
"""How often a worker looks whether the build that started it is still there."""


def _start_worker(parent: int) -> None:
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """End this worker once the build that started it is gone. A build killed by a signal
    (SIGTERM, SIGKILL) runs no clean-up, and a forked worker, holding its own end of the task
    queue, would otherwise wait for work for ever."""
    while True:
        time.sleep(ORPHAN_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


def default_workers(documents: int) -> int:
    """Every available core when the corpus is large enough to pay for worker start-up, else 1."""
    return available_cores() if documents >= PARALLEL_MIN_DOCUMENTS else 1


# A worker returns the analysis, or the (path, reason) of a SeedError (whose constructor takes two
# arguments, so the exception itself does not survive pickling).
_Outcome = AnalysedDocument | tuple[str, str]


def _analyse_or_refuse(source: SourceDocument) -> _Outcome:
    try:
        return analyse(source)
    except SeedError as exc:
        return (exc.path, exc.reason)


def _outcomes(sources: Sequence[SourceDocument], workers: int) -> Iterator[_Outcome]:
    if workers <= 1 or len(sources) < 2:
        yield from map(_analyse_or_refuse, sources)
        return
    workers = min(workers, len(sources))
    chunk = max(1, min(32, len(sources) // (workers * 8)))
    context = multiprocessing.get_context(start_method())
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    ) as pool:
        yield from pool.map(_analyse_or_refuse, sources, chunksize=chunk)


# What the cache keeps of an analysis: the summary's own fields, the rows and the facts.
_Stored = tuple[str, str | None, dt.date | None, dict[str, list[Any]], DocumentFacts]


def _stored(analysed: AnalysedDocument) -> _Stored:
    summary = analysed.summary
    return (summary.title, summary.publisher, summary.published, analysed.rows, analysed.facts)


def _restored(source: SourceDocument, value: object) -> AnalysedDocument | None:
    """The analysis back from a cached value, or None when the value is not one (a miss)."""
    if not (isinstance(value, tuple) and len(value) == 5):
        return None
    title, publisher, published, rows, facts = value
    if not (isinstance(rows, dict) and isinstance(facts, DocumentFacts)):
        return None
    return AnalysedDocument(DocumentSummary(source, title, publisher, published), rows, facts)


def analyse_all(
    sources: Sequence[SourceDocument],
    workers: int | None = 1,
    advance: Callable[[int], None] | None = None,
    cache: AnalysisCache | None = None,
) -> list[AnalysedDocument]:
    """Analyse every source, in order, on ``workers`` processes; all metadata conflicts are
    reported together. ``advance(n)`` is called as documents are done (for a progress bar).

    With a ``cache``, documents found in it are taken from it (counted done at once) and only the
    others are analysed, then stored. ``workers=None`` picks :func:`default_workers` for the
    number of documents that are really analysed.
    """
    found: list[AnalysedDocument | None] = [None] * len(sources)
    if cache is not None:
        for index, source in enumerate(sources):
            value = cache.get(source)
            found[index] = None if value is None else _restored(source, value)
        hits = sum(analysed is not None for analysed in found)  # a value not restored: a miss
        cache.hits, cache.misses = hits, len(sources) - hits
        if advance is not None and hits:
            advance(hits)
    missing = [index for index, analysed in enumerate(found) if analysed is None]
    misses = [sources[index] for index in missing]
    if workers is None:
        workers = default_workers(len(misses))
    problems = []
    for index, outcome in zip(missing, _outcomes(misses, workers), strict=True):
        if isinstance(outcome, AnalysedDocument):
            found[index] = outcome
            if cache is not None:
                cache.put(sources[index], _stored(outcome))
        else:
            problems.append(SeedError(*outcome))
        if advance is not None:
            advance(1)
    if problems:
        raise InvalidSeedsError(problems)
    return [analysed for analysed in found if analysed is not None]
