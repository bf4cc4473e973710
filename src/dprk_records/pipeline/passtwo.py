"""Resolve's pass two on every core: each document's fact rows, made and rendered by workers.

Once pass one has ended, the ids of persons, units and events are fixed, and the rows of one
document depend only on its facts and those ids (:meth:`Resolver.fact_rows` reads and never
changes them). So the workers that analysed the documents can make the rows too: each worker
holds the resolver (a forked one inherits it, a spawned one gets it once), loads a document's
facts from their pickle and sends back its rows in the form the build writes them
(:func:`~dprk_records.pipeline.streamed.build_rows`: the document-ordered tables' as CSV text),
with the speeches it reports. The build takes them in document-id order, so the package is
byte-identical whatever the number of workers.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dprk_records.pipeline.pool import ordered_map
from dprk_records.pipeline.resolve import Resolver, SpeechItem
from dprk_records.pipeline.streamed import TableRows, build_rows

_resolver: Resolver | None = None


@dataclass(frozen=True)
class DocumentFactRows:
    """One document's rows in the tables of facts, ready to write, and its speeches."""

    document_id: str
    rows: dict[str, TableRows]
    speeches: list[SpeechItem]


def _hold(resolver: Resolver | None) -> None:
    global _resolver
    _resolver = resolver


def _fact_rows(pickled: bytes) -> DocumentFactRows:
    if _resolver is None:
        raise RuntimeError("pass two: a worker was given facts before the resolver")
    facts = pickle.loads(pickled)
    rows, speeches = _resolver.fact_rows(facts)
    built = {name: build_rows(name, table_rows) for name, table_rows in rows.items()}
    return DocumentFactRows(facts.document_id, built, speeches)


def pass_two(
    resolver: Resolver, pickles: Iterable[bytes], count: int, workers: int
) -> Iterator[DocumentFactRows]:
    """The fact rows of ``count`` documents, from their pickled facts, in order, on ``workers``
    processes (in this one when 1). ``resolver`` has ended pass one (its entity rows are made)."""
    try:
        yield from ordered_map(_fact_rows, pickles, count, workers, _hold, (resolver,))
    finally:
        _hold(None)
