"""Resolve's pass two on every core, and kept between builds for the documents it leaves alone.

Once pass one has ended, the ids of persons, units and events are fixed, and the rows of one
document depend only on its facts and the answers to the reads it makes of those ids
(:meth:`Resolver.fact_rows`, which changes nothing and logs every read). So the workers that
analysed the documents make the rows too: each worker holds the resolver (a forked one inherits
it, a spawned one gets it once), loads a document's facts and what pass one settled of it
(:class:`~dprk_records.pipeline.resolve.DocumentEvents`) from their pickles and sends back its
rows in the form the build writes them (:func:`~dprk_records.pipeline.streamed.build_rows`: the
document-ordered tables' as CSV text), its speeches and its log of reads. The build takes them
in document-id order, so the package is byte-identical whatever the number of workers.

With a cache (:meth:`AnalysisCache.rows_cache`), each document's result is kept with its log. A
later build reuses it when every read still gives the same answer (:meth:`Resolver.still_reads`)
-- the same document, and no change to the ids it names -- and makes it again otherwise. Adding
one document to a corpus thus re-makes the rows of that document and of the few that share a
name or an event whose id or day it changes, not of the whole corpus.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from dprk_records.pipeline.cache import AnalysisCache
from dprk_records.pipeline.pool import cached_map
from dprk_records.pipeline.read import SeedEntry
from dprk_records.pipeline.resolve import DocumentEvents, Resolver, SpeechItem
from dprk_records.pipeline.seedlist import EntriesAt
from dprk_records.pipeline.spill import FactSpill
from dprk_records.pipeline.streamed import TableRows, build_rows

_resolver: Resolver | None = None


@dataclass(frozen=True)
class DocumentFactRows:
    """One document's rows in the tables of facts, ready to write, its speeches, and the reads
    of the resolver's ids they were made from."""

    document_id: str
    rows: dict[str, TableRows]
    speeches: list[SpeechItem]
    reads: dict[tuple[str, Any], Any]


def _hold(resolver: Resolver | None) -> None:
    global _resolver
    _resolver = resolver


def _fact_rows(pickled: tuple[bytes, bytes]) -> DocumentFactRows:
    """The rows of one document from the pickles of its facts and of its
    :class:`~dprk_records.pipeline.resolve.DocumentEvents`."""
    if _resolver is None:
        raise RuntimeError("pass two: facts were given before the resolver")
    facts = pickle.loads(pickled[0])
    made = _resolver.fact_rows(facts, pickle.loads(pickled[1]))
    built = {name: build_rows(name, table_rows) for name, table_rows in made.rows.items()}
    return DocumentFactRows(facts.document_id, built, made.speeches, made.reads)


def _reusable(
    value: object, document_id: str, resolver: Resolver, document: DocumentEvents
) -> DocumentFactRows | None:
    """A cached result when it is one, of this document, and its reads still hold."""
    if not (
        isinstance(value, DocumentFactRows)
        and value.document_id == document_id
        and isinstance(value.reads, dict)
        and resolver.still_reads(value.reads, document)
    ):
        return None
    return value


def pass_two(
    resolver: Resolver,
    facts: FactSpill,
    entries: Sequence[SeedEntry],
    workers: int,
    cache: AnalysisCache | None = None,
    facts_of: Callable[[int], bytes] | None = None,
    start: int = 0,
) -> Iterator[DocumentFactRows]:
    """The fact rows of each of ``entries`` (the documents whose facts ``facts`` holds, in the
    same order, each with the pickle of what :meth:`Resolver.observe` gave for it as its extra
    bytes), in order. ``resolver`` has ended pass one (its entity rows are made). The rows
    not found in ``cache`` (an :class:`AnalysisCache`, or what reads like one: see
    :mod:`~dprk_records.pipeline.journal`) are made on ``workers`` processes (in this one when
    1) and stored; a cached result whose reads no longer hold is made again here. A document
    whose facts were kept empty (taken from the journal) gets them from ``facts_of(index)``
    when its rows must be made again. The rows of the first ``start`` documents are not made
    (the caller kept them whole: see :meth:`~dprk_records.pipeline.journal.JournalUse.
    kept_whole`), nor are their entries read."""
    if facts.documents != len(entries):
        raise ValueError(f"pass two: facts of {facts.documents} documents for {len(entries)}")
    rest = entries if start == 0 else EntriesAt(entries, range(start, len(entries)))

    def restore(at: int, value: object) -> DocumentFactRows | None:
        document = pickle.loads(facts.extra_at(start + at))
        return _reusable(value, rest[at].document_id, resolver, document)

    def item_of(at: int) -> tuple[bytes, bytes]:
        index = start + at
        pickled = facts.pickle_at(index)
        if not pickled:
            if facts_of is None:
                raise ValueError(f"pass two: no facts kept of {entries[index].document_id}")
            pickled = facts_of(index)
        return pickled, facts.extra_at(index)

    _hold(resolver)  # here too: a result whose reads changed is made again in this process
    try:
        yield from cached_map(
            _fact_rows,
            rest,
            item_of,
            cache,
            restore,
            workers,
            setup=_hold,
            setup_args=(resolver,),
        )
    finally:
        _hold(None)
